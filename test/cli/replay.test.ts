/** `claims replay`: totals carried from claim to claim, the summary, invalid lines, generated input. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { claims, ensureBuilt, jsonLines } from './helpers.js';

let dir: string;

beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'claims-replay-'));
});

/** A 晋中 2018 inpatient claim at a county hospital (deductible 400.00, ratio 75%) for one member. */
function admission(claimId: string, admittedOn: string, dischargedOn: string, extra: Record<string, unknown> = {}) {
  return {
    claimId,
    member: { id: 'M-140702-777777', region: 'jinzhong', birthDate: '1965-02-10', categories: [], enrolment: { year: 2018, kind: 'regular', paidOn: '2017-11-15' } },
    hospital: { id: 'H-140702-0007', tier: 'class2-county', designated: true, primaryCare: false, outsidePoolingArea: false },
    visit: { type: 'inpatient', admittedOn, dischargedOn, emergency: false, referral: false, cause: 'illness' },
    items: [{ code: 'D001', category: 'catalogue', amount: '5000.00' }],
    ...extra,
  };
}

const sum = (values: string[]): number => values.reduce((total, value) => total + Math.round(Number(value) * 100), 0);

describe('claims replay', () => {
  it("carries a member's totals: the second admission takes the halved deductible (R03/R05), the claim's own yearToDate is ignored", () => {
    // Prepare: the first claim carries a yearToDate that would halve its deductible and cap it; replay must ignore it.
    const first = admission('JZ-R-1', '2018-03-05', '2018-03-14', { yearToDate: { admissions: 3, basicPaid: '69999.00' } });
    const second = admission('JZ-R-2', '2018-05-01', '2018-05-08');
    const input = `${JSON.stringify(first)}\n${JSON.stringify(second)}\n`;

    // Act
    const run = claims(['replay', '-'], input);

    // Assess
    expect(run.status).toBe(0);
    const [a, b] = jsonLines(run.stdout) as { amounts: Record<string, string>; yearToDate: Record<string, unknown> }[];
    // First: (5000.00 − 400.00) × 0.75 = 3450.00, full deductible, first admission of the year.
    expect(a?.amounts.deductible).toBe('400.00');
    expect(a?.amounts.basic).toBe('3450.00');
    expect(a?.yearToDate.admissions).toBe(1);
    // Second: the deductible halves to 200.00; (5000.00 − 200.00) × 0.75 = 3600.00.
    expect(b?.amounts.deductible).toBe('200.00');
    expect(b?.amounts.basic).toBe('3600.00');
    expect(b?.yearToDate.admissions).toBe(2);
    expect(b?.yearToDate.basicPaid).toBe('7050.00');
  });

  it('writes a summary whose per-fund totals equal the sums of the settlements written', () => {
    // Prepare
    const summaryFile = join(dir, 'summary.json');

    // Act
    const run = claims(['replay', '--generate', '1500', '--seed', '7', '--summary', summaryFile]);

    // Assess
    expect(run.status).toBe(0);
    const settlements = jsonLines(run.stdout) as { status: string; amounts: Record<string, string> }[];
    const summary = JSON.parse(readFileSync(summaryFile, 'utf8'));
    expect(summary.claimsRead).toBe(1500);
    expect(settlements).toHaveLength(1500);
    expect(summary.settled).toBe(settlements.filter((s) => s.status === 'settled').length);
    expect(summary.rejected).toBe(settlements.filter((s) => s.status === 'rejected').length);
    for (const fund of ['basic', 'catastrophic', 'assistance', 'charity', 'hospitalBorne', 'patient', 'total']) {
      expect(Math.round(Number(summary.amounts[fund]) * 100), fund).toBe(sum(settlements.map((s) => s.amounts[fund] as string)));
    }
    expect(run.stderr).toContain('claims/s');
    expect(run.stderr).toMatch(/统筹基金 basic\s+\d+\.\d\d/);
  });

  it('answers an invalid line with an error object naming the line, goes on, and exits 2', () => {
    // Prepare
    const input = `${JSON.stringify(admission('JZ-I-1', '2018-03-05', '2018-03-14'))}\n\nnot json\n${JSON.stringify(admission('JZ-I-2', '2018-05-01', '2018-05-08'))}\n`;
    const file = join(dir, 'with-bad-line.jsonl');
    writeFileSync(file, input);

    // Act
    const run = claims(['replay', file]);

    // Assess
    expect(run.status).toBe(2);
    const lines = jsonLines(run.stdout);
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatchObject({ error: 'INVALID_CLAIM', line: 3, issues: [{ path: '' }] });
    expect((lines[2] as { yearToDate: { admissions: number } }).yearToDate.admissions).toBe(2);
    expect(run.stderr).toMatch(/invalid\s+1/);
  });

  it('replays what claims generate writes, the same as --generate', () => {
    // Prepare
    const generated = claims(['generate', '--count', '400', '--seed', '3']);

    // Act
    const fromPipe = claims(['replay', '-'], generated.stdout);
    const direct = claims(['replay', '--generate', '400', '--seed', '3']);

    // Assess
    expect(generated.status).toBe(0);
    expect(fromPipe.status).toBe(0);
    expect(jsonLines(fromPipe.stdout)).toHaveLength(400);
    expect(fromPipe.stdout).toBe(direct.stdout);
  });

  it('gives the same output, in the same order, on worker threads', () => {
    // Prepare: a bad line in the middle checks that answers made on the main thread keep their place.
    const generated = claims(['generate', '--count', '1200', '--seed', '11']).stdout.split('\n');
    generated.splice(600, 0, '{not json');
    const input = generated.join('\n');

    // Act
    const single = claims(['replay', '-'], input);
    const threaded = claims(['replay', '--workers', '3', '-'], input);

    // Assess
    expect(threaded.status).toBe(2);
    expect(single.status).toBe(2);
    expect(threaded.stdout).toBe(single.stdout);
    expect(jsonLines(threaded.stdout)[600]).toMatchObject({ error: 'INVALID_CLAIM', line: 601 });
    const basic = (stderr: string) => stderr.match(/统筹基金 basic\s+(\S+)/)?.[1];
    expect(basic(threaded.stderr)).toBe(basic(single.stderr));
  });

  it('writes the settlements to --output FILE instead of stdout', () => {
    // Prepare
    const output = join(dir, 'settlements.jsonl');

    // Act
    const run = claims(['replay', '--generate', '50', '--output', output]);

    // Assess
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('');
    expect(jsonLines(readFileSync(output, 'utf8'))).toHaveLength(50);
  });

  it('refuses a FILE together with --generate as a usage error', () => {
    // Act
    const run = claims(['replay', 'x.jsonl', '--generate', '10']);

    // Assess
    expect(run.status).toBe(64);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('names a missing file in one line and exits 1', () => {
    // Act
    const run = claims(['replay', join(dir, 'missing.jsonl')]);

    // Assess
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('missing.jsonl');
  });
});
