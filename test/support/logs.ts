/** The structured log lines a piece of code writes, as Lambda would ingest them. */

/**
 * Runs `run` with stdout and stderr captured (Lambda sends both to the log) and returns the lines,
 * parsed; as Lambda does, a trace id is set for the invocation (Powertools keys its buffer by it).
 * Loggers must be created inside `run`: Powertools binds stdout when a logger is made.
 */
export async function linesOf(run: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const written: string[] = [];
  const [out, err] = [process.stdout.write.bind(process.stdout), process.stderr.write.bind(process.stderr)];
  const capture = ((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  }) as typeof process.stdout.write;
  process.stdout.write = capture;
  process.stderr.write = capture;
  process.env['_X_AMZN_TRACE_ID'] = 'Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=0';
  try {
    await run();
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
  return written.join('').split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as Record<string, unknown>);
}
