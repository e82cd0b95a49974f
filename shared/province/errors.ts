/**
 * Errors of the provincial side (statements, reconciliation, exports, what-if). One module per area:
 * the command line and the API map these classes to exit codes and HTTP statuses by `name`.
 */
import type { FieldIssue } from '../contract/errors.js';

/** Base class of every provincial-side error. */
export class ProvinceError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ProvinceError';
  }
}

/**
 * An input record (a stored settlement, a line of a hospital's upload) that does not have the
 * expected shape. `line` is 1-based when the record came from a file, so the operator can find it.
 */
export class InvalidRecordError extends ProvinceError {
  constructor(
    readonly source: string,
    readonly line: number | undefined,
    readonly issues: readonly FieldIssue[],
    options?: ErrorOptions,
  ) {
    super(
      `${source}${line === undefined ? '' : ` line ${line}`}: ${issues.map((issue) => `${issue.path || '(record)'} ${issue.message}`).join('; ')}`,
      options,
    );
    this.name = 'InvalidRecordError';
  }
}

/**
 * A reconciliation input that breaks the order the streaming comparison relies on (claim ids must
 * ascend strictly, in code-unit order). Raised instead of silently reporting wrong differences.
 */
export class UnsortedInputError extends ProvinceError {
  constructor(
    readonly side: 'ours' | 'theirs',
    readonly previous: string,
    readonly current: string,
    options?: ErrorOptions,
  ) {
    super(`${side} side is not sorted by claim id (or repeats one): ${JSON.stringify(current)} after ${JSON.stringify(previous)}`, options);
    this.name = 'UnsortedInputError';
  }
}

/**
 * An exported record that its schema rejects: an exporter defect, never to be written out.
 */
export class ExportValidationError extends ProvinceError {
  constructor(
    readonly format: string,
    readonly claimId: string,
    readonly issues: readonly FieldIssue[],
    options?: ErrorOptions,
  ) {
    super(`${format} record of claim ${claimId} does not validate: ${issues.map((issue) => `${issue.path || '(record)'} ${issue.message}`).join('; ')}`, options);
    this.name = 'ExportValidationError';
  }
}

/** A statement or what-if request that cannot be answered as asked (bad period, unknown policy). */
export class ProvinceRequestError extends ProvinceError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ProvinceRequestError';
  }
}
