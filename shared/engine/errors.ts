/** Errors of the settlement engine. */

/** Base class of every engine error. */
export class EngineError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'EngineError';
  }
}

/**
 * A settlement that breaks an invariant of the contract (parts not adding up, a negative amount).
 * It means a defect in the engine or a policy, never bad input: the claim is not settled.
 */
export class InvariantViolationError extends EngineError {
  constructor(
    readonly claimId: string,
    readonly violation: string,
    options?: ErrorOptions,
  ) {
    super(`settlement of ${claimId} breaks an invariant: ${violation}`, options);
    this.name = 'InvariantViolationError';
  }
}

/** Thrown when a reversal would take a year-to-date total below zero: the stored data are inconsistent. */
export class NegativeTotalsError extends EngineError {
  constructor(
    readonly field: string,
    options?: ErrorOptions,
  ) {
    super(`reversal would make ${field} negative`, options);
    this.name = 'NegativeTotalsError';
  }
}
