/**
 * Hints for the mistakes people make with the command line, found from the shape of the input: a
 * settlement where a claim is expected and the reverse, JSON Lines given to `settle`, CSV read as JSON
 * Lines, an empty input. Each hint is a short clause appended to the one-line error.
 */
import type { FieldIssue, InvalidClaimError } from '../shared/contract/errors.js';

/** Fields a settlement has and a claim has not (`settlement` is the wrapper of a stored settlement). */
const SETTLEMENT_FIELDS = new Set(['amounts', 'trace', 'rejection', 'settlement', 'hospitalId', 'memberId', 'policyVersion']);
/** Fields of a claim that no settlement has. */
const CLAIM_FIELDS = ['member', 'hospital', 'visit', 'items'] as const;

/** What to say to someone who gave settlements where claims are expected. */
export const SETTLEMENT_GIVEN_HINT =
  'this looks like a settlement, not a claim: settlements are read by claims export, and by statement and reconcile with --settlements';

/** What to say to someone who gave claims where settlements are expected. */
export const CLAIM_GIVEN_HINT = 'this looks like a claim, not a settlement: settle the claims first (claims replay CLAIMS.jsonl > settlements.jsonl)';

/** What to say to someone who gave CSV where JSON Lines are read. */
export const CSV_GIVEN_HINT = 'this looks like CSV: pass --their-format csv';

/**
 * A hint for the issues of an invalid claim, or undefined when the mistake is not a known one.
 */
export function hintForIssues(issues: readonly FieldIssue[]): string | undefined {
  const unknownFields = issues.filter((issue) => issue.message === 'is not a field of the claim contract').map((issue) => issue.path);
  if (unknownFields.some((path) => SETTLEMENT_FIELDS.has(path))) return SETTLEMENT_GIVEN_HINT;
  const notJson = issues.find((issue) => issue.path === '' && issue.message.startsWith('is not JSON'));
  if (notJson === undefined) return undefined;
  // JSON.parse names the line of the second value ("… after JSON at position 812 (line 2 column 1)").
  if (/after JSON.*\(line \d+ column \d+\)/.test(notJson.message)) return 'the input holds more than one JSON value: for JSON Lines (one claim per line) pass --lines';
  if (/Unexpected end of JSON input/.test(notJson.message)) return 'the input is empty';
  return undefined;
}

/** True when a line reads as CSV rather than JSON: commas, no JSON object or array. */
export function looksLikeCsv(text: string): boolean {
  const trimmed = text.trimStart();
  return !trimmed.startsWith('{') && !trimmed.startsWith('[') && trimmed.includes(',');
}

/**
 * A hint for a line that is not the settlement record expected: a claim, or CSV. Undefined otherwise.
 */
export function hintForSettlementLine(text: string): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return looksLikeCsv(text) ? 'this looks like CSV, not JSON Lines of settlements' : undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  return CLAIM_FIELDS.every((field) => field in value) ? CLAIM_GIVEN_HINT : undefined;
}

/** `message` with `hint` appended as a clause, when there is one. */
export function withHint(message: string, hint: string | undefined): string {
  return hint === undefined ? message : `${message}; ${hint}`;
}

/**
 * The one-line error of an invalid claim: the contract's message with a hint, or, when the input is a
 * settlement, only that (its dozen "is not a field" issues would hide the point).
 */
export function invalidClaimLine(error: InvalidClaimError): string {
  const hint = hintForIssues(error.issues);
  return hint === SETTLEMENT_GIVEN_HINT ? `not a claim: ${hint}` : withHint(error.message, hint);
}
