/** Errors of the member-year ledger. */

/** Why a correction or an append cannot be applied; nothing is changed when one is thrown. */
export const LEDGER_ERROR_CODES = ['UNKNOWN_CLAIM', 'ALREADY_REVERSED', 'REPLACEMENT_MOVES_CLAIM', 'CLAIM_EXISTS'] as const;
export type LedgerErrorCode = (typeof LEDGER_ERROR_CODES)[number];

/** A correction that names no claim of the member-year, a claim already reversed, or a replacement that changes member or year. */
export class LedgerError extends Error {
  constructor(
    readonly code: LedgerErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'LedgerError';
  }
}

/** A partition spec (`I/N`) that cannot be read: the message says what is wrong, the command line names its flag. */
export class PartitionSpecError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PartitionSpecError';
  }
}
