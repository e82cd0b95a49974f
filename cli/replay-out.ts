/**
 * The output of a replay: answers encoded straight into large byte blocks, each block handed to the
 * sink once (waiting when the pipe is full). No per-answer buffer and no joined string: a settlement's
 * text is written once into the block, and a worker's answers, already encoded, are copied in.
 */
import type { Writable } from 'node:stream';
import type { BadLines } from './terminal.js';

/** Bytes of one output block. */
const BLOCK = 1024 * 1024;
const NEWLINE = 10;

/** Answers already encoded by a worker: the bytes of several answers, each ending with a newline. */
export interface EncodedAnswers {
  readonly bytes: Uint8Array;
  /** Where each answer ends in `bytes` (exclusive); answer i starts where answer i − 1 ends. */
  readonly ends: Int32Array;
  /** The texts of the answers that are error lines, by answer index, for counting and naming them. */
  readonly errors: readonly (readonly [number, string])[];
}

/** Bytes a worker encodes before it sends them: each message moves one such buffer. */
const WORKER_BLOCK = 256 * 1024;

/** Encodes answers into a block; the worker's side of {@link EncodedAnswers}. */
export class AnswerEncoder {
  private block = Buffer.allocUnsafe(WORKER_BLOCK);
  private used = 0;
  private ends: number[] = [];
  private errors: [number, string][] = [];

  /** Adds one answer; true when the block is full enough to send. */
  add(text: string): boolean {
    const needed = text.length * 3 + 1;
    if (this.used + needed > this.block.length) this.grow(this.used + needed);
    if (text.startsWith('{"error":')) this.errors.push([this.ends.length, text]);
    this.used += this.block.write(text, this.used);
    this.block[this.used] = NEWLINE;
    this.used += 1;
    this.ends.push(this.used);
    return this.used >= WORKER_BLOCK - 16 * 1024;
  }

  get size(): number {
    return this.ends.length;
  }

  /** The answers so far, with a buffer of their own (to transfer), and a fresh block for what follows. */
  take(): EncodedAnswers {
    const answers = { bytes: this.block.subarray(0, this.used), ends: Int32Array.from(this.ends), errors: this.errors };
    this.block = Buffer.allocUnsafe(WORKER_BLOCK);
    this.used = 0;
    this.ends = [];
    this.errors = [];
    return answers;
  }

  private grow(size: number): void {
    const bigger = Buffer.allocUnsafe(Math.max(size, this.block.length * 2));
    this.block.copy(bigger, 0, 0, this.used);
    this.block = bigger;
  }
}

/** Answers written in order to the sink, a block at a time; error lines counted (and named) by `badLines`. */
export class ReplayOut {
  private block = Buffer.allocUnsafe(BLOCK);
  private used = 0;
  /** Answers written so far. */
  written = 0;

  /** `sink` null discards the text (a replay whose settlements nobody is to read); slips are kept apart by a blank line. */
  constructor(
    private readonly sink: Writable | null,
    private readonly badLines: BadLines,
    private readonly slips: boolean,
  ) {}

  /**
   * Adds one answer. Returns a promise only when a block was written, to be awaited for backpressure;
   * otherwise undefined, so the caller's hot loop need not await at all.
   */
  text(text: string): Promise<void> | undefined {
    this.badLines.addAnswer(text);
    const needed = text.length * 3 + 2;
    const drained = this.used + needed > this.block.length ? this.flush() : undefined;
    this.separate();
    if (needed > this.block.length) {
      this.flushNow();
      void this.sink?.write(`${text}\n`);
    } else {
      this.used += this.block.write(text, this.used);
      this.block[this.used] = NEWLINE;
      this.used += 1;
    }
    this.written += 1;
    return drained;
  }

  /** Adds answer `index` of a worker's encoded answers; a promise only when a block was written. */
  encoded(answers: EncodedAnswers, index: number, error: string | undefined): Promise<void> | undefined {
    if (error !== undefined) this.badLines.addAnswer(error);
    const start = index === 0 ? 0 : (answers.ends[index - 1] as number);
    const end = answers.ends[index] as number;
    const length = end - start + 1;
    const drained = this.used + length > this.block.length ? this.flush() : undefined;
    this.separate();
    if (length > this.block.length) {
      this.flushNow();
      void this.sink?.write(Buffer.from(answers.bytes.subarray(start, end)));
    } else {
      this.block.set(answers.bytes.subarray(start, end), this.used);
      this.used += end - start;
    }
    this.written += 1;
    return drained;
  }

  /** Writes whatever is collected, waiting for the sink to drain when it is full. */
  async flush(): Promise<void> {
    const sink = this.sink;
    if (!this.flushNow() || sink === null || !sink.writableNeedDrain) return;
    await new Promise<void>((resolve) => sink.once('drain', resolve));
  }

  /** Hands the block to the sink and starts a new one; true when there was anything to write. */
  private flushNow(): boolean {
    if (this.used === 0) return false;
    const chunk = this.block.subarray(0, this.used);
    this.block = Buffer.allocUnsafe(BLOCK);
    this.used = 0;
    this.sink?.write(chunk);
    return true;
  }

  /** The blank line between two slips. */
  private separate(): void {
    if (this.slips && this.written > 0) {
      this.block[this.used] = NEWLINE;
      this.used += 1;
    }
  }
}
