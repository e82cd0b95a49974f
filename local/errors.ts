/** Errors of the local stack. */

/** A local server could not be started (missing Java, port taken, never became ready). */
export class LocalStackError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'LocalStackError';
  }
}
