/** Start-up time of the `claims` command: a fresh Node process each time, as a HIS script would run it. */
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';

export interface StartupRow {
  readonly command: string;
  readonly medianMs: number;
  readonly runs: number;
}

/** Runs `node dist/cli/main.js ARGS` `runs` times and returns the median wall time. */
export function benchStartup(label: string, args: readonly string[], input: string | undefined, runs = 15): StartupRow {
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const start = performance.now();
    const result = spawnSync(process.execPath, ['dist/cli/main.js', ...args], { input, encoding: 'utf8' });
    times.push(performance.now() - start);
    if (result.status !== 0) throw new Error(`${label} exited ${result.status}: ${result.stderr}`);
  }
  times.sort((a, b) => a - b);
  return { command: label, medianMs: times[Math.floor(times.length / 2)] ?? 0, runs };
}
