/**
 * Reconciliation: a 10,000-claim hospital file with planted differences (missing, extra, one fen off
 * in one fund), shuffled, run through the real command: every planted difference is found and nothing
 * else. The merge join and the external sort are checked to stream in bounded memory.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseClaim } from '../../shared/contract/claim.js';
import { YearToDateLedger, settleAgainstLedger } from '../../shared/engine/ledger.js';
import { type Settlement, settlementToJson } from '../../shared/engine/settlement.js';
import { type Fen, formatMoney } from '../../shared/money/money.js';
import { builtInPolicyBook } from '../../shared/policy/book.js';
import { UnsortedInputError } from '../../shared/province/errors.js';
import { type ReconcileRecord, Reconciliation, readTheirCsvRow, splitCsvLine } from '../../shared/province/reconcile.js';
import { generateClaims, mulberry32 } from '../../cli/sample/generate.js';
import { ROOT, claims, ensureBuilt, jsonLines } from '../cli/helpers.js';

const HOSPITAL = 'H-140702-0007';
const FUNDS = [
  ['hifp_pay', 'basic'],
  ['hifmi_pay', 'catastrophic'],
  ['maf_pay', 'assistance'],
  ['oth_pay', 'charity'],
] as const;

interface Fixture {
  dir: string;
  ours: string;
  theirs: string;
  missing: Set<string>;
  extra: Set<string>;
  /** claim id → the field one fen off. */
  offByOne: Map<string, string>;
  settledCount: number;
}

/** 10,000 generated claims, all at one hospital, settled; the hospital's file with planted differences. */
function buildFixture(): Fixture {
  const dir = mkdtempSync(join(tmpdir(), 'claims-reconcile-'));
  const book = builtInPolicyBook();
  const ledger = new YearToDateLedger();
  const stored: string[] = [];
  const settled: { settlement: Settlement; dischargedOn: string }[] = [];
  for (const input of generateClaims({ count: 10_000, seed: 42 })) {
    const claim = parseClaim({ ...input, hospital: { ...input.hospital, id: HOSPITAL } });
    const settlement = settleAgainstLedger(claim, book, ledger);
    stored.push(JSON.stringify({ status: settlement.status, dischargedOn: claim.visit.dischargedOn, settlement: settlementToJson(settlement) }));
    if (settlement.status === 'settled') settled.push({ settlement, dischargedOn: claim.visit.dischargedOn });
  }
  const ours = join(dir, 'ours.jsonl');
  writeFileSync(ours, `${stored.join('\n')}\n`);

  const random = mulberry32(7);
  const missing = new Set<string>();
  const offByOne = new Map<string, string>();
  const rows: string[] = [];
  settled.forEach(({ settlement, dischargedOn }, index) => {
    if (index % 271 === 5) {
      missing.add(settlement.claimId);
      return;
    }
    const amounts: Record<string, Fen> = Object.fromEntries(FUNDS.map(([field, key]) => [field, settlement.amounts[key]]));
    if (index % 193 === 11) {
      const [field] = FUNDS[index % FUNDS.length]!;
      // One fen up, or down when that would go below zero.
      amounts[field] = (amounts[field]! > 0 && random() < 0.5 ? amounts[field]! - 1 : amounts[field]! + 1) as Fen;
      offByOne.set(settlement.claimId, field);
    }
    rows.push([settlement.claimId, dischargedOn, formatMoney(settlement.amounts.total), ...FUNDS.map(([field]) => formatMoney(amounts[field]!))].join(','));
  });
  const extra = new Set<string>();
  for (let i = 0; i < 17; i += 1) {
    const id = `HIS-ONLY-${String(i).padStart(3, '0')}`;
    extra.add(id);
    rows.push(`${id},2018-06-${String(10 + i).padStart(2, '0')},1000.00,600.00,0.00,0.00,0.00`);
  }
  // Shuffle (Fisher–Yates, seeded): the hospital's order is its own, not ours.
  for (let i = rows.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [rows[i], rows[j]] = [rows[j]!, rows[i]!];
  }
  const theirs = join(dir, 'theirs.csv');
  writeFileSync(theirs, `claim_id,discharge_date,medfee_sumamt,hifp_pay,hifmi_pay,maf_pay,oth_pay\r\n${rows.join('\r\n')}\r\n`);
  return { dir, ours, theirs, missing, extra, offByOne, settledCount: settled.length };
}

