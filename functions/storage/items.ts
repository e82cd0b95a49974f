/**
 * The pipeline's stored records as DynamoDB items, kept small because the write cost per settled
 * claim is tracked: short attribute names, and the settlement (with its trace) as one
 * deflate-compressed JSON binary (compression.ts), while the few fields that conditions and indexes need stay plain.
 */
import { type YearToDate, emptyYearToDate } from '../../shared/contract/claim.js';
import { type Settlement, type SettlementJson, type YearToDateJson, settlementToJson, yearToDateToJson } from '../../shared/engine/settlement.js';
import { yearToDateFromJson } from '../../shared/engine/ledger.js';
import { compressJson, decompressJson } from './compression.js';
import type { AttrValue, Item } from './item-size.js';
import { memberYearIndexKey, settlementKey, totalsKey } from './keys.js';
import { ATTR } from './table.js';

export type StoredStatus = 'settled' | 'rejected' | 'reversed';

/** A stored settlement as the API returns it. */
export interface StoredSettlement {
  readonly key: string;
  readonly status: StoredStatus;
  readonly dischargedOn: string;
  readonly settlement: SettlementJson;
  /** The member's totals before this claim: a reversal restores the totals by this difference. */
  readonly before: YearToDateJson;
  readonly settledAt: string;
  readonly reversedAt?: string;
}

interface Payload {
  readonly settlement: SettlementJson;
  readonly before: YearToDateJson;
  readonly settledAt: string;
}

const str = (item: Item, name: string): string | undefined => {
  const value = item[name];
  return value !== undefined && 'S' in value ? value.S : undefined;
};

/** The settlement item of a claim: key hospital id + claim id, both indexes' keys (member-year + discharge date; hospital + settlement order), the compressed settlement. */
export function settlementItem(settlement: Settlement, before: YearToDate, dischargedOn: string, settledAt: string): Item {
  // Stored without the trace's Chinese sentences: with them the item takes 8 write units instead of 6 (records.test.ts).
  const payload: Payload = { settlement: settlementToJson(settlement, { chinese: false }), before: yearToDateToJson(before), settledAt };
  const key = settlementKey(settlement.hospitalId, settlement.claimId);
  return {
    [ATTR.key]: { S: key },
    [ATTR.hospital]: { S: settlement.hospitalId },
    [ATTR.settledOrder]: { S: settledOrderOf(settledAt, key) },
    [ATTR.memberYear]: { S: memberYearIndexKey(settlement.memberId, settlement.year) },
    [ATTR.discharged]: { S: dischargedOn },
    [ATTR.status]: { S: settlement.status },
    [ATTR.payload]: { B: compressJson(payload) },
  };
}

/**
 * The sort key of the hospital index: the settlement time, then the claim key, so two claims settled
 * in the same millisecond still have distinct, totally ordered entries (what a resumable feed needs).
 */
export function settledOrderOf(settledAt: string, key: string): string {
  return `${settledAt}#${key}`;
}

/** Reads a settlement item back. */
export function readSettlementItem(item: Item): StoredSettlement {
  const payloadValue = item[ATTR.payload];
  if (payloadValue === undefined || !('B' in payloadValue)) throw new TypeError('settlement item without payload');
  const payload = decompressJson<Payload>(payloadValue.B);
  const reversedAt = str(item, ATTR.reversedAt);
  return {
    key: str(item, ATTR.key) ?? '',
    status: (str(item, ATTR.status) ?? payload.settlement.status) as StoredStatus,
    dischargedOn: str(item, ATTR.discharged) ?? '',
    settlement: payload.settlement,
    before: payload.before,
    settledAt: payload.settledAt,
    ...(reversedAt === undefined ? {} : { reversedAt }),
  };
}

/** A member's totals for a year with the version that guards every change to them. */
export interface VersionedTotals {
  readonly totals: YearToDate;
  /** 0 when no totals item exists yet. */
  readonly version: number;
}

/** The totals item: the year-to-date figures as the contract's JSON text and a version number. */
export function totalsItem(memberId: string, year: number, totals: YearToDate, version: number): Item {
  return {
    [ATTR.key]: { S: totalsKey(memberId, year) },
    [ATTR.version]: { N: String(version) },
    [ATTR.totals]: { S: JSON.stringify(yearToDateToJson(totals)) },
  };
}

/** Reads a totals item; no item means zero totals at version 0. */
export function readTotalsItem(item: Item | undefined): VersionedTotals {
  if (item === undefined) return { totals: emptyYearToDate(), version: 0 };
  const version = item[ATTR.version] as AttrValue | undefined;
  const text = str(item, ATTR.totals);
  if (version === undefined || !('N' in version) || text === undefined) throw new TypeError('malformed totals item');
  return { totals: yearToDateFromJson(JSON.parse(text) as YearToDateJson), version: Number(version.N) };
}

