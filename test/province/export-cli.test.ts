/** `claims export` and the provincial commands' help and usage errors. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { settlementToJson } from '../../shared/engine/settlement.js';
import { formatMoney } from '../../shared/money/money.js';
import { FHIR_PAYERS, FHIR_SYSTEMS } from '../../shared/province/exports/fhir-codes.js';
import { validateFhirBundle, validateNhsaRecord } from '../../shared/province/exports/schemas.js';
import { claims, ensureBuilt, jsonLines } from '../cli/helpers.js';
import { settledCases } from './helpers.js';

const cases = settledCases();
let dir: string;
let settlementsFile: string;

beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'claims-export-'));
  settlementsFile = join(dir, 'settlements.jsonl');
  // Settlement lines as `claims settle --lines` prints them, with the discharge date added (FHIR needs a
  // time), and an error line of an invalid claim.
  const lines = cases.map((c) => JSON.stringify({ ...settlementToJson(c.settlement), dischargedOn: c.claim.visit.dischargedOn }));
  lines.splice(3, 0, '{"error":"INVALID_CLAIM","issues":[{"path":"","message":"is not JSON"}]}');
  writeFileSync(settlementsFile, `${lines.join('\n')}\n`);
});

describe('claims export', () => {
  it.each(['nhsa', 'fhir'] as const)('writes one validated %s record per settlement with the settlement amounts', (format) => {
    // Act
    const run = claims(['export', '--format', format, settlementsFile]);

    // Assess
    expect(run.status).toBe(0);
    const records = jsonLines(run.stdout);
    expect(records).toHaveLength(cases.length);
    // The national record's amounts are JSON numbers written with two decimals.
    if (format === 'nhsa') expect(run.stdout).toMatch(/"medfee_sumamt":\d+\.\d{2},/);
    expect(run.stderr).toContain('1 error line(s) of invalid claims skipped');
    records.forEach((record, index) => {
      const { amounts } = cases[index]!.settlement;
      if (format === 'nhsa') {
        expect(validateNhsaRecord(record)).toEqual([]);
        const info = record['setlinfo'] as Record<string, number>;
        expect([info['hifp_pay'], info['hifmi_pay'], info['maf_pay'], info['oth_pay']]).toEqual([amounts.basic, amounts.catastrophic, amounts.assistance, amounts.charity].map((fen) => fen / 100));
      } else {
        expect(validateFhirBundle(record)).toEqual([]);
        // Each fund's benefit, read from its ClaimResponse (the insurer's fund code names the fund).
        const entries = (record['entry'] as { fullUrl: string; resource: Record<string, unknown> }[]).map((e) => [e.fullUrl, e.resource] as const);
        const byUrl = new Map(entries);
        const paid: Record<string, string> = {};
        for (const [, resource] of entries.filter(([, r]) => r['resourceType'] === 'ClaimResponse')) {
          const insurer = byUrl.get((resource['insurer'] as { reference: string }).reference) as { identifier: { value: string }[] };
          const fund = FHIR_PAYERS.find((p) => p.fund === insurer.identifier[0]!.value)!;
          const totals = resource['total'] as { category: { coding: { system: string; code: string }[] }; amount: { value: number } }[];
          const benefit = totals.find((t) => t.category.coding.some((c) => c.system === FHIR_SYSTEMS.adjudication && c.code === 'benefit'))!;
          paid[fund.amount] = formatMoney(Math.round(benefit.amount.value * 100) as never);
        }
        for (const payer of FHIR_PAYERS) expect(paid[payer.amount] ?? '0.00').toBe(formatMoney(amounts[payer.amount]));
      }
    });
  });

  it('refuses, on one line, a FHIR export of a settlement line with no time at all', () => {
    // Prepare
    const file = join(dir, 'bare.jsonl');
    writeFileSync(file, `${JSON.stringify(settlementToJson(cases[0]!.settlement))}\n`);

    // Act
    const run = claims(['export', '--format', 'fhir', file]);

    // Assess
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('settledAt');
  });

  it('fills dates from stored settlements', () => {
    // Prepare
    const stored = join(dir, 'stored.jsonl');
    const { settlement } = cases[1]!;
    writeFileSync(stored, `${JSON.stringify({ status: 'settled', dischargedOn: '2018-03-14', settledAt: '2018-03-14T02:30:00Z', settlement: settlementToJson(settlement) })}\n`);

    // Act
    const [record] = jsonLines(claims(['export', '--format', 'nhsa', stored]).stdout);

    // Assess
    expect(record!['setlinfo']).toMatchObject({ setl_time: '2018-03-14 10:30:00' });
    expect(record!['ext']).toMatchObject({ enddate: '2018-03-14' });
  });

  it('fails loudly, on one line, when a settlement line is corrupt', () => {
    // Prepare: the payers no longer add up to the total.
    const broken = settlementToJson(cases.find((c) => c.settlement.amounts.basic > 0)!.settlement);
    const file = join(dir, 'broken.jsonl');
    writeFileSync(file, `${JSON.stringify({ ...broken, amounts: { ...broken.amounts, basic: '1.00' } })}\n`);

    // Act
    const run = claims(['export', '--format', 'fhir', file]);

    // Assess
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('line 1');
  });
});

describe('help and usage', () => {
  it.each(['export', 'statement', 'reconcile', 'whatif'])('claims %s --help prints usage and exits 0', (command) => {
    // Act
    const run = claims([command, '--help']);

    // Assess
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^Usage: claims ${command}`));
  });

  it.each([
    [['export', settlementsFile]],
    [['export', '--format', 'xml', settlementsFile]],
    [['statement', '--hospital', 'H', '--from', '2018-01-01', '--to', '2018-01-31']],
    [['reconcile', '--hospital', 'H', 'theirs.csv']],
    [['whatif', '--policies', '.']],
  ])('%j is a usage error: one line, exit 64', (args) => {
    // Act
    const run = claims(args);

    // Assess
    expect(run.status).toBe(64);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });
});
