/** Errors of the pipeline's AWS side. Each has a stable `code` that the API and stored failures use. */

/** Base class of pipeline errors. */
export class PipelineError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'PipelineError';
  }
}

/**
 * A record that can never settle however often it is retried (not JSON, fails the contract, names an
 * unknown member or hospital, a tier the policy does not know): its reason is stored and the message
 * is not retried.
 */
export class PoisonRecordError extends PipelineError {
  constructor(
    code: string,
    message: string,
    readonly details?: unknown,
    options?: ErrorOptions,
  ) {
    super(code, message, options);
    this.name = 'PoisonRecordError';
  }
}

/** The member's totals kept changing under us: give the record back to the queue to retry later. */
export class VersionConflictError extends PipelineError {
  constructor(memberYear: string, attempts: number, options?: ErrorOptions) {
    super('VERSION_CONFLICT', `totals of ${memberYear} changed during ${attempts} attempts`, options);
    this.name = 'VersionConflictError';
  }
}

/** A reversal that cannot be done: unknown claim, already reversed, or a rejected claim. */
export class ReversalError extends PipelineError {
  constructor(
    code: 'UNKNOWN_CLAIM' | 'ALREADY_REVERSED' | 'NOT_REVERSIBLE',
    message: string,
    options?: ErrorOptions,
  ) {
    super(code, message, options);
    this.name = 'ReversalError';
  }
}

/** A required environment variable is missing or malformed. */
export class ConfigError extends PipelineError {
  constructor(message: string, options?: ErrorOptions) {
    super('CONFIG', message, options);
    this.name = 'ConfigError';
  }
}
