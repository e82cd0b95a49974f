/**
 * What a replay keeps between claims, compactly. A member-year is its totals and, per claim, where its
 * content lies, its version and whether it is reversed or settled: no parsed claim and no settlement.
 * The content is the claim's input line, kept as UTF-8 bytes in a scratch file, because a
 * correction re-settles the later claims of the member-year and a resend compares content; both read it
 * again then, and only then. The ledger's full form (shared/ledger's MemberYear) is rebuilt on demand for
 * a correction or a resend: its current settlements are what the engine gives when the surviving claims
 * are settled in ledger order from zero totals (the ledger's own rule), so they need not be kept.
 */
import { openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import type { Claim, YearToDate } from '../shared/contract/claim.js';
import { emptyYearToDate } from '../shared/contract/claim.js';
import type { Settlement } from '../shared/engine/settlement.js';
import { type LedgerEntry, type MemberYear, appendClaim } from '../shared/ledger/member-year.js';
import type { PolicyBook } from '../shared/policy/book.js';
import { CliError } from './errors.js';

/** Bytes of one block of kept claim texts. */
const BLOCK = 4 * 1024 * 1024;

/** A claim's content as kept: where its text lies among the kept texts, or the generator's value. */
export type KeptContent = { readonly at: number; readonly length: number } | { readonly value: unknown };

/**
 * Claim texts, appended as UTF-8 into a block; a full block goes to a scratch file (deleted as soon as it
 * is opened, so nothing stays behind), and a text is read back from wherever it lies. Memory holds one
 * block, whatever the number of claims.
 */
export class TextStore {
  private block: Buffer;
  private used = 0;
  /** Bytes written to the scratch file: where the current block starts. */
  private spilled = 0;
  private file: number | undefined;

  constructor(blockSize = BLOCK) {
    this.block = Buffer.allocUnsafe(blockSize);
  }

  keep(text: string): KeptContent {
    // A character takes at most 3 UTF-8 bytes (a surrogate pair takes 4 for 2 characters).
    const room = text.length * 3;
    if (this.used + room > this.block.length) this.spill(room);
    const length = this.block.write(text, this.used);
    const kept = { at: this.spilled + this.used, length };
    this.used += length;
    return kept;
  }

  /** The text at a kept place. */
  read(kept: { readonly at: number; readonly length: number }): string {
    if (kept.at >= this.spilled) return this.block.toString('utf8', kept.at - this.spilled, kept.at - this.spilled + kept.length);
    const bytes = Buffer.allocUnsafe(kept.length);
    readSync(this.file as number, bytes, 0, kept.length, kept.at);
    return bytes.toString('utf8');
  }

  private spill(room: number): void {
    const folder = tmpdir();
    try {
      if (this.file === undefined) {
        const path = join(folder, `claims-replay-${process.pid}-${threadId}-${Date.now()}.tmp`);
        this.file = openSync(path, 'w+', 0o600);
        unlinkSync(path);
      }
      writeSync(this.file, this.block, 0, this.used, this.spilled);
    } catch (cause) {
      throw new CliError(`cannot keep the claims' texts in a scratch file in ${folder}: ${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message} (set TMPDIR to a writable folder with room)`, 1, { cause });
    }
    this.spilled += this.used;
    this.used = 0;
    if (room > this.block.length) this.block = Buffer.allocUnsafe(room);
  }
}

/** One claim of a compact member-year: no ids (they are in its text, and the replay finds it by them in its index). */
export interface CompactEntry {
  readonly year: CompactYear;
  /** Where its text lies in the text store (unused when the content is a value). */
  at: number;
  length: number;
  /** The generator's value, when the claim came as one and not as text. */
  value: unknown;
  version: number;
  reversed: boolean;
  /** Whether its current version is settled (not rejected). */
  settled: boolean;
  /** A reversed claim's last settlement before the reversal (a surviving claim's is settled again when needed). */
  lastSettlement: Settlement | undefined;
}

/** A member-year as a replay keeps it. */
export interface CompactYear {
  readonly memberId: string;
  readonly year: number;
  readonly entries: CompactEntry[];
  totals: YearToDate;
}

/** Reads a kept content back as its claim (the claim of a claim line, the new content of a replacement line). */
export type ClaimReader = (content: KeptContent) => Claim;

/** The content an entry keeps. */
export const keptOf = (entry: CompactEntry): KeptContent => (entry.at < 0 ? { value: entry.value } : { at: entry.at, length: entry.length });

function setContent(entry: CompactEntry, content: KeptContent): void {
  if ('value' in content) {
    entry.at = -1;
    entry.length = 0;
    entry.value = content.value;
  } else {
    entry.at = content.at;
    entry.length = content.length;
    entry.value = undefined;
  }
}

/**
 * Settles a claim at the end of the member-year through the ledger (shared/ledger's appendClaim),
 * updating the totals; its content is kept once it is settled. Returns the settlement and the new entry.
 */
export function appendCompact(year: CompactYear, claim: Claim, keep: () => KeptContent, book: PolicyBook): { settlement: Settlement; entry: CompactEntry } {
  // The ledger checks a claim against the entries it is given; the replay has already checked the claim is new.
  const { settlement, memberYear } = appendClaim({ memberId: year.memberId, year: year.year, entries: [], totals: year.totals }, claim, book);
  year.totals = memberYear.totals;
  const entry: CompactEntry = { year, at: -1, length: 0, value: undefined, version: 1, reversed: false, settled: settlement.status === 'settled', lastSettlement: undefined };
  setContent(entry, keep());
  year.entries.push(entry);
  return { settlement, entry };
}

/** The member-year in the ledger's full form: claims read again, the surviving claims' settlements settled again in order. */
export function expandYear(year: CompactYear, read: ClaimReader, book: PolicyBook): MemberYear {
  let totals = emptyYearToDate();
  const entries = year.entries.map((entry): LedgerEntry => {
    const claim = read(keptOf(entry));
    const { version } = entry;
    const hospitalId = claim.hospital.id;
    const { claimId } = claim;
    if (entry.reversed) return { hospitalId, claimId, claim, settlement: entry.lastSettlement as Settlement, version, reversed: true };
    const appended = appendClaim({ memberId: year.memberId, year: year.year, entries: [], totals }, claim, book);
    totals = appended.memberYear.totals;
    return { hospitalId, claimId, claim, settlement: appended.settlement, version, reversed: false };
  });
  return { memberId: year.memberId, year: year.year, entries, totals };
}

/**
 * Takes the member-year after a correction into its compact form, entry by entry in place (the
 * replay's index of claims points at the entries): each keeps its content, but the entry at
 * `replaced.index` takes `replaced.content`.
 */
export function updateCompact(year: CompactYear, memberYear: MemberYear, replaced?: { index: number; content: KeptContent }): void {
  memberYear.entries.forEach((entry, index) => {
    const kept = year.entries[index] as CompactEntry;
    if (replaced !== undefined && index === replaced.index) setContent(kept, replaced.content);
    kept.version = entry.version;
    kept.reversed = entry.reversed;
    kept.settled = entry.settlement.status === 'settled';
    kept.lastSettlement = entry.reversed ? { ...entry.settlement, trace: [] } : undefined;
  });
  year.totals = memberYear.totals;
}
