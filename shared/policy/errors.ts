/** Errors of the policy area. */
import type { FieldIssue } from '../contract/errors.js';

/** Base class of every policy error. */
export class PolicyError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PolicyError';
  }
}

/** A policy document (built in or an operator's overlay) that does not meet the policy format. */
export class InvalidPolicyError extends PolicyError {
  constructor(
    readonly source: string,
    readonly issues: readonly FieldIssue[],
    options?: ErrorOptions,
  ) {
    super(`invalid policy ${source}: ${issues.map((issue) => `${issue.path || '(document)'} ${issue.message}`).join('; ')}`, options);
    this.name = 'InvalidPolicyError';
  }
}

/** Two policies of one region in force on the same day: the engine could not tell which applies. */
export class OverlappingPoliciesError extends PolicyError {
  constructor(
    readonly first: string,
    readonly second: string,
    options?: ErrorOptions,
  ) {
    super(`policies ${first} and ${second} are of the same region and overlap in time`, options);
    this.name = 'OverlappingPoliciesError';
  }
}
