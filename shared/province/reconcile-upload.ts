/**
 * A hospital's own list for reconciliation, read into records: a CSV row by its header, a JSON Lines
 * object, or a whole upload. Each bad row is an {@link InvalidRecordError} naming its line and fields.
 */
import { isIsoDate } from '../calendar/dates.js';
import type { FieldIssue } from '../contract/errors.js';
import { type Fen, tryParseMoney } from '../money/money.js';
import { InvalidRecordError } from './errors.js';
import { RECONCILED_FIELDS, REQUIRED_FIELDS, type ReconcileRecord, type ReconciledField } from './reconcile-record.js';

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
