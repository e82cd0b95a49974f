/**
 * `claims replay` end to end: 100,000 generated claims written to a file, then replayed by the real
 * command in a fresh process (reading, validating, settling with carried totals, writing JSON Lines).
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ReplaySummaryJson } from '../cli/replay-summary.js';
import { generateClaims } from '../cli/sample/generate.js';

export interface ReplayRow {
  readonly claims: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly settled: number;
  readonly rejected: number;
}

/** Writes `count` generated claims to a JSON Lines file and replays it with the command. */
export function benchReplay(count = 100_000, seed = 2018): ReplayRow {
  const dir = mkdtempSync(join(tmpdir(), 'claims-bench-'));
  try {
    const input = join(dir, 'claims.jsonl');
    const fd = openSync(input, 'w');
    for (const claim of generateClaims({ count, seed })) writeSync(fd, `${JSON.stringify(claim)}\n`);
    closeSync(fd);
    const summaryFile = join(dir, 'summary.json');
    const start = performance.now();
    const run = spawnSync(process.execPath, ['dist/cli/main.js', 'replay', input, '--output', join(dir, 'out.jsonl'), '--summary', summaryFile], {
      encoding: 'utf8',
    });
    const seconds = (performance.now() - start) / 1000;
    if (run.status !== 0) throw new Error(`replay exited ${run.status}: ${run.stderr}`);
    const summary = JSON.parse(readFileSync(summaryFile, 'utf8')) as ReplaySummaryJson;
    return { claims: count, seconds, perSecond: count / seconds, settled: summary.settled, rejected: summary.rejected };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
