/** Errors of the command line. */

/** Base class of every command-line error: printed as one line on stderr. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'CliError';
  }
}

/** Wrong words on the command line: unknown command or option, missing argument. Exit 64 (EX_USAGE). */
export class UsageError extends CliError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, 64, options);
    this.name = 'UsageError';
  }
}
