/**
 * The lines of a replay's input: a claim of the contract, or a correction event
 * (`{"event":"reverse","hospitalId":…,"claimId":…}`, `{"event":"replace","claim":{…}}`).
 */
import * as z from 'zod';
import { type Claim, parseClaim } from '../shared/contract/claim.js';
import { type FieldIssue, InvalidClaimError } from '../shared/contract/errors.js';
import { MAX_ID_LENGTH } from '../shared/contract/limits.js';

/** One parsed input line. */
export type ReplayLine =
  | { readonly kind: 'claim'; readonly claim: Claim }
  | { readonly kind: 'reverse'; readonly hospitalId: string; readonly claimId: string }
  | { readonly kind: 'replace'; readonly claim: Claim };

const id = z.string().min(1, 'must not be empty').max(MAX_ID_LENGTH);
const reverseEvent = z.strictObject({ event: z.literal('reverse'), hospitalId: id, claimId: id });
const replaceEvent = z.strictObject({ event: z.literal('replace'), claim: z.unknown() });

const issuesOf = (error: z.ZodError): FieldIssue[] =>
  error.issues.flatMap((issue): FieldIssue[] =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: [...issue.path, key].map(String).join('.'), message: 'is not a field of a correction event' }))
      : [{ path: issue.path.map(String).join('.'), message: issue.input === undefined ? 'is required' : issue.message }],
  );

/** Reads a JSON value as a claim or a correction event; the contract's field paths, `claim.`-prefixed inside a replacement. */
export function readReplayValue(value: unknown): ReplayLine {
  const event = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as { event?: unknown }).event : undefined;
  if (event === undefined) return { kind: 'claim', claim: parseClaim(value) };
  if (event === 'reverse') {
    const parsed = reverseEvent.safeParse(value);
    if (!parsed.success) throw new InvalidClaimError(issuesOf(parsed.error));
    return { kind: 'reverse', hospitalId: parsed.data.hospitalId, claimId: parsed.data.claimId };
  }
  if (event === 'replace') {
    const parsed = replaceEvent.safeParse(value);
    if (!parsed.success) throw new InvalidClaimError(issuesOf(parsed.error));
    try {
      return { kind: 'replace', claim: parseClaim(parsed.data.claim) };
    } catch (error) {
      if (!(error instanceof InvalidClaimError)) throw error;
      throw new InvalidClaimError(error.issues.map((issue) => ({ path: issue.path ? `claim.${issue.path}` : 'claim', message: issue.message })), { cause: error });
    }
  }
  throw new InvalidClaimError([{ path: 'event', message: `must be reverse or replace, got ${JSON.stringify(event)}` }]);
}

/** Reads one line of text (JSON) as a claim or a correction event. */
export function readReplayLine(text: string): ReplayLine {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new InvalidClaimError([{ path: '', message: `is not JSON: ${(cause as Error).message}` }], { cause });
  }
  return readReplayValue(value);
}

/**
 * Which claim a line names, read cheaply for routing to a worker: hospital id + claim id (of the claim,
 * the replacement or the reversal) and the member id when the line has one; undefined when not JSON.
 */
export function routeOf(text: string): Route | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  return routeOfValue(value);
}

/** Where a replay routes a line: the claim it names, the member when the line has one, and whether it is a claim line. */
export interface Route {
  readonly claimKey: string;
  readonly memberId: string | undefined;
  readonly claim: boolean;
}

/** {@link routeOf} for a value already parsed (or made by the generator). */
export function routeOfValue(value: unknown): Route {
  const line = (value ?? {}) as { event?: unknown; hospitalId?: unknown; claimId?: unknown; claim?: unknown; hospital?: { id?: unknown }; member?: { id?: unknown } };
  if (line.event === 'reverse') return { claimKey: claimKeyOf(line.hospitalId, line.claimId), memberId: undefined, claim: false };
  const claim = (line.event === 'replace' ? (line.claim ?? {}) : line) as typeof line;
  return { claimKey: claimKeyOf(claim.hospital?.id, claim.claimId), memberId: typeof claim.member?.id === 'string' ? claim.member.id : '', claim: line.event === undefined };
}

/** The key of a claim in a replay: hospital id and claim id, as the pipeline's idempotency key. */
export function claimKeyOf(hospitalId: unknown, claimId: unknown): string {
  return `${String(hospitalId)}\u0000${String(claimId)}`;
}
