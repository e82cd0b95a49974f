/**
 * A stored settlement with its full explanation: the store keeps each trace without its Chinese
 * sentences (the write budget) and keeps the content each version was settled from, so a reader
 * settles that content again on the totals before it. The engine is deterministic: the result must
 * pay exactly what is stored, or it is not used (a settlement stored before contents were kept).
 */
import type { Claim } from '../../shared/contract/claim.js';
import { yearToDateFromJson } from '../../shared/engine/ledger.js';
import { settle } from '../../shared/engine/settle.js';
import { AMOUNT_KEYS, type Settlement } from '../../shared/engine/settlement.js';
import { parseMoney } from '../../shared/money/money.js';
import type { PolicyBook } from '../../shared/policy/book.js';
import type { StoredSettlement } from '../storage/items.js';

/** The stored version settled again from its content, when it pays exactly what is stored; else undefined. */
export function explainedSettlement(stored: StoredSettlement, content: Claim | undefined, book: PolicyBook): Settlement | undefined {
  if (content === undefined) return undefined;
  let again: Settlement;
  try {
    again = settle({ ...content, yearToDate: yearToDateFromJson(stored.before) }, book);
  } catch {
    return undefined;
  }
  const same = again.status === stored.settlement.status && AMOUNT_KEYS.every((key) => again.amounts[key] === parseMoney(stored.settlement.amounts[key]));
  return same ? again : undefined;
}
