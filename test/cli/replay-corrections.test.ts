/**
 * `claims replay` with corrections in the stream: reversals and replacements re-settle the later claims
 * of the member-year, resends follow the pipeline's rule, and the threaded replay gives the same lines.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { claims, ensureBuilt, jsonLines } from './helpers.js';

let dir: string;

beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'claims-corrections-'));
});

const MEMBER = { id: 'M-140702-888888', region: 'jinzhong', birthDate: '1965-02-10', categories: [], enrolment: { year: 2018, kind: 'regular', paidOn: '2017-11-15' } };
const HOSPITAL = { id: 'H-140702-0007', tier: 'class2-county', designated: true, primaryCare: false, outsidePoolingArea: false };

/** A 晋中 2018 inpatient claim of `amount` yuan at a county hospital (deductible 400.00, ratio 75%). */
function admission(claimId: string, admittedOn: string, dischargedOn: string, amount: string, memberId = MEMBER.id) {
  return {
    claimId,
    member: { ...MEMBER, id: memberId },
    hospital: HOSPITAL,
    visit: { type: 'inpatient', admittedOn, dischargedOn, emergency: false, referral: false, cause: 'illness' },
    items: [{ code: 'D001', category: 'catalogue', amount }],
  };
}

const R1 = admission('R1', '2018-03-05', '2018-03-14', '30000.00');
const R2 = admission('R2', '2018-05-02', '2018-05-10', '10000.00');
const lines = (...values: unknown[]): string => `${values.map((value) => JSON.stringify(value)).join('\n')}\n`;

type Line = { status?: string; error?: string; claimId?: string; version?: number; amounts?: Record<string, string>; adjustment?: Record<string, string>; cause?: Record<string, unknown>; yearToDate?: Record<string, unknown>; adjustmentNotes?: { zh: string }[] };

