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
import { createInterface } from 'node:readline';

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
    const sources: AsyncIterator<T>[] = runFiles.map((path) => readRun<T>(path));
    sources.push((async function* () {
      yield* run;
    })());
    const heads: (T | undefined)[] = [];
    for (const source of sources) {
      const next = await source.next();
      heads.push(next.done ? undefined : next.value);
    }
    while (true) {
      let best = -1;
      for (let i = 0; i < heads.length; i += 1) {
        const head = heads[i];
        if (head !== undefined && (best < 0 || byKey(head, heads[best] as T) < 0)) best = i;
      }
      if (best < 0) return;
      yield heads[best] as T;
      const next = await (sources[best] as AsyncIterator<T>).next();
      heads[best] = next.done ? undefined : next.value;
    }
  } finally {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  }
}

async function* readRun<T>(path: string): AsyncGenerator<T> {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  for await (const line of lines) if (line !== '') yield JSON.parse(line) as T;
}
