/**
 * Reconciliation (对账) of the agency's settlements with a hospital's own list, in the spirit of the
 * national platform's 3201 (totals per fund) and 3202 (claim by claim) checks.
 *
 * Both sides arrive as streams sorted by claim id (strictly ascending, JavaScript code-unit order) and
 * are compared by a merge join: one record of each side is held at a time, so the comparison itself
 * runs in constant memory whatever the size of the files; findings are yielded as they are found and
 * never collected. Sorting is the caller's job (the command line does an external sort with a bounded
 * run size); an input that is out of order is an error, never a silent miscount.
 *
 * Compared, to the fen: the total and the four funds (medfee_sumamt, hifp_pay, hifmi_pay, maf_pay,
 * oth_pay); hosp_part_amt and psn_part_amt when the hospital's file has them; the discharge date when
 * both sides carry it.
 */
import { type Fen, formatMoney } from '../money/money.js';
import { UnsortedInputError } from './errors.js';
import { RECONCILED_FIELDS, REQUIRED_FIELDS, type ReconcileRecord, type ReconciledField } from './reconcile-record.js';

// One door to the reconciliation: the record and the reading of a hospital's list live beside it.
export { RECONCILED_FIELDS, REQUIRED_FIELDS, type ReconcileRecord, type ReconciledField, ourRecordOf } from './reconcile-record.js';
export { readTheirCsvRow, readTheirJsonLine, readTheirRecord, readTheirUpload, splitCsvLine } from './reconcile-upload.js';

/** One field on which the two sides disagree; `delta` is theirs − ours. */
export interface FieldDifference {
  readonly field: ReconciledField | 'discharge_date';
  readonly ours: string;
  readonly theirs: string;
  readonly delta?: string;
}

export type Finding =
  | { readonly kind: 'only-ours'; readonly claimId: string; readonly ours: ReconcileRecord }
  | { readonly kind: 'only-theirs'; readonly claimId: string; readonly theirs: ReconcileRecord }
  | { readonly kind: 'differs'; readonly claimId: string; readonly differences: readonly FieldDifference[] };

/** Per side: how many claims and the sum of each field (the 3201 totals). */
export interface SideTotals {
  claims: number;
  readonly amounts: Record<ReconciledField, number>;
  /** Which fields this side stated at least once (a hospital's file may leave out the optional ones). */
  readonly present: Set<ReconciledField>;
}

export interface ReconcileSummary {
  matched: number;
  differing: number;
  onlyOurs: number;
  onlyTheirs: number;
  readonly ours: SideTotals;
  readonly theirs: SideTotals;
}

const emptyTotals = (): SideTotals => ({
  claims: 0,
  amounts: Object.fromEntries(RECONCILED_FIELDS.map((field) => [field, 0])) as Record<ReconciledField, number>,
  present: new Set(),
});

/** The fields on which two records of the same claim disagree. */
export function compareRecords(ours: ReconcileRecord, theirs: ReconcileRecord): FieldDifference[] {
  const differences: FieldDifference[] = [];
  if (ours.dischargedOn !== undefined && theirs.dischargedOn !== undefined && ours.dischargedOn !== theirs.dischargedOn) {
    differences.push({ field: 'discharge_date', ours: ours.dischargedOn, theirs: theirs.dischargedOn });
  }
  for (const field of RECONCILED_FIELDS) {
    const a = ours.amounts[field];
    const b = theirs.amounts[field];
    if (a === undefined || b === undefined || a === b) continue;
    differences.push({ field, ours: formatMoney(a), theirs: formatMoney(b), delta: formatMoney((b - a) as Fen) });
  }
  return differences;
}

/** An iterator over a sync or async iterable. */
function iteratorOf<T>(records: AsyncIterable<T> | Iterable<T>): AsyncIterator<T> | Iterator<T> {
  return Symbol.asyncIterator in records ? records[Symbol.asyncIterator]() : records[Symbol.iterator]();
}

