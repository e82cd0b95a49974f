/**
 * Adding partition summaries (`claims replay --partition I/N --summary FILE`) into the summary of the
 * whole run. Counts and member-years add up; amounts are added in integer fen (BigInt, so no sum of a
 * province can lose a fen), so the merged summary is, to the fen, the summary the unpartitioned replay
 * writes. Summaries of other policy sets, of years disjoint from the first's (another run) or of another
 * partition count are refused, as are two summaries that cover the same partition.
 */
import * as z from 'zod';
import { ADJUSTED_FUNDS } from '../shared/ledger/adjustment.js';
import { type Fen, formatMoney } from '../shared/money/money.js';
import { CliError } from './errors.js';
import type { PartitionSummaryJson } from './partition.js';
import { SUMMARY_FUNDS } from './replay-summary.js';

/** A summary that cannot be merged with the others: exit 1, naming the files. */
export class SummaryMergeError extends CliError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, 1, options);
    this.name = 'SummaryMergeError';
  }
}

const count = z.number().int().nonnegative();
const yuan = z.string().regex(/^-?\d+\.\d{2}$/, 'must be yuan with two decimals');
const COUNTS = ['claimsRead', 'settled', 'rejected', 'invalid', 'duplicates', 'conflictingResends', 'corrections', 'correctionsRefused', 'resettled', 'members'] as const;

const summarySchema = z.object({
  ...Object.fromEntries(COUNTS.map((key) => [key, count])),
  rejectedByCode: z.record(z.string(), count),
  adjustments: z.object(Object.fromEntries(ADJUSTED_FUNDS.map((fund) => [fund, yuan]))),
  amounts: z.object(Object.fromEntries(SUMMARY_FUNDS.map((fund) => [fund, yuan]))),
  seconds: z.number().nonnegative(),
  claimsPerSecond: z.number().nonnegative(),
  partition: z.object({ count: z.number().int().min(1), parts: z.array(z.number().int().min(1)).min(1) }, 'is required: write the summary with claims replay --partition I/N'),
  policySet: z.object({ policies: z.array(z.string()), digest: z.string() }),
  years: z.array(z.number().int()),
});

/** One summary file as read. */
export interface NamedSummary {
  readonly file: string;
  readonly value: unknown;
}

/** Yuan with two decimals, signed, as whole fen. */
const fenOf = (text: string): bigint => {
  const negative = text.startsWith('-');
  const digits = (negative ? text.slice(1) : text).replace('.', '');
  return negative ? -BigInt(digits) : BigInt(digits);
};

function money(fen: bigint, what: string): string {
  const value = Number(fen);
  if (!Number.isSafeInteger(value)) throw new SummaryMergeError(`the merged ${what} (${fen} fen) is beyond what a summary can state exactly`);
  return formatMoney(value as Fen);
}

function read({ file, value }: NamedSummary): PartitionSummaryJson {
  const parsed = summarySchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0] as z.core.$ZodIssue;
    throw new SummaryMergeError(`${file} is not a partition summary: ${issue.path.join('.') || '(the file)'} ${issue.message}`);
  }
  const summary = parsed.data as unknown as PartitionSummaryJson;
  const outside = summary.partition.parts.find((part) => part > summary.partition.count);
  if (outside !== undefined) throw new SummaryMergeError(`${file} names partition ${outside} of ${summary.partition.count}`);
  return summary;
}

/** Refuses summaries that do not belong to one run; each message names the two files. */
function checkSameRun(files: readonly string[], summaries: readonly PartitionSummaryJson[]): void {
  const [first] = summaries as [PartitionSummaryJson];
  const owner = new Map<number, string>();
  summaries.forEach((summary, i) => {
    const file = files[i] as string;
    if (summary.partition.count !== first.partition.count) {
      throw new SummaryMergeError(`${file} is one of ${summary.partition.count} partitions, ${files[0]} one of ${first.partition.count}: partitions of different counts hold different members`);
    }
    if (summary.policySet.digest !== first.policySet.digest) {
      throw new SummaryMergeError(`${file} was settled under another policy set than ${files[0]} (${summary.policySet.policies.join(', ')}, ${summary.policySet.digest} against ${first.policySet.digest})`);
    }
    // A small partition may miss a year the others have; a partition of another run shares none of them.
    if (summary.years.length > 0 && first.years.length > 0 && !summary.years.some((year) => first.years.includes(year))) {
      throw new SummaryMergeError(`${file} covers the years ${summary.years.join(', ')}, ${files[0]} the years ${first.years.join(', ')}: not one run`);
    }
    for (const part of summary.partition.parts) {
      const other = owner.get(part);
      if (other !== undefined) throw new SummaryMergeError(`${other} and ${file} both cover partition ${part}/${summary.partition.count}: it would be counted twice`);
      owner.set(part, file);
    }
  });
}

/**
 * The summary of the partitions together.
 * @throws SummaryMergeError naming the file that is not a summary, or the two that do not belong together.
 */
export function mergeSummaries(inputs: readonly NamedSummary[]): PartitionSummaryJson {
  if (inputs.length === 0) throw new SummaryMergeError('no summary to merge');
  const summaries = inputs.map(read);
  checkSameRun(
    inputs.map(({ file }) => file),
    summaries,
  );
  const [first] = summaries as [PartitionSummaryJson];
  const total = (key: (typeof COUNTS)[number]): number => summaries.reduce((sum, summary) => sum + summary[key], 0);
  const rejectedByCode: Record<string, number> = {};
  const codes = [...new Set(summaries.flatMap((summary) => Object.keys(summary.rejectedByCode)))].sort();
  for (const code of codes) rejectedByCode[code] = summaries.reduce((sum, summary) => sum + ((summary.rejectedByCode as Record<string, number>)[code] ?? 0), 0);
  const fen = <K extends string>(keys: readonly K[], of: (summary: PartitionSummaryJson) => Record<K, string>, what: string) =>
    Object.fromEntries(keys.map((key) => [key, money(summaries.reduce((sum, summary) => sum + fenOf(of(summary)[key]), 0n), `${what} ${key}`)])) as Record<K, string>;
  // Partitions run side by side: the run took as long as its slowest partition.
  const seconds = Math.max(...summaries.map((summary) => summary.seconds));
  const claimsRead = total('claimsRead');
  return {
    claimsRead,
    settled: total('settled'),
    rejected: total('rejected'),
    rejectedByCode,
    invalid: total('invalid'),
    duplicates: total('duplicates'),
    conflictingResends: total('conflictingResends'),
    corrections: total('corrections'),
    correctionsRefused: total('correctionsRefused'),
    resettled: total('resettled'),
    adjustments: fen(ADJUSTED_FUNDS, (summary) => summary.adjustments, 'adjustment'),
    amounts: fen(SUMMARY_FUNDS, (summary) => summary.amounts, 'amount'),
    members: total('members'),
    seconds,
    claimsPerSecond: seconds > 0 ? Math.round(claimsRead / seconds) : 0,
    partition: { count: first.partition.count, parts: summaries.flatMap((summary) => summary.partition.parts).sort((a, b) => a - b) },
    policySet: first.policySet,
    years: [...new Set(summaries.flatMap((summary) => summary.years))].sort((a, b) => a - b),
  };
}

/** The partitions (1-based) of `count` that `parts` leaves out. */
export function missingParts(partition: PartitionSummaryJson['partition']): number[] {
  const have = new Set(partition.parts);
  return Array.from({ length: partition.count }, (_, i) => i + 1).filter((part) => !have.has(part));
}
