/**
 * The member-year ledger keeps the rule of corrections: after every reversal or replacement, each
 * surviving claim's current settlement and the member-year's totals are what settling the surviving
 * stream from zero gives (the independent in-memory ledger of shared/engine/ledger.ts is the oracle),
 * and the adjustments add up to what the funds pay now minus what they paid at first.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Claim, type ClaimInput, parseClaim } from '../../shared/contract/claim.js';
import { YearToDateLedger, settleAgainstLedger } from '../../shared/engine/ledger.js';
import type { Amounts } from '../../shared/engine/settlement.js';
import { ADJUSTED_FUNDS, type AdjustedFund, addAdjustment, adjustmentToJson } from '../../shared/ledger/adjustment.js';
import { LedgerError } from '../../shared/ledger/errors.js';
import {
  type CorrectionResult,
  type MemberYear,
  appendClaim,
  applyCorrection,
  emptyMemberYear,
  findEntry,
  memberYearOf,
} from '../../shared/ledger/member-year.js';
import { formatMoney } from '../../shared/money/money.js';
import {
  jinchengAny,
  jinzhongAny,
  mustReject,
  pingyangAny,
  shandongAny,
  taiyuanCampusOutpatient,
  taiyuanOther,
} from '../support/arbitraries.js';
import { book } from '../support/checks.js';
import { catalogue, jinzhongInpatient } from '../support/claims.js';

const RUNS = 300;
const AT = '2026-12-02T10:00:00.000Z';
const MEMBERS = ['M-LEDGER-A', 'M-LEDGER-B'] as const;

type Op =
  | { readonly kind: 'append'; readonly claim: ClaimInput; readonly member: number }
  | { readonly kind: 'reverse'; readonly pick: number }
  | { readonly kind: 'replace'; readonly pick: number; readonly content: ClaimInput };

/** One family of claims per run, so that a member-year holds several claims that interact (same policy, mostly one year). */
const families: fc.Arbitrary<fc.Arbitrary<ClaimInput>> = fc.constantFrom(
  jinzhongAny.filter((claim) => claim.visit.dischargedOn.startsWith('2018')),
  pingyangAny,
  fc.oneof(taiyuanCampusOutpatient, taiyuanOther),
  fc.oneof(shandongAny, jinchengAny),
  mustReject.map(({ claim }) => claim),
);

const streams: fc.Arbitrary<Op[]> = families.chain((family) =>
  fc.array(
    fc.oneof(
      { weight: 5, arbitrary: fc.record({ kind: fc.constant('append' as const), claim: family, member: fc.integer({ min: 0, max: 1 }) }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('reverse' as const), pick: fc.nat() }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('replace' as const), pick: fc.nat(), content: family }) },
    ),
    { minLength: 1, maxLength: 24 },
  ),
);

const claimKey = (hospitalId: string, claimId: string): string => `${hospitalId}\u0000${claimId}`;
const yearKey = (claim: Claim): string => `${memberYearOf(claim).memberId}\u0000${memberYearOf(claim).year}`;

/** The ledgers of a stream, the oracle's view of them, and the running sums the adjustment identity needs. */
class Harness {
  readonly years = new Map<string, MemberYear>();
  /** Claim key → member-year key, in the order the claims were appended. */
  readonly claims = new Map<string, string>();
  readonly originallyPaid: Record<AdjustedFund, number> = { basic: 0, catastrophic: 0, assistance: 0, charity: 0, hospitalBorne: 0, patient: 0 };
  readonly adjusted: Record<AdjustedFund, number> = { basic: 0, catastrophic: 0, assistance: 0, charity: 0, hospitalBorne: 0, patient: 0 };

  append(input: ClaimInput, index: number, memberId: string): void {
    const claim = parseClaim({ ...input, claimId: `C-${index}`, member: { ...input.member, id: memberId } });
    const key = yearKey(claim);
    const year = this.years.get(key) ?? emptyMemberYear(memberYearOf(claim).memberId, memberYearOf(claim).year);
    const { settlement, memberYear } = appendClaim(year, claim, book);
    this.years.set(key, memberYear);
    this.claims.set(claimKey(claim.hospital.id, claim.claimId), key);
    for (const fund of ADJUSTED_FUNDS) this.originallyPaid[fund] += settlement.amounts[fund];
  }

  /** The claim the pick names among those appended (or an unknown claim when none was). */
  target(pick: number): { hospitalId: string; claimId: string; yearKey: string | undefined } {
    const keys = [...this.claims.keys()];
    if (keys.length === 0) return { hospitalId: 'H-NONE', claimId: 'C-NONE', yearKey: undefined };
    const key = keys[pick % keys.length] as string;
    const [hospitalId, claimId] = key.split('\u0000') as [string, string];
    return { hospitalId, claimId, yearKey: this.claims.get(key) };
  }

