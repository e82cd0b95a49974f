/**
 * The pipeline's stored records as DynamoDB items, kept small because the write cost per settled
 * claim is tracked (docs/storage.md): short attribute names, and each settlement, each claim's content
 * and each pending correction as one deflate-compressed JSON binary (compression.ts), while the few
 * fields that conditions and the index need stay plain.
 */
import { type Claim, type YearToDate, emptyYearToDate } from '../../shared/contract/claim.js';
import { type Settlement, type SettlementJson, type YearToDateJson, settlementToJson, yearToDateToJson } from '../../shared/engine/settlement.js';
import { yearToDateFromJson } from '../../shared/engine/ledger.js';
import type { CorrectionCause } from '../../shared/ledger/adjustment.js';
import { compressJson, decompressJson } from './compression.js';
import type { AttrValue, Item } from './item-size.js';
import { memberYearTag, orderKey, revisionKey, totalsKey } from './keys.js';
import { ATTR } from './table.js';

export type StoredStatus = 'settled' | 'rejected' | 'reversed';

/** One version of a claim's settlement as the API returns it (the claim's current one, or any earlier). */
export interface StoredSettlement {
  /** The claim's key `C#…` (also for a version stored under `R#…`). */
  readonly key: string;
  readonly status: StoredStatus;
  readonly dischargedOn: string;
  readonly settlement: SettlementJson;
  /** The member's totals before this claim in this version. */
  readonly before: YearToDateJson;
  /** When this version was made: the first settlement, or the correction. */
  readonly settledAt: string;
  /** Kept for settlements reversed before versions existed. */
  readonly reversedAt?: string;
  /** 1 for the first settlement, then +1 for each version a correction made. */
  readonly version: number;
  /** This version's amounts minus the previous version's, per fund, as signed yuan (versions 2 and on). */
  readonly adjustment?: Readonly<Record<string, string>>;
  /** Which correction made this version (versions 2 and on). */
  readonly cause?: CorrectionCause & { readonly correctionId: string };
}

/** What a settlement payload holds: the settlement (English trace), the totals before it, its time. */
interface Payload {
  readonly settlement: SettlementJson;
  readonly before: YearToDateJson;
  readonly settledAt: string;
  readonly adjustment?: Readonly<Record<string, string>>;
  readonly cause?: CorrectionCause & { readonly correctionId: string };
}

const str = (item: Item, name: string): string | undefined => {
  const value = item[name];
  return value !== undefined && 'S' in value ? value.S : undefined;
};
const num = (item: Item, name: string): number | undefined => {
  const value = item[name];
  return value !== undefined && 'N' in value ? Number(value.N) : undefined;
};
const bin = (item: Item, name: string): Uint8Array | undefined => {
  const value = item[name];
  return value !== undefined && 'B' in value ? value.B : undefined;
};

/** The settlement payload: the settlement without its Chinese sentences (they are rendered again on reading). */
function payloadOf(settlement: Settlement, before: YearToDate, settledAt: string): Payload {
  return { settlement: settlementToJson(settlement, { chinese: false }), before: yearToDateToJson(before), settledAt };
}

/**
 * The attributes a settlement sets on its claim's item (the accepted record becomes the settlement):
 * status, the compressed settlement, the content it was settled from (registry facts applied), the
 * member-year and the previous claim of its chain. The hash, acceptance time and index keys the
 * record already has stay as they are, so settling writes no index entry.
 */
export function settlementItem(settlement: Settlement, before: YearToDate, claim: Claim, settledAt: string, previous?: string): Item {
  return {
    [ATTR.status]: { S: settlement.status },
    [ATTR.discharged]: { S: claim.visit.dischargedOn },
    [ATTR.memberYear]: { S: memberYearTag(settlement.memberId, settlement.year) },
    [ATTR.payload]: { B: compressJson(payloadOf(settlement, before, settledAt)) },
    [ATTR.claimBody]: { B: compressJson(claim) },
    ...(previous === undefined ? {} : { [ATTR.previous]: { S: previous } }),
  };
}

/** A version made by a correction (version 2 on): its own item, in the order index at the correction's time. */
export interface RevisionInput {
  readonly hospitalId: string;
  readonly claimId: string;
  readonly version: number;
  readonly status: StoredStatus;
  readonly settlement: Settlement;
  readonly before: YearToDate;
  readonly dischargedOn: string;
  readonly at: string;
  readonly adjustment: Readonly<Record<string, string>>;
  readonly cause: CorrectionCause & { readonly correctionId: string };
  /** A replacement's new content, on the replaced claim's version only. */
  readonly content?: Claim;
}

/** The item of a version made by a correction. */
export function revisionItem(input: RevisionInput): Item {
  const key = revisionKey(input.hospitalId, input.claimId, input.version);
  const payload: Payload = { ...payloadOf(input.settlement, input.before, input.at), adjustment: input.adjustment, cause: input.cause };
  return {
    [ATTR.key]: { S: key },
    [ATTR.hospital]: { S: input.hospitalId },
    [ATTR.order]: { S: orderKey(input.at, key) },
    [ATTR.status]: { S: input.status },
    [ATTR.discharged]: { S: input.dischargedOn },
    [ATTR.payload]: { B: compressJson(payload) },
    ...(input.content ? { [ATTR.claimBody]: { B: compressJson(input.content) } } : {}),
  };
}

