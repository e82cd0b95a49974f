/** Errors of the claim contract. */

/** One problem with one field: the dotted path (`items.0.amount`, "" for the whole input) and why. */
export interface FieldIssue {
  readonly path: string;
  readonly message: string;
}

/** Base class of every contract error. */
export class ContractError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ContractError';
  }
}

/**
 * A claim that does not meet the contract. Its `code` and `issues` are what the command line prints
 * and the intake API returns: `{"error":"INVALID_CLAIM","issues":[…]}`.
 */
export class InvalidClaimError extends ContractError {
  readonly code = 'INVALID_CLAIM';

  constructor(
    readonly issues: readonly FieldIssue[],
    options?: ErrorOptions,
  ) {
    super(`invalid claim: ${issues.map((issue) => `${issue.path || '(input)'} ${issue.message}`).join('; ')}`, options);
    this.name = 'InvalidClaimError';
  }

  /** The error as the contract's JSON body. */
  toJSON(): { error: 'INVALID_CLAIM'; issues: readonly FieldIssue[] } {
    return { error: this.code, issues: this.issues };
  }
}
