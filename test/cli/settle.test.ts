/** `claims settle`: from a file and stdin, invalid input, JSON Lines, and the slip. */
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { caseClaim, claims, ensureBuilt, jsonLines } from './helpers.js';

let dir: string;

beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'claims-settle-'));
});

function claimFile(name: string, claim: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(claim));
  return path;
}

describe('claims settle', () => {
  it('settles a claim from a file with the amounts of the worked case', () => {
    // Prepare: JZ02, policy scope below the deductible (800.00 in scope, 150.00 out of catalogue).
    const file = claimFile('jz02.json', caseClaim('JZ02'));

    // Act
    const run = claims(['settle', file]);

    // Assess
    expect(run.status).toBe(0);
    const settlement = JSON.parse(run.stdout);
    expect(settlement.status).toBe('settled');
    expect(settlement.amounts).toMatchObject({ total: '950.00', deductible: '800.00', basic: '0.00', patient: '950.00' });
  });

  it('settles a claim from standard input', () => {
    // Prepare
    const input = JSON.stringify(caseClaim('JZ02'));

    // Act
    const run = claims(['settle', '-'], input);

    // Assess
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout).claimId).toBe('JZ02-0001');
  });

  it('answers input that is not JSON with INVALID_CLAIM at path "" and exit 2', () => {
    // Prepare
    const input = 'this is not json';

    // Act
    const run = claims(['settle', '-'], input);

    // Assess
    expect(run.status).toBe(2);
    const error = JSON.parse(run.stdout);
    expect(error.error).toBe('INVALID_CLAIM');
    expect(error.issues[0].path).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('answers every line of --lines in order, a bad line in the middle included, and exits 2', () => {
    // Prepare
    const good = JSON.stringify(caseClaim('JZ02'));
    const other = JSON.stringify({ ...caseClaim('JZ02'), claimId: 'JZ02-0003' });
    const input = `${good}\n{"claimId": 1}\n${other}\n`;

    // Act
    const run = claims(['settle', '--lines', '-'], input);

    // Assess
    expect(run.status).toBe(2);
    const lines = jsonLines(run.stdout);
    expect(lines).toHaveLength(3);
    expect(lines[0]?.claimId).toBe('JZ02-0001');
    expect(lines[1]?.error).toBe('INVALID_CLAIM');
    expect(lines[2]?.claimId).toBe('JZ02-0003');
  });

  it('answers a blank line of --lines too, so answers stay aligned with their input lines', () => {
    // Prepare: a blank and a whitespace-only line between two good claims
    const good = JSON.stringify(caseClaim('JZ02'));
    const input = `${good}\n\n \n${good}\n`;

    // Act
    const run = claims(['settle', '--lines', '-'], input);

    // Assess
    expect(run.status).toBe(2);
    const lines = jsonLines(run.stdout);
    expect(lines.map((line) => line.error ?? line.claimId)).toEqual(['JZ02-0001', 'INVALID_CLAIM', 'INVALID_CLAIM', 'JZ02-0001']);
    expect((lines[1]?.issues as { path: string }[])[0]?.path).toBe('');
  });

  it('prints a slip, Chinese first, with the fund amounts right-aligned in digits and capitals, and the explanation in Chinese', () => {
    // Prepare: JZ05 carries partly included items, so every scope amount is non-trivial.
    const file = claimFile('jz05.json', caseClaim('JZ05'));

    // Act
    const run = claims(['settle', '--format', 'slip', file]);

    // Assess
    expect(run.status).toBe(0);
    const slip = run.stdout;
    expect(slip.split('\n')[0]).toMatch(/^城乡居民基本医疗保险一站式结算单/);
    expect(slip).toContain('class2-city');
    expect(slip).toMatch(/入院日期 Admitted\s+2018-03-05/);
    expect(slip).toMatch(/住院天数 Days\s+9/);
    expect(slip).toMatch(/统筹基金支付 Basic fund\s+18636\.33  壹万捌仟陆佰叁拾陆元叁角叁分/);
    expect(slip).toMatch(/个人负担 Patient pays\s+25869\.22  贰万伍仟捌佰陆拾玖元贰角贰分/);
    expect(slip).toMatch(/先行自付 Class-B pre-self-pay\s+17382\.22/);
    // The year so far: 70,000 cap less the 18,636.33 this claim paid.
    expect(slip).toMatch(/年度限额剩余 Cap room left\s+51363\.67/);
    expect(slip).toContain('【结算说明 Explanation】');
    expect(slip).toContain('住院统筹支付：(政策范围内费用 27,123.33 − 起付线 500.00) × 支付比例 70% = 18,636.33（晋中 第十五条）');
    // Amount columns end at the same display column whatever the CJK labels (two columns each).
    const wide = (line: string) => [...line].reduce((n, ch) => n + (/[\u3000-\u9fff\uff00-\uffef]/.test(ch) ? 2 : 1), 0);
    const money = slip.slice(slip.indexOf('【费用'), slip.indexOf('【本年累计'));
    const amountLines = money.split('\n').filter((line) => /^\s+\S.*\s\d+\.\d\d  \S+$/.test(line));
    expect(amountLines.length).toBe(11);
    expect(new Set(amountLines.map((line) => wide(line.slice(0, line.lastIndexOf('  '))))).size).toBe(1);
  });

  it('shows the registry\'s names masked on the slip when --registry is given', () => {
    // Prepare
    const file = claimFile('jz05.json', caseClaim('JZ05'));
    const registry = claimFile('registry.json', {
      hospitals: [{ id: 'H-0001', name: '晋中市示例医院', poolingArea: 'jinzhong', designated: true, primaryCare: false, tiers: { jinzhong: 'class2-city' } }],
      members: [
        {
          id: 'M-0001',
          name: '张三丰',
          idNumber: '140702197005201234',
          region: 'jinzhong',
          poolingArea: 'jinzhong',
          birthDate: '1970-05-20',
          enrolments: [{ year: 2018, kind: 'regular', paidOn: '2017-11-15' }],
        },
      ],
    });

    // Act
    const text = claims(['settle', '--format', 'slip', '--registry', registry, file]);
    const html = claims(['settle', '--format', 'html', '--registry', registry, file]);

    // Assess
    for (const run of [text, html]) {
      expect(run.status).toBe(0);
      expect(run.stdout).toContain('张**');
      expect(run.stdout).toContain('140*************34');
      expect(run.stdout).toContain('晋中市示例医院');
      expect(run.stdout).not.toContain('张三丰');
      expect(run.stdout).not.toContain('140702197005201234');
    }
    expect(html.stdout).toMatch(/^<!doctype html>/);
  });

  it('names the registry file and its bad field when --registry does not validate, exit 2', () => {
    // Prepare
    const file = claimFile('jz05.json', caseClaim('JZ05'));
    const registry = claimFile('bad-registry.json', { members: [{ id: 'M-0001' }] });

    // Act
    const run = claims(['settle', '--format', 'slip', '--registry', registry, file]);

    // Assess
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('bad-registry.json');
    expect(run.stderr).toMatch(/members\.0\.region/);
    expect(run.stdout).toBe('');
  });

  it('refuses an unknown --format or --paper, and --format html with --lines, as usage errors', () => {
    const file = claimFile('jz05.json', caseClaim('JZ05'));
    expect(claims(['settle', '--format', 'pdf', file]).status).toBe(64);
    expect(claims(['settle', '--format', 'html', '--paper', 'a5', file]).status).toBe(64);
    expect(claims(['settle', '--format', 'html', '--lines', file]).status).toBe(64);
  });

  it('shows the rejection on the slip of a rejected claim', () => {
    // Prepare: JZ13, non-emergency care at a non-designated hospital.
    const file = claimFile('jz13.json', caseClaim('JZ13'));

    // Act
    const run = claims(['settle', '--format', 'slip', file]);

    // Assess
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('【拒付 Rejection】');
    expect(run.stdout).toMatch(/拒付代码 Code\s+NON_DESIGNATED/);
  });

  it('separates the slips of --lines with a blank line', () => {
    // Prepare
    const input = `${JSON.stringify(caseClaim('JZ02'))}\n${JSON.stringify(caseClaim('JZ13'))}\n`;

    // Act
    const run = claims(['settle', '--lines', '--format', 'slip', '-'], input);

    // Assess
    expect(run.status).toBe(0);
    const slips = run.stdout.trimEnd().split('\n\n');
    expect(slips).toHaveLength(2);
    expect(slips[0]).toContain('JZ02-0001');
    expect(slips[1]).toContain('JZ13-0001');
  });

});
