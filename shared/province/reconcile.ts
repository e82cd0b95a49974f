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
import { isIsoDate } from '../calendar/dates.js';
import type { FieldIssue } from '../contract/errors.js';
import { type Fen, formatMoney, tryParseMoney } from '../money/money.js';
import { InvalidRecordError, UnsortedInputError } from './errors.js';
import type { SettlementRecord } from './settlement-record.js';

/** The amounts compared, by national field name. */
export const RECONCILED_FIELDS = ['medfee_sumamt', 'hifp_pay', 'hifmi_pay', 'maf_pay', 'oth_pay', 'hosp_part_amt', 'psn_part_amt'] as const;
export type ReconciledField = (typeof RECONCILED_FIELDS)[number];
/** The fields a hospital's file must have; the others are compared only when present. */
export const REQUIRED_FIELDS = ['medfee_sumamt', 'hifp_pay', 'hifmi_pay', 'maf_pay', 'oth_pay'] as const satisfies readonly ReconciledField[];

/** One claim as either side states it. */
export interface ReconcileRecord {
  readonly claimId: string;
  readonly dischargedOn: string | undefined;
  readonly amounts: Readonly<Partial<Record<ReconciledField, Fen>>> & Readonly<Record<(typeof REQUIRED_FIELDS)[number], Fen>>;
}

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

/** Our side of a settlement record: only `settled` ones are owed; rejected and reversed ones are not. */
export function ourRecordOf(record: SettlementRecord): ReconcileRecord | undefined {
  if (record.status !== 'settled') return undefined;
  const { amounts } = record.settlement;
  return {
    claimId: record.settlement.claimId,
    dischargedOn: record.dischargedOn,
    amounts: {
      medfee_sumamt: amounts.total,
      hifp_pay: amounts.basic,
      hifmi_pay: amounts.catastrophic,
      maf_pay: amounts.assistance,
      oth_pay: amounts.charity,
      hosp_part_amt: amounts.hospitalBorne,
      psn_part_amt: amounts.patient,
    },
  };
}

/** Column names a hospital may use for the claim id and the discharge date (the national names too). */
const CLAIM_ID_NAMES = ['claim_id', 'claimId', 'setl_id', 'medins_setl_id'];
const DISCHARGE_NAMES = ['discharge_date', 'dischargedOn', 'enddate'];

/**
 * Reads one record of a hospital's upload from its fields (a CSV row by header, or a JSON object).
 * Amounts are yuan decimal strings with at most two decimals (JSON numbers are refused: a float has no
 * place in a reconciliation to the fen).
 * @throws InvalidRecordError naming each bad field.
 */
export function readTheirRecord(fields: Record<string, unknown>, source: string, line: number): ReconcileRecord {
  const issues: FieldIssue[] = [];
  const pick = (names: readonly string[]): unknown => names.map((name) => fields[name]).find((value) => value !== undefined && value !== '');
  const claimId = pick(CLAIM_ID_NAMES);
  if (typeof claimId !== 'string' || claimId.length === 0) issues.push({ path: 'claim_id', message: 'is required' });
  const date = pick(DISCHARGE_NAMES);
  if (typeof date !== 'string' || !isIsoDate(date)) issues.push({ path: 'discharge_date', message: 'is required, a date YYYY-MM-DD' });
  const amounts: Partial<Record<ReconciledField, Fen>> = {};
  for (const field of RECONCILED_FIELDS) {
    const value = fields[field];
    if (value === undefined || value === '') {
      if ((REQUIRED_FIELDS as readonly string[]).includes(field)) issues.push({ path: field, message: 'is required' });
      continue;
    }
    const fen = typeof value === 'string' ? tryParseMoney(value) : undefined;
    if (fen === undefined) issues.push({ path: field, message: 'must be a non-negative yuan amount with at most two decimals, as text' });
    else amounts[field] = fen;
  }
  if (issues.length > 0) throw new InvalidRecordError(source, line, issues);
  return { claimId: claimId as string, dischargedOn: date as string, amounts: amounts as ReconcileRecord['amounts'] };
}

/** Splits one CSV line (RFC 4180 quoting; a field may not span lines). */
export function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i += 1) {
    const char = line[i];
    if (quoted) {
      if (char === '"') {
        if (line[i + 1] === '"') {
          field += '"';
          i += 1;
        } else quoted = false;
      } else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      fields.push(field);
      field = '';
    } else field += char;
  }
  fields.push(field);
  return fields;
}

/** Reads a CSV row of a hospital's upload against its header. */
export function readTheirCsvRow(header: readonly string[], line: string, source: string, lineNumber: number): ReconcileRecord {
  const cells = splitCsvLine(line.replace(/\r$/, ''));
  if (cells.length !== header.length) {
    throw new InvalidRecordError(source, lineNumber, [{ path: '', message: `has ${cells.length} fields, the header ${header.length}` }]);
  }
  return readTheirRecord(Object.fromEntries(header.map((name, index) => [name, cells[index]])), source, lineNumber);
}

/** Reads a JSON Lines row of a hospital's upload. */
export function readTheirJsonLine(text: string, source: string, lineNumber: number): ReconcileRecord {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new InvalidRecordError(source, lineNumber, [{ path: '', message: `is not JSON (${(cause as Error).message})` }], { cause });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InvalidRecordError(source, lineNumber, [{ path: '', message: 'must be a JSON object' }]);
  return readTheirRecord(value as Record<string, unknown>, source, lineNumber);
}

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

/**
 * A hospital's whole upload (an API request body) as records: CSV with a header line, or JSON Lines.
 * @throws InvalidRecordError naming the line and fields of the first bad row.
 */
export function readTheirUpload(text: string, format: 'csv' | 'jsonl', source = 'upload'): ReconcileRecord[] {
  const records: ReconcileRecord[] = [];
  let header: string[] | undefined;
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index += 1) {
    const line = (lines[index] as string).replace(/\r$/, '');
    if (line.trim() === '') continue;
    if (format === 'csv' && header === undefined) {
      header = splitCsvLine(line.replace(/^\uFEFF/, '')).map((name) => name.trim());
      continue;
    }
    records.push(format === 'csv' ? readTheirCsvRow(header as string[], line, source, index + 1) : readTheirJsonLine(line, source, index + 1));
  }
  return records;
}
