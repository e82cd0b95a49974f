/**
 * The member-year ledger: a member's claims of one insurance year in the order they were first
 * settled, each with its current settlement version, and the totals after the last of them.
 *
 * The rule it keeps (docs/pipeline.md, "Corrections"): at every moment each surviving claim's current
 * settlement is what the engine gives when the surviving claims (reversed ones removed, a replaced
 * claim's corrected content in the original's place) are settled in ledger order from zero totals, and
 * the totals are the totals after the last of them. A correction (reversal or replacement) therefore
 * re-settles every later claim, and each claim whose amounts change gets a new version carrying the
 * difference per fund and its cause. Pure: the engine is used unchanged; the pipeline and the command
 * line both call this module, neither re-implements it.
 */
import { yearOf } from '../calendar/dates.js';
import { canonicalClaimJson } from '../contract/canonical.js';
import { type Claim, type YearToDate, emptyYearToDate } from '../contract/claim.js';
import { settle } from '../engine/settle.js';
import { AMOUNT_KEYS, type Amounts, type Settlement } from '../engine/settlement.js';
import type { PolicyBook } from '../policy/book.js';
import { type AdjustedFund, type Adjustment, type AdjustmentNote, type CorrectionCause, adjustmentBetween, explainAdjustment, zeroAdjustment } from './adjustment.js';
import { LedgerError } from './errors.js';

/** One claim of the ledger with its current version. */
export interface LedgerEntry {
  readonly hospitalId: string;
  readonly claimId: string;
  /** The content the current version was settled from (a replacement's content once replaced). */
  readonly claim: Claim;
  /** The current settlement; for a reversed claim, the last one it had before the reversal. */
  readonly settlement: Settlement;
  /** 1 for the first settlement, +1 for each new version. */
  readonly version: number;
  readonly reversed: boolean;
}

/** A member's year: the entries in ledger order and the totals after the last surviving one. */
export interface MemberYear {
  readonly memberId: string;
  readonly year: number;
  readonly entries: readonly LedgerEntry[];
  readonly totals: YearToDate;
  /**
   * The totals before the first entry: zero for a whole year; the store's totals before the
   * corrected claim when it passes only the chain from that claim on.
   */
  readonly opening?: YearToDate;
}

/** A new version of a claim's settlement, made by a correction. */
export interface SettlementVersion {
  readonly hospitalId: string;
  readonly claimId: string;
  readonly version: number;
  /** `reversed` for the reversed claim itself (it pays nothing from now on). */
  readonly status: Settlement['status'] | 'reversed';
  /** The settlement of this version; for a reversal, the settlement that was reversed. */
  readonly settlement: Settlement;
  /** This version's amounts minus the previous version's, per fund. */
  readonly adjustment: Adjustment;
  readonly cause: CorrectionCause;
  /** The adjustment explained, one note per fund that changed. */
  readonly notes: readonly AdjustmentNote[];
}

/** A correction of one claim of the member-year. */
export type Correction =
  | { readonly kind: 'reversal'; readonly hospitalId: string; readonly claimId: string; readonly at: string }
  | { readonly kind: 'replacement'; readonly claim: Claim; readonly at: string };

/** What a correction did: the corrected claim's new version, the later claims' new versions, the new ledger. */
export interface CorrectionResult {
  readonly corrected: SettlementVersion;
  /** Later claims whose amounts changed, in ledger order; a claim whose amounts did not change is absent. */
  readonly resettled: readonly SettlementVersion[];
  readonly memberYear: MemberYear;
}

/** The amounts a reversed claim pays from now on: nothing at all. */
const NOTHING: Pick<Amounts, AdjustedFund> = zeroAdjustment();

/** A member-year with no claim yet. */
export function emptyMemberYear(memberId: string, year: number): MemberYear {
  return { memberId, year, entries: [], totals: emptyYearToDate() };
}

/** The member-year a claim belongs to: its member and insurance year (the discharge year). */
export function memberYearOf(claim: Claim): { memberId: string; year: number } {
  return { memberId: claim.member.id, year: yearOf(claim.visit.dischargedOn) };
}

/** The entry of a claim in the member-year, by hospital and claim id. */
export function findEntry(memberYear: MemberYear, hospitalId: string, claimId: string): LedgerEntry | undefined {
  return memberYear.entries.find((entry) => entry.hospitalId === hospitalId && entry.claimId === claimId);
}

/** Whether a resent claim is the stored content again (a no-op) or different content (a conflict): one meaning, canonicalClaimJson. */
export function resendKind(stored: Claim, resent: Claim): 'identical' | 'conflicting' {
  return canonicalClaimJson(stored) === canonicalClaimJson(resent) ? 'identical' : 'conflicting';
}

/** Settles a claim against given totals; the totals after it (unchanged when rejected). */
function settleOn(claim: Claim, totals: YearToDate, book: PolicyBook): { settlement: Settlement; after: YearToDate } {
  const settlement = settle({ ...claim, yearToDate: totals }, book);
  return { settlement, after: settlement.status === 'settled' ? settlement.yearToDate : totals };
}

/**
 * Ordinary settlement: the claim settled against the member-year's totals and appended at its end.
 * @throws LedgerError `CLAIM_EXISTS` when the claim is already in the ledger (the caller decides resends with {@link resendKind}).
 * @throws InvalidClaimError from the engine (an unknown region or tier, totals beyond the contract's bounds): nothing is appended.
 */
