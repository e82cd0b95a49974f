/**
 * The one form of an identifier (claim id, member id, hospital id), so that two spellings of one id can
 * never be two claims or two members: an id is 1 to 64 UTF-16 units of Unicode letters, digits, marks,
 * punctuation and symbols, with no space, control, format, private-use or unassigned character, and it
 * must already be in Unicode normalization form NFKC. NFKC is NFC (é is the one character U+00E9, never
 * e followed by U+0301) without compatibility variants (ASCII `A1`, never full-width `Ａ１`), so every id
 * that looks the same to a person has one spelling. Nothing is normalized silently: an id in another
 * form is refused, naming the field, and the sender learns the canonical form it must send.
 * The claim schema and the API's path parameters both apply this rule (docs/claim-contract.md). No
 * dependency beyond the contract's limits: the authorizer bundles the route table, which imports this.
 */
import { MAX_ID_LENGTH } from './limits.js';

const FORBIDDEN = /[\s\p{C}]/u;
export const SPACES_MESSAGE = 'must not contain spaces or control characters';
export const CANONICAL_MESSAGE =
  'must be in canonical Unicode form (NFKC: composed characters such as é as one code point U+00E9, no full-width or other compatibility variants such as Ａ for A)';

/** Whether an id is already in its one canonical form (NFKC, hence also NFC). */
export function isCanonicalId(value: string): boolean {
  return value.normalize('NFKC') === value;
}

/** What is wrong with an id, in the contract's words, or undefined when it is a valid id. */
export function idProblem(value: string): string | undefined {
  if (value === '') return 'must not be empty';
  // UTF-16 units, as the schema counts them.
  if (value.length > MAX_ID_LENGTH) return `must be at most ${MAX_ID_LENGTH} characters`;
  if (FORBIDDEN.test(value)) return SPACES_MESSAGE;
  if (!isCanonicalId(value)) return CANONICAL_MESSAGE;
  return undefined;
}