  record(key: string, result: CorrectionResult): void {
    this.years.set(key, result.memberYear);
    for (const version of [result.corrected, ...result.resettled]) addAdjustment(this.adjusted, version.adjustment);
  }
}

/** The oracle: each member-year's surviving claims settled in ledger order from zero, by the engine's own ledger. */
function expectEqualsFromScratch(harness: Harness): void {
  const current: Record<AdjustedFund, number> = { basic: 0, catastrophic: 0, assistance: 0, charity: 0, hospitalBorne: 0, patient: 0 };
  for (const memberYear of harness.years.values()) {
    const oracle = new YearToDateLedger();
    for (const entry of memberYear.entries) {
      if (entry.reversed) continue;
      const expected = settleAgainstLedger(entry.claim, book, oracle);
      expect({ claim: entry.claimId, status: entry.settlement.status, amounts: entry.settlement.amounts }).toEqual({
        claim: entry.claimId,
        status: expected.status,
        amounts: expected.amounts,
      });
      for (const fund of ADJUSTED_FUNDS) current[fund] += entry.settlement.amounts[fund];
    }
    expect(memberYear.totals).toEqual(oracle.get(memberYear.memberId, memberYear.year));
  }
  for (const fund of ADJUSTED_FUNDS) expect(harness.adjusted[fund]).toBe(current[fund] - harness.originallyPaid[fund]);
}

function correct(harness: Harness, op: Exclude<Op, { kind: 'append' }>): void {
  const target = harness.target(op.pick);
  const year = target.yearKey === undefined ? undefined : harness.years.get(target.yearKey);
  const before = year ? findEntry(year, target.hospitalId, target.claimId) : undefined;
  const memberYear = year ?? emptyMemberYear('M-NONE', 2018);
  const correction =
    op.kind === 'reverse'
      ? { kind: 'reversal' as const, hospitalId: target.hospitalId, claimId: target.claimId, at: AT }
      : {
          kind: 'replacement' as const,
          claim: parseClaim({ ...op.content, claimId: target.claimId, hospital: { ...op.content.hospital, id: target.hospitalId }, member: { ...op.content.member, id: memberYear.memberId } }),
          at: AT,
        };
  try {
    const result = applyCorrection(memberYear, correction, book);
    expect(result.corrected.version).toBe((before?.version ?? 0) + 1);
    harness.record(target.yearKey as string, result);
  } catch (error) {
    // A refused correction changes nothing: the state checked next is the one before it.
    if (!(error instanceof LedgerError)) throw error;
    if (!before) expect(error.code).toBe('UNKNOWN_CLAIM');
    else if (before.reversed) expect(error.code).toBe('ALREADY_REVERSED');
    else expect(error.code).toBe('REPLACEMENT_MOVES_CLAIM');
  }
}

