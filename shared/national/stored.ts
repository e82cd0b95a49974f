/** A settlement read back from its stored JSON, as the national record is built from it. */
import { yearToDateFromJson } from '../engine/ledger.js';
import { AMOUNT_KEYS, type Amounts, type Settlement, type SettlementJson } from '../engine/settlement.js';
import { parseMoney } from '../money/money.js';

/** The settlement of its contract JSON: amounts back in fen, the trace as written. */
export function settlementFromJson(json: SettlementJson): Settlement {
  const amounts = {} as Record<keyof Amounts, number>;
  for (const key of AMOUNT_KEYS) amounts[key] = parseMoney(json.amounts[key]);
  return { ...json, amounts: amounts as unknown as Amounts, yearToDate: yearToDateFromJson(json.yearToDate) };
}
