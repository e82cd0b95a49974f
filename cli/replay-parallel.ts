/**
 * Replay over worker threads. The main thread reads lines, sends each claim to the worker that owns its
 * member (a hash of `member.id`), and writes the answers back in input order; a worker settles its
 * members' claims in order against its own ledger. A line naming a claim already routed (a resend, a
 * reversal, which names only hospital + claim id, or a replacement) goes to the worker that saw that
 * claim, so the worker holding the claim decides it. The output is the same as the in-process replay.
 */
import { Worker } from 'node:worker_threads';
import { parseClaimJson } from '../shared/contract/claim.js';
import { InvalidClaimError } from '../shared/contract/errors.js';
import { CliError } from './errors.js';
import { invalidLine, type ReplayFormat, type ReplayInput } from './replay-core.js';
import { routeOf, routeOfValue } from './replay-events.js';
import type { EncodedAnswers, ReplayOut } from './replay-out.js';
import { ReplayTally } from './replay-summary.js';
import type { WorkerReply, WorkerRequest, WorkerSetup } from './replay-worker.js';

/** Lines sent to a worker at once: enough to make a message cheap, few enough to keep workers busy. */
const BATCH = 256;
/** Claims dispatched but not yet written, at most: bounds memory whatever the input size. */
const MAX_IN_FLIGHT = 16 * 1024;
/** Marks an answer the main thread made itself (input that is not JSON). */
const LOCAL = -1;

/** FNV-1a: a quick, stable hash that spreads member ids over the workers (the same id, the same hash, on every machine). */
export function memberHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** A first-in first-out queue without the cost of Array.shift on long queues. */
class Fifo<T> {
  private items: T[] = [];
  private head = 0;

  push(item: T): void {
    this.items.push(item);
  }

  get size(): number {
    return this.items.length - this.head;
  }

  peek(): T | undefined {
    return this.items[this.head];
  }

  take(): T {
    const item = this.items[this.head] as T;
    // Let go of the item at once: a worker's results hold a buffer of encoded answers.
    (this.items as (T | undefined)[])[this.head] = undefined;
    this.head += 1;
    if (this.head > 4096 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
}

/** Encoded answers of a worker, and how many of them are written. */
interface Results {
  readonly answers: EncodedAnswers;
  readonly errors: Map<number, string> | undefined;
  next: number;
}

interface Lane {
  readonly worker: Worker;
  readonly results: Fifo<Results>;
  /** Answers received and not yet written. */
  pending: number;
  lines: number[];
  texts: string[];
  done?: { resolve: (reply: Extract<WorkerReply, { type: 'done' }>) => void; reject: (error: Error) => void };
}

/** Options of {@link ParallelReplay}. */
export interface ParallelOptions {
  readonly workers: number;
  readonly policies: string | undefined;
  readonly format: ReplayFormat;
  readonly out: ReplayOut;
  /** Called after each write with the number of answers written so far. */
  readonly onProgress: (written: number) => void;
}

/** A replay spread over worker threads, fed line by line. */
export class ParallelReplay {
  private readonly lanes: Lane[];
  private readonly order = new Fifo<number>();
  private readonly local = new Fifo<string>();
  private readonly localTally = new ReplayTally();
  /** The lane of every claim routed so far, by hospital id + claim id. */
  private readonly laneOfClaim = new Map<string, number>();
  private dispatched = 0;
  private written = 0;
  private wake: (() => void) | undefined;
  private failure: Error | undefined;

  constructor(private readonly options: ParallelOptions) {
    const setup: WorkerSetup = { policies: options.policies, format: options.format };
    this.lanes = Array.from({ length: options.workers }, () => {
      const lane: Lane = { worker: new Worker(new URL('./replay-worker.js', import.meta.url), { workerData: setup }), results: new Fifo(), pending: 0, lines: [], texts: [] };
      lane.worker.on('message', (reply: WorkerReply) => this.receive(lane, reply));
      lane.worker.on('error', (error) => this.fail(new CliError(`replay worker failed: ${error.message}`, 1, { cause: error })));
      return lane;
    });
  }

  private receive(lane: Lane, reply: WorkerReply): void {
    if (reply.type === 'results') {
      const { answers } = reply;
      lane.results.push({ answers, errors: answers.errors.length > 0 ? new Map(answers.errors) : undefined, next: 0 });
      lane.pending += answers.ends.length;
    }
    else if (reply.type === 'done') lane.done?.resolve(reply);
    else this.fail(new CliError(`replay worker failed: ${reply.message}`));
    this.wakeUp();
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const lane of this.lanes) lane.done?.reject(this.failure);
    this.wakeUp();
  }

  private wakeUp(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  private waitForWorkers(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve) => {
      this.wake = resolve;
    });
  }