export function appendClaim(memberYear: MemberYear, claim: Claim, book: PolicyBook): { settlement: Settlement; memberYear: MemberYear } {
  const hospitalId = claim.hospital.id;
  if (findEntry(memberYear, hospitalId, claim.claimId)) throw new LedgerError('CLAIM_EXISTS', `claim ${claim.claimId} of hospital ${hospitalId} is already in the ledger`);
  const { settlement, after } = settleOn(claim, memberYear.totals, book);
  const entry: LedgerEntry = { hospitalId, claimId: claim.claimId, claim, settlement, version: 1, reversed: false };
  return { settlement, memberYear: { ...memberYear, entries: [...memberYear.entries, entry], totals: after } };
}

/** Whether two settlements of one claim pay differently (status, path, rejection code or any amount). */
export function paysDifferently(a: Settlement, b: Settlement): boolean {
  if (a.status !== b.status || a.path !== b.path || a.rejection?.code !== b.rejection?.code) return true;
  return AMOUNT_KEYS.some((key) => a.amounts[key] !== b.amounts[key]);
}

function newVersion(entry: LedgerEntry, settlement: Settlement, cause: CorrectionCause): SettlementVersion {
  return {
    hospitalId: entry.hospitalId,
    claimId: entry.claimId,
    version: entry.version + 1,
    status: settlement.status,
    settlement,
    adjustment: adjustmentBetween(entry.settlement.amounts, settlement.amounts),
    cause,
    notes: explainAdjustment(entry.settlement.amounts, settlement.amounts, cause),
  };
}

/** The corrected entry with its new version, before the chain is re-settled. */
function correctedEntry(memberYear: MemberYear, correction: Correction): { index: number; entry: LedgerEntry; cause: CorrectionCause } {
  const hospitalId = correction.kind === 'reversal' ? correction.hospitalId : correction.claim.hospital.id;
  const claimId = correction.kind === 'reversal' ? correction.claimId : correction.claim.claimId;
  const index = memberYear.entries.findIndex((entry) => entry.hospitalId === hospitalId && entry.claimId === claimId);
  const target = memberYear.entries[index];
  if (!target) throw new LedgerError('UNKNOWN_CLAIM', `claim ${claimId} of hospital ${hospitalId} is not in the ledger of ${memberYear.memberId} ${memberYear.year}`);
  if (target.reversed) throw new LedgerError('ALREADY_REVERSED', `claim ${claimId} of hospital ${hospitalId} is already reversed`);
  const cause: CorrectionCause = { kind: correction.kind, hospitalId, claimId, at: correction.at };
  if (correction.kind === 'reversal') return { index, entry: { ...target, reversed: true }, cause };
  const moved = memberYearOf(correction.claim);
  if (moved.memberId !== memberYear.memberId || moved.year !== memberYear.year) {
    throw new LedgerError('REPLACEMENT_MOVES_CLAIM', `a replacement keeps the member and the insurance year (${memberYear.memberId} ${memberYear.year}); reverse the claim and send a new one instead`);
  }
  return { index, entry: { ...target, claim: correction.claim }, cause };
}

/**
 * Applies one correction: the claim is reversed (it pays nothing from now on) or its content replaced
 * in place, then every later claim is re-settled in ledger order from the totals before it.
 * @throws LedgerError `UNKNOWN_CLAIM`, `ALREADY_REVERSED` or `REPLACEMENT_MOVES_CLAIM`: nothing changes.
 * @throws InvalidClaimError from the engine when a re-settled claim would leave the contract's bounds.
 */
export function applyCorrection(memberYear: MemberYear, correction: Correction, book: PolicyBook): CorrectionResult {
  const { index, entry: target, cause } = correctedEntry(memberYear, correction);
  const entries = [...memberYear.entries];
  // The totals before the corrected claim: the unchanged prefix settled again (the engine is deterministic).
  let totals = memberYear.opening ?? emptyYearToDate();
  for (const entry of entries.slice(0, index)) if (!entry.reversed) totals = settleOn(entry.claim, totals, book).after;
  const previous = memberYear.entries[index] as LedgerEntry;
  let corrected: SettlementVersion;
  if (target.reversed) {
    corrected = { ...newVersion(previous, previous.settlement, cause), status: 'reversed', adjustment: adjustmentBetween(previous.settlement.amounts, NOTHING), notes: explainAdjustment(previous.settlement.amounts, NOTHING, cause) };
    entries[index] = { ...target, version: corrected.version };
  } else {
    const outcome = settleOn(target.claim, totals, book);
    totals = outcome.after;
    corrected = newVersion(previous, outcome.settlement, cause);
    entries[index] = { ...target, settlement: outcome.settlement, version: corrected.version };
  }
  const resettled: SettlementVersion[] = [];
  for (let i = index + 1; i < entries.length; i += 1) {
    const entry = entries[i] as LedgerEntry;
    if (entry.reversed) continue;
    const outcome = settleOn(entry.claim, totals, book);
    totals = outcome.after;
    if (!paysDifferently(entry.settlement, outcome.settlement)) continue;
    const version = newVersion(entry, outcome.settlement, cause);
    resettled.push(version);
    entries[i] = { ...entry, settlement: outcome.settlement, version: version.version };
  }
  return { corrected, resettled, memberYear: { ...memberYear, entries, totals } };
}

/** The member-year settled from scratch: its surviving claims in ledger order from zero totals (what the rule compares against). */
export function settleFromScratch(claims: readonly Claim[], book: PolicyBook): { settlements: Settlement[]; totals: YearToDate } {
  let totals = emptyYearToDate();
  const settlements = claims.map((claim) => {
    const outcome = settleOn(claim, totals, book);
    totals = outcome.after;
    return outcome.settlement;
  });
  return { settlements, totals };
}
