/**
 * `npm run bench`: measures the engine and the command line on this machine, prints a table and writes
 * it to docs/benchmarks.md with the machine, the Node version and the command to reproduce it.
 * Figures, not assertions: no benchmark ever fails a build.
 */
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { inpatientClaim } from './claims.js';
import { benchEngine } from './engine.js';
import { benchReplay } from './replay.js';
import { formatRate } from './measure.js';
import { benchStartup } from './startup.js';

const seconds = Number(process.env['BENCH_SECONDS'] ?? '2');

function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  return [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n');
}

function main(): void {
  const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform}/${process.arch}`;
  process.stderr.write(`bench: ${machine}\n`);

  process.stderr.write('bench: engine…\n');
  const engine = benchEngine([1, 20, 200], seconds);
  const engineTable = table(
    ['inpatient claim', 'validation (claims/s)', 'settlement (claims/s)', 'both (claims/s)', 'settlement µs/claim'],
    engine.map((row) => [
      `${row.lines} line${row.lines === 1 ? '' : 's'}`,
      formatRate(row.validation.perSecond),
      formatRate(row.settlement.perSecond),
      formatRate(row.both.perSecond),
      row.settlement.microsEach.toFixed(1),
    ]),
  );

  process.stderr.write('bench: replay of 100,000 generated claims…\n');
  const replay = benchReplay(100_000);
  const replayTable = table(
    ['claims', 'settled', 'rejected', 'wall time (s)', 'claims/s'],
    [[formatRate(replay.claims), formatRate(replay.settled), formatRate(replay.rejected), replay.seconds.toFixed(2), formatRate(replay.perSecond)]],
  );

  process.stderr.write('bench: command start-up…\n');
  const oneClaim = JSON.stringify(inpatientClaim(20));
  const startup = [benchStartup('claims --help', ['--help'], undefined), benchStartup('claims settle - (20-line claim)', ['settle', '-'], oneClaim)];
  const startupTable = table(
    ['command', 'median wall time (ms)', 'runs'],
    startup.map((row) => [row.command, row.medianMs.toFixed(1), String(row.runs)]),
  );

  const report = [
    '# Benchmarks',
    '',
    `Measured by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: ${machine}.`,
    'One core (the engine runs on the main thread); each rate is the median of batches over a',
    `${seconds}-second window after a warm-up (\`BENCH_SECONDS\` changes the window).`,
    '',
    '## Engine throughput',
    '',
    'Validation is JSON text → zod contract → Claim; settlement is Claim → Settlement with its trace;',
    '"both" is what `claims settle --lines` does per line.',
    '',
    engineTable,
    '',
    '## Replay (the embedded main job)',
    '',
    '`claims replay FILE` in a fresh process over 100,000 generated claims (`generateClaims`, seed 2018):',
    'streaming the file, validating, settling with carried year-to-date totals, writing JSON Lines.',
    '',
    replayTable,
    '',
    '## Command start-up',
    '',
    'A fresh Node process per run, as a HIS script calling the command would see it.',
    '',
    startupTable,
    '',
  ].join('\n');
  process.stdout.write(`${report}\n`);
  writeFileSync('docs/benchmarks.md', report);
  process.stderr.write('bench: wrote docs/benchmarks.md\n');
}

main();
