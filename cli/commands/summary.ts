/** `claims summary merge`: the summaries of a run's partitions added into the whole run's summary. */
import { parseArgs } from 'node:util';
import { UsageError } from '../errors.js';
import { readAllText, writeOut } from '../io.js';
import { SummaryMergeError, mergeSummaries, missingParts } from '../summary-merge.js';

export const SUMMARY_HELP = `Usage: claims summary merge SUMMARY.json… [--partial]

Adds the summaries of the partitions of one run (each written by claims replay --partition I/N
--summary FILE) into the summary of the whole run, on stdout as JSON: counts, rejections by code and
member-years added, every amount added exactly in fen; seconds is the slowest partition's (partitions
run side by side). Refused, naming the files: summaries of different policy sets or partition counts,
summaries sharing no year with the first (another run), two summaries of the same partition, and (without --partial) a set that leaves a partition out.
A merged summary can be merged again with the rest (merging in stages).

Options:
  --partial    allow a set that does not cover every partition (the output lists the parts it covers)
  -h, --help   show this help

Exit status: 0 done; 1 a file is unreadable, not a partition summary, or does not belong with the
others; 64 usage.`;

/** Runs `claims summary`; returns the exit status. */
export async function runSummary(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      partial: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    await writeOut(`${SUMMARY_HELP}\n`);
    return 0;
  }
  const [action, ...files] = positionals;
  if (action !== 'merge') throw new UsageError(`claims summary takes merge SUMMARY.json…${action === undefined ? '' : `, not ${action}`}; see claims summary --help`);
  if (files.length === 0) throw new UsageError('claims summary merge takes the partition summaries to add up; see claims summary --help');
  const inputs = await Promise.all(
    files.map(async (file) => {
      const text = await readAllText(file);
      try {
        return { file, value: JSON.parse(text) as unknown };
      } catch (cause) {
        throw new SummaryMergeError(`${file} is not JSON: ${(cause as Error).message}`, { cause });
      }
    }),
  );
  const merged = mergeSummaries(inputs);
  const missing = missingParts(merged.partition);
  if (missing.length > 0 && !values.partial) {
    throw new SummaryMergeError(`the summaries cover ${merged.partition.parts.length} of ${merged.partition.count} partitions; missing ${missing.join(', ')} (pass --partial to merge a subset)`);
  }
  await writeOut(`${JSON.stringify(merged, null, 2)}\n`);
  process.stderr.write(`claims summary merge: ${merged.partition.parts.length} of ${merged.partition.count} partitions, ${merged.claimsRead} claims, ${merged.members} member-years\n`);
  return 0;
}