let fixture: Fixture;

beforeAll(() => {
  ensureBuilt();
  fixture = buildFixture();
});

describe('claims reconcile on a 10,000-claim file', () => {
  it('finds every planted difference and nothing else', () => {
    // Prepare
    const args = ['reconcile', '--hospital', HOSPITAL, '--settlements', fixture.ours, fixture.theirs, '--run-size', '1000'];

    // Act
    const started = performance.now();
    const run = claims(args);
    const seconds = (performance.now() - started) / 1000;

    // Assess
    expect(run.stderr).toMatch(/^claims reconcile: /);
    expect(run.status).toBe(0);
    const lines = jsonLines(run.stdout);
    const summary = lines.pop()!['summary'] as Record<string, unknown>;
    const findings = lines as { kind: string; claimId: string; differences?: { field: string; ours: string; theirs: string; delta: string }[] }[];
    expect(new Set(findings.filter((f) => f.kind === 'only-ours').map((f) => f.claimId))).toEqual(fixture.missing);
    expect(new Set(findings.filter((f) => f.kind === 'only-theirs').map((f) => f.claimId))).toEqual(fixture.extra);
    const differing = findings.filter((f) => f.kind === 'differs');
    expect(new Map(differing.map((f) => [f.claimId, f.differences!.map((d) => d.field).join(',')]))).toEqual(fixture.offByOne);
    for (const finding of differing) expect(['0.01', '-0.01']).toContain(finding.differences![0]!.delta);
    expect(findings).toHaveLength(fixture.missing.size + fixture.extra.size + fixture.offByOne.size);
    expect(summary).toMatchObject({
      onlyOurs: fixture.missing.size,
      onlyTheirs: fixture.extra.size,
      differing: fixture.offByOne.size,
      matched: fixture.settledCount - fixture.missing.size - fixture.offByOne.size,
      agrees: false,
    });
    // Findings come out in claim-id order.
    const ids = findings.map((f) => f.claimId);
    expect(ids).toEqual([...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(seconds).toBeLessThan(30);
  });

  it('reports per-fund totals on both sides (3201) whose differences are the planted ones', () => {
    // Prepare
    const run = claims(['reconcile', '--hospital', HOSPITAL, '--settlements', fixture.ours, fixture.theirs]);

    // Act
    const summary = jsonLines(run.stdout).pop()!['summary'] as { totals: { field: string; ours: string; theirs: string; delta: string }[]; claims: { ours: number; theirs: number } };

    // Assess
    expect(summary.claims).toEqual({ ours: fixture.settledCount, theirs: fixture.settledCount - fixture.missing.size + fixture.extra.size });
    expect(summary.totals.map((t) => t.field)).toEqual(['medfee_sumamt', 'hifp_pay', 'hifmi_pay', 'maf_pay', 'oth_pay']);
    for (const total of summary.totals) {
      const toFen = (text: string) => Math.round(Number(text) * 100);
      expect(toFen(total.theirs) - toFen(total.ours)).toBe(toFen(total.delta));
    }
  });

  it('agrees with itself: our side against our own figures finds nothing', () => {
    // Prepare: the hospital file without the planted differences, as JSON Lines.
    const rows = jsonLines(claims(['export', '--format', 'nhsa', fixture.ours]).stdout)
      .map((record) => record['setlinfo'] as Record<string, string | number>)
      // The hospital's file states yuan as text; the national record's mdtrt_id is the claim id.
      .map((info) => Object.fromEntries(Object.entries(info).map(([k, v]) => [k, typeof v === 'number' ? v.toFixed(2) : v])) as Record<string, string>)
;
    const theirs = join(fixture.dir, 'clean.jsonl');
    const stored = new Map(jsonLines(readFileSync(fixture.ours, 'utf8')).map((line) => [(line['settlement'] as { claimId: string }).claimId, line]));
    writeFileSync(
      theirs,
      rows
        .filter((row) => (stored.get(row['mdtrt_id']!)!['status'] as string) === 'settled')
        .map((row) => JSON.stringify({ setl_id: row['mdtrt_id'], enddate: stored.get(row['mdtrt_id']!)!['dischargedOn'], medfee_sumamt: row['medfee_sumamt'], hifp_pay: row['hifp_pay'], hifmi_pay: row['hifmi_pay'], maf_pay: row['maf_pay'], oth_pay: row['oth_pay'], psn_part_amt: row['psn_part_amt'] }))
        .join('\n'),
    );

    // Act
    const run = claims(['reconcile', '--hospital', HOSPITAL, '--settlements', fixture.ours, theirs, '--run-size', '3000']);

    // Assess
    expect(run.status).toBe(0);
    const lines = jsonLines(run.stdout);
    expect(lines).toHaveLength(1);
    expect(lines[0]!['summary']).toMatchObject({ agrees: true, matched: fixture.settledCount });
  });

  it('names the line of a malformed row, on one line of stderr', () => {
    // Prepare
    const bad = join(fixture.dir, 'bad.csv');
    writeFileSync(bad, 'claim_id,discharge_date,medfee_sumamt,hifp_pay,hifmi_pay,maf_pay,oth_pay\nX,2018-01-01,12.345,1.00,0.00,0.00,0.00\n');

    // Act
    const run = claims(['reconcile', '--hospital', HOSPITAL, '--settlements', fixture.ours, bad]);

    // Assess
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('line 2');
    expect(run.stderr).toContain('medfee_sumamt');
  });
});

/** Records with ascending ids. */
function* lazyRecords(count: number, prefix: string): Generator<ReconcileRecord> {
  for (let i = 0; i < count; i += 1) {
    yield { claimId: `${prefix}${i}`, dischargedOn: '2018-05-01', amounts: { medfee_sumamt: 100 as Fen, hifp_pay: 50 as Fen, hifmi_pay: 0 as Fen, maf_pay: 0 as Fen, oth_pay: 0 as Fen } };
  }
}

describe('bounded memory', () => {
  const script = join(import.meta.dirname, 'fixtures/bounded-reconcile.mjs');
  const run = (runSize: number) =>
    spawnSync(process.execPath, ['--max-old-space-size=32', script, join(ROOT, 'dist'), '200000', String(runSize)], { encoding: 'utf8' });

  it('reconciles 200,000 shuffled claims a side with a 32 MB heap when runs hold 10,000, and cannot when one run holds all', () => {
    // Prepare: the heap cap makes the bound observable; the in-memory variant shows the cap bites.

    // Act
    const bounded = run(10_000);
    const unbounded = run(1_000_000_000);

    // Assess
    expect(bounded.status).toBe(0);
    expect(JSON.parse(bounded.stdout)).toMatchObject({ findings: 200, matched: 199_800 });
    expect(unbounded.status).not.toBe(0);
  });

  it('refuses an unsorted side instead of miscounting', async () => {
    // Prepare
    const unsorted = [...lazyRecords(3, 'C')].reverse();

    // Act
    const run = async () => {
      for await (const _ of new Reconciliation(lazyRecords(3, 'C'), unsorted).findings());
    };

    // Assess
    await expect(run()).rejects.toThrow(UnsortedInputError);
  });

  it('splits quoted CSV fields', () => {
    // Prepare
    const header = ['claim_id', 'discharge_date', 'medfee_sumamt', 'hifp_pay', 'hifmi_pay', 'maf_pay', 'oth_pay'];

    // Act
    const record = readTheirCsvRow(header, '"A,""1""",2018-01-02,10.00,5.00,0,0,0.5', 'f', 2);

    // Assess
    expect(splitCsvLine('"a,b",c')).toEqual(['a,b', 'c']);
    expect(record.claimId).toBe('A,"1"');
    expect(record.amounts.oth_pay).toBe(50);
  });
});
