/**
 * A small, honest timing loop: warm up, then run batches until a time budget is spent, and report the
 * median rate of the batches (the median resists a stray GC pause or a busy neighbour).
 */
import { performance } from 'node:perf_hooks';

export interface Rate {
  /** Operations per second, median of the batches. */
  readonly perSecond: number;
  /** Microseconds per operation at that rate. */
  readonly microsEach: number;
  readonly batches: number;
  readonly operations: number;
}

/** Measures how many times per second `work(i)` runs on this thread. */
export function measureRate(work: (i: number) => unknown, { seconds = 2, warmupSeconds = 0.5, batch = 500 } = {}): Rate {
  let sink = 0;
  const spin = (until: number, record?: number[]): number => {
    let ops = 0;
    while (performance.now() < until) {
      const start = performance.now();
      for (let i = 0; i < batch; i += 1) if (work(ops + i) === undefined) sink += 1;
      const elapsed = performance.now() - start;
      ops += batch;
      record?.push((batch * 1000) / elapsed);
    }
    return ops;
  };
  spin(performance.now() + warmupSeconds * 1000);
  const rates: number[] = [];
  const operations = spin(performance.now() + seconds * 1000, rates);
  rates.sort((a, b) => a - b);
  const perSecond = rates[Math.floor(rates.length / 2)] ?? 0;
  if (sink < 0) throw new Error('unreachable');
  return { perSecond, microsEach: 1e6 / perSecond, batches: rates.length, operations };
}

/** Formats a rate such as 123456.7 as "123,457". */
export const formatRate = (value: number): string => Math.round(value).toLocaleString('en-US');
