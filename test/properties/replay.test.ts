/**
 * Replaying a member's claims one at a time, each carrying the previous settlement's totals in its
 * JSON (what a HIS does with the command line), must give exactly what the pipeline's ledger gives
 * when it streams the same claims; and streamed from zero, no member-year ever passes a cap.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ClaimInput, parseClaim } from '../../shared/contract/claim.js';
import { InvalidClaimError } from '../../shared/contract/errors.js';
import { YearToDateLedger, settleAgainstLedger } from '../../shared/engine/ledger.js';
import { settle } from '../../shared/engine/settle.js';
import { type SettlementJson, type YearToDateJson, settlementToJson } from '../../shared/engine/settlement.js';
import {
  jinzhongAny,
  jinzhongInpatient,
  mustReject,
  pingyangAny,
  pingyangInpatient,
  taiyuanCampusOutpatient,
} from '../support/arbitraries.js';
import { book, expectTotalsNeverDecrease, fen } from '../support/checks.js';

const RUNS = 1_000;
const MEMBERS = ['M-REPLAY-A', 'M-REPLAY-B'] as const;

/** A member's claims under one policy, with some rejected ones mixed in; inpatient-heavy to reach the caps. */
const claimsOfOnePolicy: fc.Arbitrary<ClaimInput[]> = fc
  .constantFrom(
    fc.oneof(jinzhongAny, jinzhongInpatient),
    fc.oneof(pingyangAny, pingyangInpatient),
    taiyuanCampusOutpatient,
  )
  .chain((claims) =>
    fc.array(fc.oneof({ weight: 6, arbitrary: claims }, { weight: 1, arbitrary: mustReject.map(({ claim }) => claim) }), {
      minLength: 1,
      maxLength: 10,
    }),
  );

/** Two members' claims interleaved: the ledger must keep their totals apart. */
const interleavedMembers: fc.Arbitrary<ClaimInput[]> = fc
  .tuple(claimsOfOnePolicy, claimsOfOnePolicy, fc.array(fc.boolean(), { minLength: 20, maxLength: 20 }))
  .map(([first, second, pattern]) => {
    const queues = [first.map((c) => withMember(c, MEMBERS[0])), second.map((c) => withMember(c, MEMBERS[1]))];
    const merged: ClaimInput[] = [];
    for (const takeSecond of pattern) {
      const next = queues[takeSecond ? 1 : 0]?.shift();
      if (next) merged.push(next);
    }
    return merged.concat(...queues);
  });

function withMember(claim: ClaimInput, id: string): ClaimInput {
  return { ...claim, member: { ...claim.member, id } };
}

const yearOfDischarge = (claim: ClaimInput): number => Number(claim.visit.dischargedOn.slice(0, 4));

/** One at a time: each claim's JSON carries the totals of the member-year's previous settlement. */
function replayOneByOne(claims: readonly ClaimInput[]): SettlementJson[] {
  const totals = new Map<string, YearToDateJson>();
  return claims.map((input) => {
    const key = `${input.member.id}/${yearOfDischarge(input)}`;
    const { yearToDate: _ignored, ...rest } = input;
    const carried = totals.get(key);
    const claimJson: ClaimInput = carried ? { ...rest, yearToDate: carried } : rest;
    // Through JSON text, as a HIS would send it.
    const settlement = settlementToJson(settle(parseClaim(JSON.parse(JSON.stringify(claimJson))), book));
    totals.set(key, settlement.yearToDate);
    return settlement;
  });
}

function replayAsStream(claims: readonly ClaimInput[], ledger: YearToDateLedger): SettlementJson[] {
  return claims.map((input) => settlementToJson(settleAgainstLedger(parseClaim(input), book, ledger)));
}

