/** `claims whatif`: a year of claims under the policies in force and under changed ones, side by side. */
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { whatIfReportHtml } from '../../shared/province/whatif-report.js';
import { builtInPolicyBook } from '../../shared/policy/book.js';
import { formatWhatIf, runWhatIf, whatIfToJson } from '../../shared/province/whatif.js';
import { integerOption } from '../args.js';
import { EXIT_NOTHING, UsageError, warn } from '../errors.js';
import { writeOut } from '../io.js';
import { loadPolicyBook } from '../policy-files.js';
import { claimsOfPartition, partitionOption } from '../partition.js';
import { Progress, claimsOf } from '../province-input.js';

export const WHATIF_HELP = `Usage: claims whatif CLAIMS.jsonl|- --policies DIR [options]

Replays a year of claims (claim contract v1, one per line, in discharge order per member) twice, each
with its own carried year-to-date totals: under the built-in policies in force, and under the built-in
policies with the overlays of DIR applied (another deductible, cap or catastrophic segment). Reports
side by side: spending per fund, the patients' own share, members whose compliant self-pay crossed the
catastrophic threshold, and the members whose own share changed most. A progress bar is drawn on
stderr when it is a terminal.

Options:
  --policies DIR   the changed policy set: overlay files (*.json) applied over the built-in packs
  --top N          how many of the most affected members to list (default 10)
  --json           print the report as JSON
  --partition I/N  only the members of partition I of N (1 to N; a hash of member.id, as claims replay)
  --report FILE    also write FILE: one self-contained HTML page with charts (spending per fund by
                   month, the patients' share per claim, catastrophic crossings, the most affected
                   members, masked) and their numbers; it opens with no network
  -h, --help       show this help

Exit status: 0 done; 2 an invalid claim (its line is named); 3 no claims in the input; 1 other
errors; 64 usage.`;

/**
 * Chart.js's UMD build from the installed package, to inline into the report. The package exports
 * only its module entry points, so the build is found beside the CommonJS one.
 */
async function chartLibrary(): Promise<string> {
  const entry = createRequire(import.meta.url).resolve('chart.js');
  return readFile(join(dirname(entry), 'chart.umd.min.js'), 'utf8');
}

/** Runs `claims whatif`; returns the exit status. */
export async function runWhatIfCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      policies: { type: 'string' },
      top: { type: 'string' },
      json: { type: 'boolean', default: false },
      report: { type: 'string' },
      partition: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    await writeOut(`${WHATIF_HELP}\n`);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('claims whatif takes one CLAIMS file (or - for standard input); see claims whatif --help');
  if (values.policies === undefined) throw new UsageError('--policies DIR is required: the overlays that make the changed policy set');
  const top = integerOption('top', values.top, 10, 0, 10_000);
  const spec = partitionOption(values.partition);
  const file = positionals[0] as string;
  const baseline = builtInPolicyBook();
  const changed = await loadPolicyBook(values.policies);
  const progress = await Progress.forFile('whatif', file);
  const claims = spec ? claimsOfPartition(claimsOf(file, progress), spec) : claimsOf(file, progress);
  const report = await runWhatIf(claims, baseline, changed, { top, onProgress: (done) => progress.tick(done) });
  const rate = progress.finish();
  const json = whatIfToJson(report);
  if (values.report !== undefined) {
    await writeFile(values.report, whatIfReportHtml(json, { chartLibrary: await chartLibrary(), changedLabel: values.policies }));
    process.stderr.write(`claims whatif: report written to ${values.report}\n`);
  }
  await writeOut(values.json ? `${JSON.stringify(json, null, 2)}\n` : `${formatWhatIf(report)}\n`);
  process.stderr.write(`claims whatif: ${report.claims} claims replayed twice, ${Math.round(rate)} claims/s\n`);
  if (report.claims === 0) {
    warn(`${file === '-' ? 'standard input' : file} has no claims: nothing changes because nothing was replayed`);
    return EXIT_NOTHING;
  }
  return 0;
}
