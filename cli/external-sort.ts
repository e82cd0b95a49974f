/**
 * External sort of records by a string key, for inputs too large to hold: records are collected in runs
 * of at most `runSize`, each run is sorted and written to a temporary file as JSON Lines, and the runs
 * are merged back in key order. Memory holds one run while reading and one record per run while
 * merging: O(runSize + runs), whatever the input size. An input that fits in one run never touches disk.
 */
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ExternalSortOptions {
  /** Records per run (default 50,000). */
  readonly runSize?: number;
  /** Where the run files go (default: the system's temporary directory). */
  readonly tmpDir?: string;
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

async function writeRun<T>(path: string, run: T[]): Promise<void> {
  const out = createWriteStream(path, { encoding: 'utf8' });
  for (const record of run) {
    if (!out.write(`${JSON.stringify(record)}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/**
 * The records of `input` in ascending order of `keyOf` (JavaScript code-unit order, the order the
 * reconciliation's merge join expects). Records must survive a JSON round trip.
 */
export async function* externalSort<T>(input: AsyncIterable<T> | Iterable<T>, keyOf: (record: T) => string, options: ExternalSortOptions = {}): AsyncGenerator<T> {
  const runSize = options.runSize ?? 50_000;
  const byKey = (a: T, b: T) => compare(keyOf(a), keyOf(b));
  let run: T[] = [];
  let dir: string | undefined;
  const runFiles: string[] = [];
  try {
    for await (const record of input) {
      run.push(record);
      if (run.length >= runSize) {
        dir ??= await mkdtemp(join(options.tmpDir ?? tmpdir(), 'claims-sort-'));
        const path = join(dir, `run-${runFiles.length}.jsonl`);
        run.sort(byKey);
        await writeRun(path, run);
        runFiles.push(path);
        run = [];
      }
    }
    run.sort(byKey);
    if (runFiles.length === 0) {
      yield* run;
      return;
    }
    // The last, partial run stays in memory as one more source of the merge.
    const readers = runFiles.map((path) => new RunReader<T>(path));
    for (const reader of readers) await reader.fill();
    let memoryIndex = 0;
    while (true) {
      // Linear scan of the heads: the number of runs is small (input size / runSize), and a heap would
      // cost more than it saves below a few hundred runs.
      let best: RunReader<T> | undefined;
      for (const reader of readers) {
        const head = reader.head;
        if (head !== undefined && (best === undefined || byKey(head, best.head as T) < 0)) best = reader;
      }
      const memoryHead = run[memoryIndex];
      if (memoryHead !== undefined && (best === undefined || byKey(memoryHead, best.head as T) <= 0)) {
        memoryIndex += 1;
        yield memoryHead;
        continue;
      }
      if (best === undefined) return;
      yield best.head as T;
      if (best.advance()) await best.fill();
    }
  } finally {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Reads one sorted run back a chunk at a time: the merge looks at `head` synchronously and awaits only
 * when a chunk is used up, instead of once per record.
 */
class RunReader<T> {
  private readonly chunks: AsyncIterator<string>;
  private batch: T[] = [];
  private index = 0;
  private rest = '';
  private done = false;

  constructor(path: string) {
    this.chunks = (createReadStream(path, { encoding: 'utf8', highWaterMark: 64 * 1024 }) as AsyncIterable<string>)[Symbol.asyncIterator]();
  }

  /** The current record, undefined when the run is exhausted. */
  get head(): T | undefined {
    return this.batch[this.index];
  }

  /** Moves past the head; true when the batch is used up and `fill` must be awaited. */
  advance(): boolean {
    this.index += 1;
    return this.index >= this.batch.length && !this.done;
  }

  /** Reads records until at least one is available or the run ends. */
  async fill(): Promise<void> {
    this.batch = [];
    this.index = 0;
    while (this.batch.length === 0 && !this.done) {
      const next = await this.chunks.next();
      if (next.done) {
        this.done = true;
        if (this.rest !== '') this.batch.push(JSON.parse(this.rest) as T);
        this.rest = '';
        return;
      }
      const lines = (this.rest + next.value).split('\n');
      this.rest = lines.pop() as string;
      for (const line of lines) if (line !== '') this.batch.push(JSON.parse(line) as T);
    }
  }
}