describe('corrections keep every member-year equal to its from-scratch settlement', () => {
  it(`random streams of every policy and path with reversals and replacements interleaved (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(streams, (ops) => {
        // Prepare
        const harness = new Harness();
        ops.forEach((op, index) => {
          // Act
          if (op.kind === 'append') harness.append(op.claim, index, MEMBERS[op.member] as string);
          else correct(harness, op);
          // Assess: after every step, not only at the end
          expectEqualsFromScratch(harness);
        });
      }),
      { numRuns: RUNS, seed: 20_181_016 },
    );
  });
});

/** The worked case: 晋中 2018, one member, R1 30,000.00 inpatient then R2 10,000.00. */
function workedCase(): MemberYear {
  const r1 = parseClaim(jinzhongInpatient({ claimId: 'R1', items: [catalogue('30000.00')] }));
  const r2 = parseClaim(jinzhongInpatient({ claimId: 'R2', visit: { admittedOn: '2018-05-02', dischargedOn: '2018-05-10' }, items: [catalogue('10000.00')] }));
  const first = appendClaim(emptyMemberYear(r1.member.id, 2018), r1, book).memberYear;
  return appendClaim(first, r2, book).memberYear;
}

const yuan = (amounts: Amounts, key: keyof Amounts): string => formatMoney(amounts[key]);

describe('the worked case of the reversal of R1', () => {
  it('R2 as settled after R1: deductible 200.00 (repeat admission), basic 7,350.00, catastrophic 337.50', () => {
    // Prepare / Act
    const r2 = findEntry(workedCase(), 'H-JZ-1', 'R2');
    // Assess
    expect(r2 && [yuan(r2.settlement.amounts, 'deductible'), yuan(r2.settlement.amounts, 'basic'), yuan(r2.settlement.amounts, 'catastrophic')]).toEqual(['200.00', '7350.00', '337.50']);
  });

  it('reversing R1 re-settles R2 to basic 7,200.00 and catastrophic 0.00, with −150.00 and −337.50, and the totals are R2’s alone', () => {
    // Prepare
    const before = workedCase();
    // Act
    const result = applyCorrection(before, { kind: 'reversal', hospitalId: 'H-JZ-1', claimId: 'R1', at: AT }, book);
    // Assess
    expect(result.corrected).toMatchObject({ claimId: 'R1', status: 'reversed', version: 2 });
    expect(adjustmentToJson(result.corrected.adjustment)).toMatchObject({ basic: '-22200.00', patient: '-7800.00' });
    expect(result.resettled).toHaveLength(1);
    const [r2] = result.resettled;
    expect(r2).toMatchObject({ claimId: 'R2', version: 2, cause: { kind: 'reversal', hospitalId: 'H-JZ-1', claimId: 'R1', at: AT } });
    expect([yuan(r2!.settlement.amounts, 'basic'), yuan(r2!.settlement.amounts, 'catastrophic')]).toEqual(['7200.00', '0.00']);
    expect(adjustmentToJson(r2!.adjustment)).toEqual({ basic: '-150.00', catastrophic: '-337.50', assistance: '0.00', charity: '0.00', hospitalBorne: '0.00', patient: '487.50' });
    const alone = new YearToDateLedger();
    settleAgainstLedger(findEntry(before, 'H-JZ-1', 'R2')!.claim, book, alone);
    expect(result.memberYear.totals).toEqual(alone.get('M-JZ-1', 2018));
  });

  it('explains each fund’s adjustment in English and Chinese: 追回 when a fund pays less, 补付 when it pays more', () => {
    // Prepare
    const reversed = applyCorrection(workedCase(), { kind: 'reversal', hospitalId: 'H-JZ-1', claimId: 'R1', at: AT }, book).memberYear;
    const restored = parseClaim(jinzhongInpatient({ claimId: 'R2', visit: { admittedOn: '2018-05-02', dischargedOn: '2018-05-10' }, items: [catalogue('12000.00')] }));
    // Act
    const [basicNote] = applyCorrection(workedCase(), { kind: 'reversal', hospitalId: 'H-JZ-1', claimId: 'R1', at: AT }, book).resettled[0]!.notes;
    const replaced = applyCorrection(reversed, { kind: 'replacement', claim: restored, at: AT }, book);
    // Assess
    expect(basicNote).toMatchObject({ fund: 'basic', amount: '-150.00' });
    expect(basicNote!.detail).toBe(`basic 7350.00 → 7200.00: -150.00 recovered (追回) after the reversal of claim R1 of hospital H-JZ-1 at ${AT}`);
    expect(basicNote!.zh).toContain('追回 150.00 元');
    expect(replaced.corrected).toMatchObject({ claimId: 'R2', version: 3, status: 'settled' });
    expect(replaced.corrected.notes.find((note) => note.fund === 'basic')?.zh).toContain('补付 1500.00 元');
  });

  it('refuses an unknown or already reversed claim and a replacement that moves the claim to another year, changing nothing', () => {
    // Prepare
    const before = workedCase();
    const reversed = applyCorrection(before, { kind: 'reversal', hospitalId: 'H-JZ-1', claimId: 'R1', at: AT }, book).memberYear;
    const moved = parseClaim(jinzhongInpatient({ claimId: 'R2', member: { enrolment: { year: 2019 } }, visit: { admittedOn: '2019-05-02', dischargedOn: '2019-05-10' } }));
    // Act / Assess
    const codeOf = (run: () => unknown): string | undefined => {
      try {
        run();
        return undefined;
      } catch (error) {
        return error instanceof LedgerError ? error.code : String(error);
      }
    };
    expect(codeOf(() => applyCorrection(before, { kind: 'reversal', hospitalId: 'H-JZ-1', claimId: 'R9', at: AT }, book))).toBe('UNKNOWN_CLAIM');
    expect(codeOf(() => applyCorrection(reversed, { kind: 'reversal', hospitalId: 'H-JZ-1', claimId: 'R1', at: AT }, book))).toBe('ALREADY_REVERSED');
    expect(codeOf(() => applyCorrection(before, { kind: 'replacement', claim: moved, at: AT }, book))).toBe('REPLACEMENT_MOVES_CLAIM');
    expect(codeOf(() => appendClaim(before, findEntry(before, 'H-JZ-1', 'R1')!.claim, book))).toBe('CLAIM_EXISTS');
  });
});