describe('replaying a member’s claims', () => {
  it(`one by one with the previous totals in the JSON equals streaming them through the ledger (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(interleavedMembers, (claims) => {
        // Prepare
        const ledger = new YearToDateLedger();
        // Act
        const oneByOne = replayOneByOne(claims);
        const streamed = replayAsStream(claims, ledger);
        // Assess
        expect(streamed).toEqual(oneByOne);
      }),
      { numRuns: RUNS, seed: 2020 },
    );
  });

  it(`streamed from zero, a member-year's totals never decrease and never pass the annual caps (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(interleavedMembers, (claims) => {
        // Prepare
        const ledger = new YearToDateLedger();
        const previous = new Map<string, YearToDateJson>();
        // Act
        const streamed = replayAsStream(claims, ledger);
        // Assess
        streamed.forEach((settlement, index) => {
          const key = `${settlement.memberId}/${settlement.year}`;
          const before = previous.get(key);
          if (before) expectTotalsNeverDecrease(before, settlement.yearToDate);
          previous.set(key, settlement.yearToDate);
          const policy = settlement.policy === null ? undefined : book.get(settlement.policy)?.policy;
          if (!policy || settlement.status !== 'settled') return;
          const capped = [
            ['basicPaid', policy.inpatient?.annualCap?.amount],
            ['outpatientPaid', policy.outpatient?.annualCap.amount],
            ['catastrophicPaid', policy.catastrophic?.annualCap?.amount],
          ] as const;
          for (const [key, cap] of capped) {
            if (cap === undefined) continue;
            const total = fen(settlement.yearToDate[key]);
            if (total > BigInt(cap)) expect.fail(`claim ${index} (${settlement.path}): ${key} ${total} fen passes the cap ${cap} fen`);
          }
        });
      }),
      { numRuns: RUNS, seed: 2021 },
    );
  });
});

describe("replaying near the contract's largest totals", () => {
  // A settlement's totals must always be carriable into the member's next claim (each total at most
  // 9,999,999,999.99, MAX_TOTAL_FEN). A claim that would push a total past that bound is refused as
  // INVALID_CLAIM on the field, the same way whether it is settled one by one or streamed.
  /** The field issues a settlement attempt is refused with, or what else it returned or threw. */
  const issuesOf = (attempt: () => unknown): unknown => {
    try {
      return attempt();
    } catch (error) {
      return error instanceof InvalidClaimError ? error.issues : error;
    }
  };

  it("a claim that would carry a total past the contract's bound is INVALID_CLAIM, one by one and streamed alike", () => {
    // Prepare
    const first: ClaimInput = {
      claimId: 'OVF-1',
      member: { id: 'M-OVF', region: 'jinzhong', birthDate: '1970-01-01', categories: [], enrolment: { year: 2018, kind: 'regular', paidOn: '2017-11-15' } },
      hospital: { id: 'H-OVF', tier: 'class3', designated: true, primaryCare: false, outsidePoolingArea: false },
      visit: { type: 'inpatient', admittedOn: '2018-03-05', dischargedOn: '2018-03-14', emergency: false, referral: false, cause: 'illness' },
      items: [{ category: 'catalogue', amount: '100000.00' }],
      yearToDate: { compliantSelfPay: '9999999999.99' },
    };
    const second: ClaimInput = { ...first, claimId: 'OVF-2', yearToDate: undefined };
    const ledger = new YearToDateLedger();
    ledger.set('M-OVF', 2018, parseClaim(first).yearToDate);

    // Act
    const oneByOne = () => settle(parseClaim(first), book);
    const streamed = () => settleAgainstLedger(parseClaim(second), book, ledger);

    // Assess
    const refusal = [{ path: 'yearToDate.compliantSelfPay', message: 'would exceed 9999999999.99 after this claim' }];
    expect(issuesOf(oneByOne)).toEqual(refusal);
    expect(issuesOf(streamed)).toEqual(refusal);
    expect(ledger.get('M-OVF', 2018)).toEqual(parseClaim(first).yearToDate);
  });
});
