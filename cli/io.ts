/** Input and output helpers of the command line. */
import { readFile } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { CliError } from './errors.js';
import type { BadLines } from './terminal.js';

/**
 * A UTF-8 byte order mark some Windows editors put at the start of a file. Every reader of this module
 * drops it, so that a claim, a JSON Lines file, a CSV or a policy file saved that way reads the same
 * in every command.
 */
const BOM = '\uFEFF';

/** `text` without a leading byte order mark. */
export const stripBom = (text: string): string => (text.startsWith(BOM) ? text.slice(1) : text);

/** Reads a whole file, or standard input for `-`. */
export async function readAllText(file: string): Promise<string> {
  if (file === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return stripBom(Buffer.concat(chunks).toString('utf8'));
  }
  try {
    return stripBom(await readFile(file, 'utf8'));
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
  let first = true;
  while (true) {
    const next = await Promise.race([iterator.next(), failed]);
    if (next.done) return;
    yield first ? stripBom(next.value) : next.value;
    first = false;
  }
}

/**
 * Writes to stdout, waiting when the pipe is full, so that a large output never piles up in memory.
 */
export async function writeOut(text: string, sink: Writable = process.stdout): Promise<void> {
  if (!sink.write(text)) {
    await new Promise<void>((resolve) => sink.once('drain', resolve));
  }
}

/**
 * The lines of a file or of standard input, a chunk's worth at a time: one await per chunk instead of
 * one per line, which matters when a replay settles tens of thousands of lines a second. A line split
 * across chunks is joined; a final line without a newline is still returned. `\r\n` endings are accepted.
 */
export async function* readLineBatches(file: string): AsyncGenerator<string[]> {
  const input = openInput(file);
  input.setEncoding('utf8');
  let rest = '';
  let first = true;
  try {
    for await (const chunk of input as AsyncIterable<string>) {
      const text = first ? stripBom(chunk) : rest + chunk;
      first = false;
      const lines = text.split('\n');
      rest = lines.pop() as string;
      if (lines.length > 0) yield lines.map(stripCarriageReturn);
    }
  } catch (cause) {
    throw new CliError(`cannot read ${file}: ${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}`, 1, { cause });
  }
  if (rest !== '') yield [stripCarriageReturn(rest)];
}

const stripCarriageReturn = (line: string): string => (line.endsWith('\r') ? line.slice(0, -1) : line);

/**
 * Collects output text and hands it to stdout in blocks of about `blockSize` characters, waiting for
 * the pipe to drain when it is full: few write calls, and memory bounded by one block.
 */
export class BufferedOut {
  private parts: string[] = [];
  private size = 0;

  /** `sink` null discards the text (a replay whose settlements nobody is to read). */
  constructor(
    private readonly sink: Writable | null = process.stdout,
    private readonly blockSize = 64 * 1024,
  ) {}

  /**
   * Adds text. Returns a promise only when a block was written, to be awaited for backpressure;
   * otherwise undefined, so the caller's hot loop need not await at all.
   */
  write(text: string): Promise<void> | undefined {
    this.parts.push(text);
    this.size += text.length;
    return this.size >= this.blockSize ? this.flush() : undefined;
  }

  /** Writes whatever is collected. */
  async flush(): Promise<void> {
    if (this.size === 0) return;
    const block = this.parts.join('');
    this.parts = [];
    this.size = 0;
    if (this.sink) await writeOut(block, this.sink);
  }
}

/**
 * The output of a command that answers each input line (replay, settle --lines): a {@link BufferedOut}
 * that also hands every answer to `badLines`, so the error lines of invalid claims are counted, and named
 * on a terminal, at the one place where answers are written.
 */
export class AnswerOut extends BufferedOut {
  constructor(
    sink: Writable | null,
    private readonly badLines: BadLines,
  ) {
    super(sink);
  }

  /** Adds one answer (a blank line before it, between slips, is allowed). */
  override write(text: string): Promise<void> | undefined {
    this.badLines.addAnswer(text.startsWith('\n') ? text.slice(1) : text);
    return super.write(text);
  }
}
