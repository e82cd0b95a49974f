/** Errors of the money module. */

/** Base class of every money error. */
export class MoneyError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'MoneyError';
  }
}

/** A decimal string that is not an amount or a ratio of the expected scale. */
export class MoneyFormatError extends MoneyError {
  constructor(
    readonly text: string,
    readonly expected: string,
    options?: ErrorOptions,
  ) {
    super(`${JSON.stringify(text)} is not ${expected}`, options);
    this.name = 'MoneyFormatError';
  }
}

/** An amount beyond the bounds the engine keeps exact. */
export class MoneyRangeError extends MoneyError {
  constructor(
    readonly text: string,
    readonly maxFen: number,
    options?: ErrorOptions,
  ) {
    super(`${text} exceeds the largest accepted amount`, options);
    this.name = 'MoneyRangeError';
  }
}
