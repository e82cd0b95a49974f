/**
 * One canonical text of a claim's content, so that "the same claim sent again" has one meaning
 * everywhere: the pipeline's intake and settle paths (which store a hash of it) and the command
 * line's replay (which compares it) both decide identical-versus-different resends by this text.
 */
import type { Claim } from './claim.js';

/** A JSON value with object keys sorted at every depth; arrays keep their order (item order is content). */
function sortedValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedValue);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const field = (value as Record<string, unknown>)[key];
      if (field !== undefined) out[key] = sortedValue(field);
    }
    return out;
  }
  return value;
}

/**
 * The claim as JSON with keys sorted and absent fields dropped: two submissions that parse to the
 * same claim give the same text, whatever their key order, whitespace or number spelling.
 */
export function canonicalClaimJson(claim: Claim): string {
  return JSON.stringify(sortedValue(claim));
}
