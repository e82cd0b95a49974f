/** Input and output helpers of the command line. */
import { readFile } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { CliError } from './errors.js';

/** Reads a whole file, or standard input for `-`. */
export async function readAllText(file: string): Promise<string> {
  if (file === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }
  try {
    return await readFile(file, 'utf8');
  } catch (cause) {
    throw new CliError(`cannot read ${file}: ${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}`, 1, { cause });
  }
}

/** Opens a file, or standard input for `-`, as a stream. */
export function openInput(file: string): Readable {
  if (file === '-') return process.stdin;
  const stream = createReadStream(file);
  return stream;
}

/** The lines of a file or of standard input, read as they arrive (nothing is loaded whole). */
export async function* readLines(file: string): AsyncGenerator<string> {
  const input = openInput(file);
  const failed = new Promise<never>((_, reject) =>
    input.once('error', (cause: NodeJS.ErrnoException) => reject(new CliError(`cannot read ${file}: ${cause.code ?? cause.message}`, 1, { cause }))),
  );
  failed.catch(() => undefined);
  const lines = createInterface({ input, crlfDelay: Infinity });
  const iterator = lines[Symbol.asyncIterator]();
  while (true) {
    const next = await Promise.race([iterator.next(), failed]);
    if (next.done) return;
    yield next.value;
  }
}

/**
 * Writes to stdout, waiting when the pipe is full, so that a large output never piles up in memory.
 */
export async function writeOut(text: string): Promise<void> {
  if (!process.stdout.write(text)) {
    await new Promise<void>((resolve) => process.stdout.once('drain', resolve));
  }
}
