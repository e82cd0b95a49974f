/**
 * The per-line work of a replay, shared by the in-process replay and its worker threads: claims are
 * settled in arrival order through the member-year ledger (shared/ledger), resends follow the
 * pipeline's rule (identical content is a no-op, different content a CONFLICTING_RESEND that changes
 * nothing), and corrections re-settle what followed the corrected claim.
 */
import type { Claim } from '../shared/contract/claim.js';
import { InvalidClaimError } from '../shared/contract/errors.js';
import { type Settlement, settlementToJson } from '../shared/engine/settlement.js';
import { adjustmentToJson } from '../shared/ledger/adjustment.js';
import { LedgerError } from '../shared/ledger/errors.js';
import { type Correction, type SettlementVersion, applyCorrection, emptyMemberYear, findEntry, memberYearOf, resendKind } from '../shared/ledger/member-year.js';
import { emptyYearToDate } from '../shared/contract/claim.js';
import { type CompactEntry, type CompactYear, type KeptContent, TextStore, appendCompact, expandYear, keptOf, updateCompact } from './replay-state.js';
import type { PolicyBook } from '../shared/policy/book.js';
import { type ReplayLine, claimKeyOf, readReplayLine, readReplayValue } from './replay-events.js';
import { ReplayTally } from './replay-summary.js';
import { formatSlip } from './slip.js';

export type ReplayFormat = 'json' | 'slip';

/** One input to settle: a line of text, or an object the generator made. */
export type ReplayInput = { readonly line: number; readonly text: string } | { readonly line: number; readonly value: unknown };

/** The answer to an input that is not a valid claim, as replay writes it. */
export function invalidLine(line: number, error: InvalidClaimError): string {
  return JSON.stringify({ error: error.code, line, issues: error.issues });
}

const yearKeyOf = (memberId: string, year: number): string => `${memberId}\u0000${year}`;


/**
 * Settles inputs in order against the member-year ledgers, counting as it goes; each answer is one text
 * (one or more lines). The member-years are kept compactly (replay-state.ts): per claim a few fields (its
 * input text in a scratch file), per member-year its totals.
 */
export class ReplayCore {
  private readonly years = new Map<string, CompactYear>();
  /** Every claim seen, by hospital id + claim id: its entry in its member-year. */
  private readonly claims = new Map<string, CompactEntry>();
  private readonly texts = new TextStore();
  readonly tally = new ReplayTally();

  constructor(
    private readonly book: PolicyBook,
    private readonly format: ReplayFormat,
  ) {}

  /** How many member-years hold a settled claim (a year of rejected claims only has no totals). */
  get memberYears(): number {
    let count = 0;
    for (const year of this.years.values()) if (year.entries.some((entry) => entry.settled)) count += 1;
    return count;
  }

  /**
   * The answer to one input: the settlement (JSON or slip), the lines of a correction, or the error
   * object naming the line. Errors other than the contract's and the ledger's (an engine defect) propagate.
   */
  answer(input: ReplayInput): string {
    this.tally.read += 1;
    try {
      const line: ReplayLine = 'text' in input ? readReplayLine(input.text) : readReplayValue(input.value);
      if (line.kind === 'claim') return this.claimLine(line.claim, input);
      this.tally.corrections += 1;
      const correction: Correction =
        line.kind === 'reverse'
          ? { kind: 'reversal', hospitalId: line.hospitalId, claimId: line.claimId, at: `line ${input.line}` }
          : { kind: 'replacement', claim: line.claim, at: `line ${input.line}` };
      return this.correct(correction, input);
    } catch (error) {
      if (error instanceof LedgerError) {
        this.tally.refused += 1;
        return JSON.stringify({ error: error.code, line: input.line, message: error.message });
      }
      if (!(error instanceof InvalidClaimError)) throw error;
      this.tally.invalid += 1;
      return invalidLine(input.line, error);
    }
  }

  /** The claim a kept line holds: the claim of a claim line, the new content of a replacement. */
  private readonly claimOfContent = (content: KeptContent): Claim => {
    const line = 'value' in content ? readReplayValue(content.value) : readReplayLine(this.texts.read(content));
    if (line.kind === 'reverse') throw new Error('a reversal is never kept as a claim');
    return line.claim;
  };

