/**
 * The pipeline's stored records as DynamoDB items, kept small because the write cost per settled
 * claim is tracked: short attribute names, and the settlement (with its trace) as one
 * deflate-compressed JSON binary (with a preset dictionary), while the few fields that conditions and indexes need stay plain.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { YEAR_TO_DATE_AMOUNTS, type YearToDate, emptyYearToDate } from '../contract/claim.js';
import { type Fen, parseMoney } from '../money/money.js';
import { type Settlement, type SettlementJson, type YearToDateJson, settlementToJson, yearToDateToJson } from '../engine/settlement.js';
import type { AttrValue, Item } from './item-size.js';
import { SETTLEMENT_DICTIONARY_V1 } from './dictionary.js';
import { memberYearIndexKey, settlementKey, totalsKey } from './keys.js';

/** Attribute names, and the two global secondary indexes over settlement items. */
export const ATTR = {
  key: 'pk',
  hospital: 'h',
  memberYear: 'my',
  discharged: 'd',
  status: 'st',
  payload: 'p',
  reversedAt: 'ra',
  version: 'v',
  totals: 't',
} as const;

/** Settlements of a member in an insurance year, by discharge date (`GET /members/{id}/years/{year}`). */
export const MEMBER_YEAR_INDEX = { name: 'byMemberYear', partition: ATTR.memberYear, sort: ATTR.discharged } as const;
/** Settlements of a hospital by discharge date (hospital statements and reconciliation). */
export const HOSPITAL_DATE_INDEX = { name: 'byHospitalDate', partition: ATTR.hospital, sort: ATTR.discharged } as const;

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

const DICTIONARY_V1 = Buffer.from(SETTLEMENT_DICTIONARY_V1, 'utf8');
/** First byte of a payload: how it was compressed, so the format can change without breaking old items. */
const FORMAT_DEFLATE_DICT_V1 = 1;

/**
 * Compresses JSON text with raw deflate and the frozen settlement dictionary: a settlement with its
 * full trace shrinks from about 2 KB to about 200 bytes (brotli without a dictionary: about 850),
 * which keeps the settlement item within one write-unit kilobyte.
 */
export function compressJson(value: unknown): Uint8Array {
  const body = deflateRawSync(Buffer.from(JSON.stringify(value), 'utf8'), { level: 9, dictionary: DICTIONARY_V1 });
  return Buffer.concat([Buffer.of(FORMAT_DEFLATE_DICT_V1), body]);
}

/** Reverses `compressJson`. */
export function decompressJson<T>(bytes: Uint8Array): T {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer[0] !== FORMAT_DEFLATE_DICT_V1) throw new TypeError(`unknown payload format ${buffer[0]}`);
  return JSON.parse(inflateRawSync(buffer.subarray(1), { dictionary: DICTIONARY_V1 }).toString('utf8')) as T;
}

/** The settlement item of a claim: key hospital id + claim id, both indexes' keys, the compressed settlement. */
export function settlementItem(settlement: Settlement, before: YearToDate, dischargedOn: string, settledAt: string): Item {
  // Stored without the trace's Chinese sentences: with them the item takes 8 write units instead of 6 (records.test.ts).
  const payload: Payload = { settlement: settlementToJson(settlement, { chinese: false }), before: yearToDateToJson(before), settledAt };
  return {
    [ATTR.key]: { S: settlementKey(settlement.hospitalId, settlement.claimId) },
    [ATTR.hospital]: { S: settlement.hospitalId },
    [ATTR.memberYear]: { S: memberYearIndexKey(settlement.memberId, settlement.year) },
    [ATTR.discharged]: { S: dischargedOn },
    [ATTR.status]: { S: settlement.status },
    [ATTR.payload]: { B: compressJson(payload) },
  };
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

/** Year-to-date totals from the contract's JSON (exact fen). */
export function yearToDateFromJson(json: YearToDateJson): YearToDate {
  const fen = (text: string): Fen => parseMoney(text);
  return {
    admissions: json.admissions,
    basicPaid: fen(json.basicPaid),
    outpatientPaid: fen(json.outpatientPaid),
    compliantSelfPay: fen(json.compliantSelfPay),
    catastrophicPaid: fen(json.catastrophicPaid),
    assistancePaid: fen(json.assistancePaid),
    outpatientDeductibleUsed: fen(json.outpatientDeductibleUsed),
    seriousDiseasePaid: fen(json.seriousDiseasePaid),
    specialOutpatientDeductibleTaken: json.specialOutpatientDeductibleTaken,
  };
}

/** The year-to-date counters a reversal gives back: the admissions and every money total. */
const COUNTERS = ['admissions', ...YEAR_TO_DATE_AMOUNTS] as const;

/** Thrown when a reversal would take a total below zero: the stored data are inconsistent. */
export class NegativeTotalsError extends Error {
  constructor(readonly field: string) {
    super(`reversal would make ${field} negative`);
    this.name = 'NegativeTotalsError';
  }
}

/**
 * The totals after reversing one settlement: each counter minus what that settlement added
 * (`after - before`), to the fen. The special-outpatient deductible flag is cleared only when this
 * settlement was the one that set it. Later settlements keep their amounts; a later claim settles
 * against the restored totals.
 */
export function reverseTotals(current: YearToDate, before: YearToDate, after: YearToDate): YearToDate {
  const restored: Record<string, number | boolean> = { ...current };
  for (const field of COUNTERS) {
    const value = current[field] - (after[field] - before[field]);
    if (value < 0) throw new NegativeTotalsError(field);
    restored[field] = value;
  }
  if (after.specialOutpatientDeductibleTaken && !before.specialOutpatientDeductibleTaken) {
    restored['specialOutpatientDeductibleTaken'] = false;
  }
  return restored as unknown as YearToDate;
}

/** What one settlement added to the totals, per counter: the sum over a member's settlements is their totals. */
export function totalsDelta(before: YearToDate, after: YearToDate): Record<(typeof COUNTERS)[number], number> {
  const delta = {} as Record<(typeof COUNTERS)[number], number>;
  for (const field of COUNTERS) delta[field] = after[field] - before[field];
  return delta;
}

export const TOTALS_COUNTERS = COUNTERS;