describe('claims replay with corrections', () => {
  it('reversing R1 re-settles R2 to basic 7,200.00 and catastrophic 0.00 (−150.00, −337.50), same with --workers', () => {
    // Prepare: the worked case
    const input = lines(R1, R2, { event: 'reverse', hospitalId: HOSPITAL.id, claimId: 'R1' });
    const summaryFile = join(dir, 'summary.json');
    // Act
    const run = claims(['replay', '-', '--summary', summaryFile], input);
    const threaded = claims(['replay', '-', '--workers', '3'], input);
    // Assess
    expect(run.status).toBe(0);
    const [, second, reversed, resettled] = jsonLines(run.stdout) as Line[];
    expect(second?.amounts).toMatchObject({ deductible: '200.00', basic: '7350.00', catastrophic: '337.50' });
    expect(reversed).toMatchObject({ status: 'reversed', claimId: 'R1', version: 2, adjustment: { basic: '-22200.00' } });
    expect(resettled).toMatchObject({ claimId: 'R2', version: 2, status: 'settled', cause: { kind: 'reversal', claimId: 'R1', at: 'line 3' } });
    expect(resettled?.amounts).toMatchObject({ deductible: '400.00', basic: '7200.00', catastrophic: '0.00' });
    expect(resettled?.adjustment).toMatchObject({ basic: '-150.00', catastrophic: '-337.50' });
    expect(resettled?.adjustmentNotes?.map((note) => note.zh).join(' ')).toContain('追回 337.50 元');
    // The totals are R2's alone: one admission, basic 7,200.00.
    expect(resettled?.yearToDate).toMatchObject({ admissions: 1, basicPaid: '7200.00', catastrophicPaid: '0.00' });
    const summary = JSON.parse(readFileSync(summaryFile, 'utf8'));
    expect(summary).toMatchObject({ corrections: 1, resettled: 1, adjustments: { basic: '-22350.00', catastrophic: '-337.50' } });
    expect(run.stderr).toContain('corrections: 1');
    expect(threaded.stdout).toBe(run.stdout);
  });

  it('a replacement settles the corrected content in the original’s place and re-settles what follows', () => {
    // Prepare: R1 corrected down to 8,000.00 (its compliant self-pay no longer carries R2 over the threshold)
    const corrected = { ...R1, items: [{ code: 'D001', category: 'catalogue', amount: '8000.00' }] };
    // Act
    const run = claims(['replay', '-'], lines(R1, R2, { event: 'replace', claim: corrected }));
    // Assess
    const [, , replaced, resettled] = jsonLines(run.stdout) as Line[];
    expect(replaced).toMatchObject({ claimId: 'R1', version: 2, amounts: { basic: '5700.00' }, adjustment: { basic: '-16500.00' }, cause: { kind: 'replacement' } });
    expect(resettled).toMatchObject({ claimId: 'R2', version: 2, amounts: { basic: '7350.00', catastrophic: '0.00' }, adjustment: { basic: '0.00', catastrophic: '-337.50' } });
  });

  it('a resend with identical content is a no-op, with different content a CONFLICTING_RESEND that changes nothing', () => {
    // Prepare: R1 sent again as is (keys in another order), then with a different amount, then R2
    const reordered = { items: R1.items, visit: R1.visit, hospital: R1.hospital, member: R1.member, claimId: R1.claimId };
    const changed = { ...R1, items: [{ code: 'D001', category: 'catalogue', amount: '9999.00' }] };
    // Act
    const run = claims(['replay', '-', '--workers', '2'], lines(R1, reordered, changed, R2));
    // Assess
    expect(run.status).toBe(2);
    const [, duplicate, conflict, second] = jsonLines(run.stdout) as Line[];
    expect(duplicate).toMatchObject({ status: 'duplicate', claimId: 'R1', version: 1 });
    expect(conflict).toMatchObject({ error: 'CONFLICTING_RESEND', claimId: 'R1', version: 1 });
    // R2 settles after R1 once: a second admission (deductible 200.00), not a third.
    expect(second?.yearToDate).toMatchObject({ admissions: 2 });
    expect(run.stderr).toContain('resends: 1 identical (no-op), 1 conflicting (refused)');
  });

  it('the same claim twice pays once (the pipeline’s rule), with a different member id still a conflict under --workers', () => {
    // Prepare
    const otherMember = admission('R1', '2018-03-05', '2018-03-14', '30000.00', 'M-140702-999999');
    // Act
    const run = claims(['replay', '-', '--workers', '4'], lines(R1, R1, otherMember));
    // Assess
    const answers = jsonLines(run.stdout) as Line[];
    expect(answers.map((line) => line.status ?? line.error)).toEqual(['settled', 'duplicate', 'CONFLICTING_RESEND']);
  });

  it('a correction of an unknown or already reversed claim is one error line and changes nothing', () => {
    // Prepare
    const reverse = { event: 'reverse', hospitalId: HOSPITAL.id, claimId: 'R1' };
    // Act
    const run = claims(['replay', '-'], lines(R1, { event: 'reverse', hospitalId: HOSPITAL.id, claimId: 'NOPE' }, reverse, reverse, { event: 'revert' }, R2));
    // Assess
    expect(run.status).toBe(2);
    const answers = jsonLines(run.stdout) as Line[];
    expect(answers.map((line) => line.status ?? line.error)).toEqual(['settled', 'UNKNOWN_CLAIM', 'reversed', 'ALREADY_REVERSED', 'INVALID_CLAIM', 'settled']);
    // R2 after the reversal of R1 is a first admission.
    expect(answers[5]?.yearToDate).toMatchObject({ admissions: 1, basicPaid: '7200.00' });
  });

  it('gives the same lines on 1 and 3 workers for generated claims with corrections interleaved', () => {
    // Prepare: a generated year with a reversal or a replacement after every 20th claim, naming an earlier claim
    const generated = claims(['generate', '--count', '600', '--seed', '5', '--members', '20']).stdout.trim().split('\n').map((text) => JSON.parse(text) as { claimId: string; hospital: { id: string }; items: { amount: string }[] });
    const stream: unknown[] = [];
    generated.forEach((claim, index) => {
      stream.push(claim);
      if (index % 20 === 19) {
        const target = generated[index - 19] as (typeof generated)[number];
        stream.push(index % 40 === 19 ? { event: 'reverse', hospitalId: target.hospital.id, claimId: target.claimId } : { event: 'replace', claim: { ...target, items: target.items.slice(0, 1) } });
      }
    });
    const input = lines(...stream);
    // Act
    const single = claims(['replay', '-'], input);
    const threaded = claims(['replay', '-', '--workers', '3'], input);
    // Assess
    const versions = (jsonLines(single.stdout) as Line[]).filter((line) => line.cause !== undefined);
    expect(versions.filter((line) => line.claimId !== line.cause?.['claimId']).length).toBeGreaterThan(0);
    expect(threaded.stdout).toBe(single.stdout);
  });
});