/** The claim key a settlement or version item belongs to (`R#h#c#n` → `C#h#c`). */
export function claimKeyOf(itemKey: string): string {
  if (!itemKey.startsWith('R#')) return itemKey;
  return `C#${itemKey.slice(2, itemKey.lastIndexOf('#'))}`;
}

/** Reads a settlement item (a claim's version 1, or a version item) back. */
export function readSettlementItem(item: Item): StoredSettlement {
  const payloadValue = bin(item, ATTR.payload);
  if (payloadValue === undefined) throw new TypeError('settlement item without payload');
  const payload = decompressJson<Payload>(payloadValue);
  const key = str(item, ATTR.key) ?? '';
  const reversedAt = str(item, ATTR.reversedAt);
  const version = key.startsWith('R#') ? Number(key.slice(key.lastIndexOf('#') + 1)) : 1;
  return {
    key: claimKeyOf(key),
    status: (str(item, ATTR.status) ?? payload.settlement.status) as StoredStatus,
    dischargedOn: str(item, ATTR.discharged) || '',
    settlement: payload.settlement,
    before: payload.before,
    settledAt: payload.settledAt,
    ...(reversedAt === undefined ? {} : { reversedAt }),
    version,
    ...(payload.adjustment ? { adjustment: payload.adjustment } : {}),
    ...(payload.cause ? { cause: payload.cause } : {}),
  };
}

/** The content stored on a claim or version item, if any. */
export function readContent(item: Item): Claim | undefined {
  const body = bin(item, ATTR.claimBody);
  return body === undefined ? undefined : decompressJson<Claim>(body);
}

/** The versions a claim item points at: its current settlement version and the version holding its current content. */
export function versionsOf(item: Item): { current: number; content: number } {
  return { current: num(item, ATTR.currentVersion) ?? 1, content: num(item, ATTR.contentVersion) ?? 1 };
}

/** A correction waiting on a member-year's totals: what it is, for which claim, made when. */
export interface PendingCorrection {
  /** Identifies the correction: a resend of the same correction has the same id. */
  readonly id: string;
  readonly kind: 'reversal' | 'replacement';
  /** The corrected claim's key. */
  readonly key: string;
  /** The corrected claim's current version when the correction was asked for. */
  readonly base: number;
  readonly at: string;
  /** The replacement's content (registry facts applied) and the hash of the content as sent (base64). */
  readonly content?: Claim;
  readonly contentHash?: string;
}

/** A member's totals for a year with the version that guards every change to them, and the chain's end. */
export interface VersionedTotals {
  readonly totals: YearToDate;
  /** 0 when no totals item exists yet. */
  readonly version: number;
  /** The key of the last claim of the member-year's chain, its previous claim, and the totals before it. */
  readonly last?: string;
  readonly lastPrevious?: string;
  readonly lastBefore?: YearToDate;
  readonly pending?: PendingCorrection;
}

/** The chain's end as the totals item holds it. */
export interface ChainEnd {
  readonly last: string;
  readonly lastPrevious?: string;
  readonly lastBefore: YearToDate;
}

/** The totals item: the year-to-date figures, the version, and the chain's last claim. */
export function totalsItem(memberId: string, year: number, totals: YearToDate, version: number, end?: ChainEnd): Item {
  const lastBefore = end ? JSON.stringify(yearToDateToJson(end.lastBefore)) : undefined;
  return {
    [ATTR.key]: { S: totalsKey(memberId, year) },
    [ATTR.version]: { N: String(version) },
    [ATTR.totals]: { S: JSON.stringify(yearToDateToJson(totals)) },
    ...(end ? { [ATTR.last]: { S: end.last }, [ATTR.lastBefore]: { S: lastBefore as string } } : {}),
    ...(end?.lastPrevious ? { [ATTR.previous]: { S: end.lastPrevious } } : {}),
  };
}

/** Reads a totals item; no item means zero totals at version 0 and an empty chain. */
export function readTotalsItem(item: Item | undefined): VersionedTotals {
  if (item === undefined) return { totals: emptyYearToDate(), version: 0 };
  const version = item[ATTR.version] as AttrValue | undefined;
  const text = str(item, ATTR.totals);
  if (version === undefined || !('N' in version) || text === undefined) throw new TypeError('malformed totals item');
  const last = str(item, ATTR.last);
  const lastPrevious = str(item, ATTR.previous);
  const lastBefore = str(item, ATTR.lastBefore);
  const pending = bin(item, ATTR.pendingCorrection);
  return {
    totals: yearToDateFromJson(JSON.parse(text) as YearToDateJson),
    version: Number(version.N),
    ...(last ? { last } : {}),
    ...(lastPrevious ? { lastPrevious } : {}),
    ...(lastBefore ? { lastBefore: yearToDateFromJson(JSON.parse(lastBefore) as YearToDateJson) } : {}),
    ...(pending ? { pending: decompressJson<PendingCorrection>(pending) } : {}),
  };
}