/**
 * The merge join. Iterate `findings()` to the end; `summary` is then complete.
 */
export class Reconciliation {
  readonly summary: ReconcileSummary = { matched: 0, differing: 0, onlyOurs: 0, onlyTheirs: 0, ours: emptyTotals(), theirs: emptyTotals() };

  constructor(
    private readonly ours: AsyncIterable<ReconcileRecord> | Iterable<ReconcileRecord>,
    private readonly theirs: AsyncIterable<ReconcileRecord> | Iterable<ReconcileRecord>,
  ) {}

  private count(totals: SideTotals, record: ReconcileRecord): void {
    countInto(totals, record);
  }

  /** Findings in claim-id order: claims on one side only, and claims whose fields differ. */
  async *findings(): AsyncGenerator<Finding> {
    const oursIterator = iteratorOf(this.ours);
    const theirsIterator = iteratorOf(this.theirs);
    // The order check is inline (not a wrapping generator): one await per record per side is the cost.
    let lastOurs: string | undefined;
    let lastTheirs: string | undefined;
    const nextOurs = async () => {
      const next = await oursIterator.next();
      if (!next.done) {
        if (lastOurs !== undefined && !(lastOurs < next.value.claimId)) throw new UnsortedInputError('ours', lastOurs, next.value.claimId);
        lastOurs = next.value.claimId;
      }
      return next;
    };
    const nextTheirs = async () => {
      const next = await theirsIterator.next();
      if (!next.done) {
        if (lastTheirs !== undefined && !(lastTheirs < next.value.claimId)) throw new UnsortedInputError('theirs', lastTheirs, next.value.claimId);
        lastTheirs = next.value.claimId;
      }
      return next;
    };
    let a = await nextOurs();
    let b = await nextTheirs();
    while (!a.done || !b.done) {
      if (!a.done && (b.done || a.value.claimId < b.value.claimId)) {
        this.count(this.summary.ours, a.value);
        this.summary.onlyOurs += 1;
        yield { kind: 'only-ours', claimId: a.value.claimId, ours: a.value };
        a = await nextOurs();
      } else if (!b.done && (a.done || b.value.claimId < a.value.claimId)) {
        this.count(this.summary.theirs, b.value);
        this.summary.onlyTheirs += 1;
        yield { kind: 'only-theirs', claimId: b.value.claimId, theirs: b.value };
        b = await nextTheirs();
      } else if (!a.done && !b.done) {
        this.count(this.summary.ours, a.value);
        this.count(this.summary.theirs, b.value);
        const differences = compareRecords(a.value, b.value);
        if (differences.length === 0) this.summary.matched += 1;
        else {
          this.summary.differing += 1;
          yield { kind: 'differs', claimId: a.value.claimId, differences };
        }
        a = await nextOurs();
        b = await nextTheirs();
      }
    }
  }
}

/** A finding as JSON (amounts as yuan strings). */
export function findingToJson(finding: Finding): Record<string, unknown> {
  const recordJson = (record: ReconcileRecord) => ({
    dischargedOn: record.dischargedOn ?? null,
    ...Object.fromEntries(RECONCILED_FIELDS.filter((field) => record.amounts[field] !== undefined).map((field) => [field, formatMoney(record.amounts[field] as Fen)])),
  });
  switch (finding.kind) {
    case 'only-ours':
      return { kind: finding.kind, claimId: finding.claimId, ours: recordJson(finding.ours) };
    case 'only-theirs':
      return { kind: finding.kind, claimId: finding.claimId, theirs: recordJson(finding.theirs) };
    default:
      return { kind: finding.kind, claimId: finding.claimId, differences: finding.differences };
  }
}