  /** The input's content as the replay keeps it. */
  private keep(input: ReplayInput): KeptContent {
    return 'text' in input ? this.texts.keep(input.text) : { value: input.value };
  }

  private claimLine(claim: Claim, input: ReplayInput): string {
    const claimKey = claimKeyOf(claim.hospital.id, claim.claimId);
    const stored = this.claims.get(claimKey);
    if (stored !== undefined) return this.resend(claim, stored, input.line);
    const { memberId, year } = memberYearOf(claim);
    const key = yearKeyOf(memberId, year);
    const known = this.years.get(key);
    const memberYear = known ?? { memberId, year, entries: [], totals: emptyYearToDate() };
    const { settlement, entry } = appendCompact(memberYear, claim, () => this.keep(input), this.book);
    if (known === undefined) this.years.set(key, memberYear);
    this.claims.set(claimKey, entry);
    this.tally.add(settlement);
    return this.render(settlement, claim);
  }

  /** A claim id seen before: identical content changes nothing, different content is refused. */
  private resend(claim: Claim, stored: CompactEntry, line: number): string {
    if (resendKind(this.claimOfContent(keptOf(stored)), claim) === 'identical') {
      this.tally.duplicates += 1;
      return JSON.stringify({ status: 'duplicate', hospitalId: claim.hospital.id, claimId: claim.claimId, line, version: stored.version });
    }
    this.tally.conflicts += 1;
    return JSON.stringify({
      error: 'CONFLICTING_RESEND',
      line,
      hospitalId: claim.hospital.id,
      claimId: claim.claimId,
      version: stored.version,
      message: `claim ${claim.claimId} of hospital ${claim.hospital.id} is already settled with different content; send {"event":"replace","claim":…} to correct it`,
    });
  }

  private correct(correction: Correction, input: ReplayInput): string {
    const claimKey = correction.kind === 'reversal' ? claimKeyOf(correction.hospitalId, correction.claimId) : claimKeyOf(correction.claim.hospital.id, correction.claim.claimId);
    const stored = this.claims.get(claimKey);
    // An unknown claim: the ledger refuses it against an empty year, as it names it.
    const memberYear = stored === undefined ? emptyMemberYear('', 0) : expandYear(stored.year, this.claimOfContent, this.book);
    const result = applyCorrection(memberYear, correction, this.book);
    const compact = (stored as CompactEntry).year;
    const replaced = correction.kind === 'replacement' ? { index: compact.entries.indexOf(stored as CompactEntry), content: this.keep(input) } : undefined;
    updateCompact(compact, result.memberYear, replaced);
    const versions = [result.corrected, ...result.resettled];
    for (const version of versions) this.tally.addAdjustment(version.adjustment);
    this.tally.resettled += result.resettled.length;
    const claimOf = (version: SettlementVersion): Claim | undefined => findEntry(result.memberYear, version.hospitalId, version.claimId)?.claim;
    return versions.map((version) => this.renderVersion(version, claimOf(version), input.line)).join(this.format === 'slip' ? '\n\n' : '\n');
  }

  private render(settlement: Settlement, claim: Claim): string {
    if (this.format === 'slip') return formatSlip(settlement, { hospitalTier: claim.hospital.tier });
    return JSON.stringify(settlementToJson(settlement));
  }

  private renderVersion(version: SettlementVersion, claim: Claim | undefined, line: number): string {
    const correction = { version: version.version, adjustment: adjustmentToJson(version.adjustment), cause: version.cause, adjustmentNotes: version.notes, line };
    if (version.status === 'reversed') {
      const { hospitalId, claimId, memberId, year } = version.settlement;
      return JSON.stringify({ status: 'reversed', hospitalId, claimId, memberId, year, ...correction });
    }
    if (this.format === 'slip') {
      const heading = `版本 ${version.version} · ${version.cause.kind} of ${version.cause.claimId} (${version.cause.at}): ${version.notes.map((note) => note.zh).join('；')}`;
      return `${heading}\n${formatSlip(version.settlement, claim ? { hospitalTier: claim.hospital.tier } : {})}`;
    }
    return JSON.stringify({ ...settlementToJson(version.settlement), ...correction });
  }
}
