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

/** What a correction (reversal or replacement) can be refused for. */
export type CorrectionErrorCode =
  | 'UNKNOWN_CLAIM'
  | 'NOT_SETTLED'
  | 'ALREADY_REVERSED'
  | 'NOT_REVERSIBLE'
  | 'REPLACEMENT_MOVES_CLAIM'
  | 'CORRECTION_IN_PROGRESS'
  | 'NOT_CORRECTABLE';

/** A correction that cannot be made; nothing was written. */
export class CorrectionError extends PipelineError {
  constructor(
    code: CorrectionErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(code, message, options);
    this.name = 'CorrectionError';
  }

  /** The HTTP status a refusal answers with: an unknown claim 404, a replacement that moves its claim 422, the rest 409. */
  get status(): 404 | 409 | 422 {
    if (this.code === 'UNKNOWN_CLAIM') return 404;
    return this.code === 'REPLACEMENT_MOVES_CLAIM' ? 422 : 409;
  }
}

/** @deprecated The name of {@link CorrectionError} when reversals were the only correction. */
export { CorrectionError as ReversalError };

/** A required environment variable is missing or malformed. */
export class ConfigError extends PipelineError {
  constructor(message: string, options?: ErrorOptions) {
    super('CONFIG', message, options);
    this.name = 'ConfigError';
  }
}