/** The summary as JSON: counts, and per field both sides' totals and their difference (theirs − ours). */
export function summaryToJson(summary: ReconcileSummary) {
  return {
    matched: summary.matched,
    differing: summary.differing,
    onlyOurs: summary.onlyOurs,
    onlyTheirs: summary.onlyTheirs,
    claims: { ours: summary.ours.claims, theirs: summary.theirs.claims },
    // An optional field is totalled only when the hospital's side states it: otherwise its total
    // would be compared with nothing.
    totals: RECONCILED_FIELDS.filter((field) => (REQUIRED_FIELDS as readonly string[]).includes(field) || summary.theirs.present.has(field)).map((field) => ({
      field,
      ours: formatMoney(summary.ours.amounts[field] as Fen),
      theirs: formatMoney(summary.theirs.amounts[field] as Fen),
      delta: formatMoney((summary.theirs.amounts[field] - summary.ours.amounts[field]) as Fen),
    })),
    agrees: summary.differing === 0 && summary.onlyOurs === 0 && summary.onlyTheirs === 0,
  };
}

/**
 * Reconciliation against a store that can be read per claim: the hospital's list (`theirs`, already in
 * memory, as an API request body is) is held in a map, our side of the period is streamed once, and
 * the hospital's claims not found in the period are looked up by id (a claim we hold under another
 * discharge date is then reported as a date difference, not as missing). Memory: the hospital's list
 * plus one lookup batch; our side is never held. Findings come back in claim-id order.
 * @throws UnsortedInputError when the hospital's list names a claim twice.
 */
export async function reconcileByLookup(
  theirs: Iterable<ReconcileRecord>,
  oursInPeriod: AsyncIterable<ReconcileRecord> | Iterable<ReconcileRecord>,
  lookup: (claimIds: readonly string[]) => Promise<Map<string, ReconcileRecord>>,
): Promise<{ findings: Finding[]; summary: ReconcileSummary }> {
  const summary: ReconcileSummary = { matched: 0, differing: 0, onlyOurs: 0, onlyTheirs: 0, ours: emptyTotals(), theirs: emptyTotals() };
  const pending = new Map<string, ReconcileRecord>();
  for (const record of theirs) {
    if (pending.has(record.claimId)) throw new UnsortedInputError('theirs', record.claimId, record.claimId);
    pending.set(record.claimId, record);
  }
  const findings: Finding[] = [];
  const both = (ours: ReconcileRecord, their: ReconcileRecord) => {
    countInto(summary.ours, ours);
    countInto(summary.theirs, their);
    const differences = compareRecords(ours, their);
    if (differences.length === 0) summary.matched += 1;
    else {
      summary.differing += 1;
      findings.push({ kind: 'differs', claimId: ours.claimId, differences });
    }
  };
  for await (const ours of oursInPeriod) {
    const their = pending.get(ours.claimId);
    if (their) {
      pending.delete(ours.claimId);
      both(ours, their);
    } else {
      countInto(summary.ours, ours);
      summary.onlyOurs += 1;
      findings.push({ kind: 'only-ours', claimId: ours.claimId, ours });
    }
  }
  const left = [...pending.keys()];
  for (let i = 0; i < left.length; i += 100) {
    const batch = left.slice(i, i + 100);
    const found = await lookup(batch);
    for (const claimId of batch) {
      const their = pending.get(claimId) as ReconcileRecord;
      const ours = found.get(claimId);
      if (ours) both(ours, their);
      else {
        countInto(summary.theirs, their);
        summary.onlyTheirs += 1;
        findings.push({ kind: 'only-theirs', claimId, theirs: their });
      }
    }
  }
  findings.sort((a, b) => (a.claimId < b.claimId ? -1 : a.claimId > b.claimId ? 1 : 0));
  return { findings, summary };
}

function countInto(totals: SideTotals, record: ReconcileRecord): void {
  totals.claims += 1;
  for (const field of RECONCILED_FIELDS) {
    const amount = record.amounts[field];
    if (amount === undefined) continue;
    totals.amounts[field] += amount;
    totals.present.add(field);
  }
}
