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

/**
 * `message` on one line: the documented form of every error (`claims: …`). Messages of Node's own
 * argument parser and of libraries can span several lines; their lines are joined with spaces.
 */
export function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, ' ').trim();
}

/**
 * Exit status of a run whose result cannot be what the person meant: an empty input, a hospital that
 * appears nowhere, an empty counterpart file. A one-line warning on stderr says which.
 */
export const EXIT_NOTHING = 3;

/** Writes a one-line warning on stderr. */
export function warn(message: string): void {
  process.stderr.write(`claims: warning: ${oneLine(message)}\n`);
}
