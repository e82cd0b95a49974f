/**
 * Masking of personal data before anything is logged: a member's name and ID number must never reach
 * the logs in clear. Item names (drugs, services) are not personal and stay readable, so a `name`
 * is masked only inside a member or registry-person context.
 */
import { maskIdNumber, maskName } from '../../shared/registry/mask.js';

/** Keys that always hold personal identifiers, wherever they appear. */
const ALWAYS_MASKED = new Set(['idNumber', 'idCard', 'certNo', 'memberName', 'fullName', 'phone']);
/** Keys under which a `name` is a person's name. */
const PERSON_CONTEXTS = new Set(['member', 'members', 'person', 'patient', 'insured']);

export { maskIdNumber, maskName } from '../../shared/registry/mask.js';

function maskValue(key: string, value: unknown): unknown {
  if (typeof value !== 'string') return '***';
  return key === 'name' || key === 'memberName' || key === 'fullName' ? maskName(value) : maskIdNumber(value);
}

/**
 * Returns a deep copy of `value` with personal fields masked: `idNumber` (and similar) everywhere,
 * `name` only within a member/person object. The input is never modified.
 */
export function maskPersonalData<T>(value: T): T {
  return walk(value, false, new WeakSet()) as T;
}

function walk(value: unknown, inPerson: boolean, seen: WeakSet<object>): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Uint8Array || value instanceof Date) return value;
  if (seen.has(value)) return '[Circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((element) => walk(element, inPerson, seen));
  if (value instanceof Error) {
    return { name: value.name, message: value.message, stack: value.stack, ...(walk({ ...value }, inPerson, seen) as object) };
  }
  const out: Record<string, unknown> = {};
  for (const [key, element] of Object.entries(value)) {
    if (ALWAYS_MASKED.has(key) || (inPerson && key === 'name')) out[key] = maskValue(key, element);
    else out[key] = walk(element, PERSON_CONTEXTS.has(key) || (inPerson && key !== 'items'), seen);
  }
  return out;
}