  /** Routes one input to its member's worker (or answers it here when it is not JSON); a promise when the caller must wait. */
  add(input: ReplayInput): Promise<void> | undefined {
    const text = 'text' in input ? input.text : JSON.stringify(input.value);
    const route = 'text' in input ? routeOf(input.text) : routeOfValue(input.value);
    const { line } = input;
    this.dispatched += 1;
    if (route === undefined) {
      this.localTally.read += 1;
      this.localTally.invalid += 1;
      try {
        parseClaimJson(text);
      } catch (error) {
        this.local.push(invalidLine(line, error as InvalidClaimError));
      }
      this.order.push(LOCAL);
    } else {
      let index = this.laneOfClaim.get(route.claimKey);
      if (index === undefined) {
        index = memberHash(route.memberId ?? route.claimKey) % this.lanes.length;
        // Only claim lines are remembered: a correction of a claim never seen is refused by whichever worker gets it.
        if (route.claim) this.laneOfClaim.set(route.claimKey, index);
      }
      const lane = this.lanes[index] as Lane;
      lane.lines.push(line);
      lane.texts.push(text);
      this.order.push(index);
      if (lane.texts.length >= BATCH) this.send(lane);
    }
    if (this.dispatched - this.written >= MAX_IN_FLIGHT) return this.catchUp();
    return (this.dispatched & 1023) === 0 ? this.pump().then(() => undefined) : undefined;
  }

  /** Sends every lane's batch and writes answers until half the claims in flight are written. */
  private async catchUp(): Promise<void> {
    for (const lane of this.lanes) this.send(lane);
    while (this.dispatched - this.written >= MAX_IN_FLIGHT / 2) {
      if (!(await this.pump())) await this.waitForWorkers();
    }
  }

  private send(lane: Lane): void {
    if (lane.texts.length === 0) return;
    lane.worker.postMessage({ type: 'batch', lines: lane.lines, texts: lane.texts } satisfies WorkerRequest);
    lane.lines = [];
    lane.texts = [];
  }

  /** Writes every answer that is ready, in input order; true when it wrote any. */
  private async pump(): Promise<boolean> {
    if (this.failure) throw this.failure;
    const before = this.written;
    const { out } = this.options;
    while (this.order.size > 0) {
      const index = this.order.peek() as number;
      let drained: Promise<void> | undefined;
      if (index === LOCAL) {
        if (this.local.size === 0) break;
        drained = out.text(this.local.take());
      } else {
        const lane = this.lanes[index] as Lane;
        if (lane.pending === 0) break;
        const results = lane.results.peek() as Results;
        const answer = results.next;
        results.next += 1;
        lane.pending -= 1;
        drained = out.encoded(results.answers, answer, results.errors?.get(answer));
        if (results.next === results.answers.ends.length) {
          lane.results.take();
          // Free the bytes now rather than at some later collection: this thread allocates too little to collect often.
          (results.answers.bytes.buffer as ArrayBuffer).transfer(0);
        }
      }
      this.order.take();
      this.written += 1;
      if (drained) await drained;
      this.options.onProgress(this.written);
    }
    return this.written > before;
  }

  /** Sends what is left, writes every answer, and returns the merged tally and the member-years held. */
  async finish(): Promise<{ tally: ReplayTally; members: number }> {
    try {
      for (const lane of this.lanes) this.send(lane);
      while (this.written < this.dispatched) {
        if (!(await this.pump())) await this.waitForWorkers();
      }
      const replies = await Promise.all(
        this.lanes.map(
          (lane) =>
            new Promise<Extract<WorkerReply, { type: 'done' }>>((resolve, reject) => {
              if (this.failure) reject(this.failure);
              lane.done = { resolve, reject };
              lane.worker.postMessage({ type: 'finish' } satisfies WorkerRequest);
            }),
        ),
      );
      const tally = new ReplayTally();
      tally.absorb(this.localTally.snapshot());
      for (const reply of replies) tally.absorb(reply.tally);
      return { tally, members: replies.reduce((sum, reply) => sum + reply.members, 0) };
    } finally {
      await Promise.all(this.lanes.map((lane) => lane.worker.terminate()));
    }
  }

  /** Stops the workers after a failure elsewhere. */
  async abort(): Promise<void> {
    await Promise.all(this.lanes.map((lane) => lane.worker.terminate()));
  }
}
