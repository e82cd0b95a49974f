/**
 * Hospital statements: fund totals equal the sum of the settlements covered with reversals netted, to
 * the fen; the quality deposit arithmetic; the CSV and the command line.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseClaim } from '../../shared/contract/claim.js';
import { YearToDateLedger, settleAgainstLedger } from '../../shared/engine/ledger.js';
import { settlementToJson } from '../../shared/engine/settlement.js';
import { builtInPolicyBook } from '../../shared/policy/book.js';
import { ProvinceRequestError, InvalidRecordError } from '../../shared/province/errors.js';
import type { SettlementRecord } from '../../shared/province/settlement-record.js';
import { StatementBuilder, buildStatement, statementToCsv, statementToJson } from '../../shared/province/statement.js';
import { generateClaims } from '../../cli/sample/generate.js';
import { claims, ensureBuilt } from '../cli/helpers.js';
import { settledCases } from './helpers.js';

const book = builtInPolicyBook();

/** A year of generated claims, settled with carried totals; every 7th settled claim reversed. */
function generatedRecords(): SettlementRecord[] {
  const ledger = new YearToDateLedger();
  let settledCount = 0;
  return [...generateClaims({ count: 4000, seed: 20 })].map((input) => {
    const claim = parseClaim(input);
    const settlement = settleAgainstLedger(claim, book, ledger);
    let status: SettlementRecord['status'] = settlement.status;
    if (status === 'settled' && ++settledCount % 7 === 0) status = 'reversed';
    return { status, dischargedOn: claim.visit.dischargedOn, settlement };
  });
}

const records = generatedRecords();

/** The hospital with the most claims discharged in March 2018. */
function busiestHospital(): string {
  const counts = new Map<string, number>();
  for (const r of records) if (r.dischargedOn?.startsWith('2018-03')) counts.set(r.settlement.hospitalId, (counts.get(r.settlement.hospitalId) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]![0];
}

describe('statement of a generated month', () => {
  it('fund totals equal the sum of the settlements covered, reversals netted, to the fen', async () => {
    // Prepare
    const hospitalId = busiestHospital();
    const covered = records.filter((r) => r.settlement.hospitalId === hospitalId && r.dischargedOn! >= '2018-03-01' && r.dischargedOn! <= '2018-03-31');
    const inForce = covered.filter((r) => r.status === 'settled');
    const reversed = covered.filter((r) => r.status === 'reversed');
    const sumOf = (list: SettlementRecord[], key: 'basic' | 'catastrophic' | 'assistance' | 'charity') => list.reduce((s, r) => s + r.settlement.amounts[key], 0);

    // Act
    const statement = await buildStatement({ hospitalId, from: '2018-03-01', to: '2018-03-31', by: 'discharge' }, records, book);

    // Assess
    expect(covered.length).toBeGreaterThan(10);
    expect(reversed.length).toBeGreaterThan(0);
    expect(statement.claims).toEqual({
      total: covered.length,
      settled: inForce.length,
      rejected: covered.filter((r) => r.status === 'rejected').length,
      reversed: reversed.length,
      adjusted: 0,
    });
    const keys = { '390100': 'basic', '390200': 'catastrophic', '610100': 'assistance', '999997': 'charity' } as const;
    for (const fund of statement.funds) {
      const key = keys[fund.fundPayType];
      expect({ fund: fund.fundPayType, net: fund.net }).toEqual({ fund: fund.fundPayType, net: sumOf(inForce, key) });
      expect(fund.settled).toBe(sumOf(inForce, key) + sumOf(reversed, key));
      expect(fund.reversed).toBe(0 - sumOf(reversed, key));
    }
    const allFunds = (['basic', 'catastrophic', 'assistance', 'charity'] as const).reduce((s, key) => s + sumOf(inForce, key), 0);
    expect(statement.fundTotal.net).toBe(allFunds);
    // 晋中 hospital: 5% of the net basic fund, rounded half up once.
    const basic = sumOf(inForce, 'basic');
    expect(statement.deposit.withheld).toBe(Math.floor((basic * 5 + 50) / 100));
    expect(statement.netToPay).toBe(allFunds - statement.deposit.withheld);
  });

  it('counts rejections by code', async () => {
    // Prepare
    const rejected = records.filter((r) => r.status === 'rejected');
    const hospitalId = rejected[0]!.settlement.hospitalId;
    const expected = new Map<string, number>();
    for (const r of rejected) if (r.settlement.hospitalId === hospitalId) expected.set(r.settlement.rejection!.code, (expected.get(r.settlement.rejection!.code) ?? 0) + 1);

    // Act
    const statement = await buildStatement({ hospitalId, from: '2000-01-01', to: '2099-12-31', by: 'discharge' }, records, book);

    // Assess
    expect(Object.fromEntries(statement.rejections.map((r) => [r.code, r.count]))).toEqual(Object.fromEntries(expected));
  });
});

describe('quality deposit, worked by hand', () => {
  const cases = settledCases();
  const jz01 = cases.find((c) => c.id === 'JZ01')!.settlement; // basic 925.88, patient 708.62, at H-0001
  const record = (status: SettlementRecord['status'], claimId: string, dischargedOn = '2018-03-14'): SettlementRecord => ({
    status,
    dischargedOn,
    settlement: { ...jz01, claimId },
  });

  it('withholds 5% of the net basic fund (晋中 第二十二条) and pays the rest', async () => {
    // Prepare: JZ01 settled, a copy settled then reversed, and one outside the period.
    const input = [record('settled', 'A'), record('reversed', 'B'), record('settled', 'C', '2018-04-01')];

    // Act
    const statement = statementToJson(await buildStatement({ hospitalId: jz01.hospitalId, from: '2018-03-01', to: '2018-03-31', by: 'discharge' }, input, book));

    // Assess: 925.88 × 5% = 46.294 → 46.29; 925.88 − 46.29 = 879.59.
    expect(statement.funds[0]).toMatchObject({ fundPayType: '390100', settled: '1851.76', reversed: '-925.88', net: '925.88' });
    expect(statement.qualityDeposit).toEqual({
      appliesTo: '390100 hifp_pay',
      lines: [{ policy: 'jinzhong-2017', clause: '晋中 第二十二条', ratio: '5%', base: '925.88', withheld: '46.29' }],
      withheld: '46.29',
    });
    expect(statement.netToPay).toBe('879.59');
    expect(statement.patient.net).toBe('708.62');
    expect(statement.claims).toEqual({ total: 2, settled: 1, reversed: 1, rejected: 0, adjusted: 0 });
  });

  it('withholds nothing under a policy without a deposit (平阳)', async () => {
    // Prepare
    const py = cases.find((c) => c.id.startsWith('PY') && c.settlement.status === 'settled' && c.settlement.amounts.basic > 0)!.settlement;

    // Act
    const statement = await buildStatement({ hospitalId: py.hospitalId, from: '2000-01-01', to: '2099-12-31', by: 'discharge' }, [{ status: 'settled', dischargedOn: '2019-06-01', settlement: py }], book);

    // Assess
    expect(statement.deposit.withheld).toBe(0);
    expect(statement.netToPay).toBe(statement.fundTotal.net);
  });

  it('renders CSV with a header and the deposit as a negative amount', async () => {
    // Prepare
    const statement = await buildStatement({ hospitalId: jz01.hospitalId, from: '2018-03-01', to: '2018-03-31', by: 'discharge' }, [record('settled', 'A')], book);

    // Act
    const csv = statementToCsv(statement);

    // Assess
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('hospital,from,to,section,key,name,count,settled,reversed,adjusted,net');
    expect(csv).toContain('quality-deposit,jinzhong-2017,晋中 第二十二条: 5% of hifp_pay 925.88,,,,,-46.29');
    expect(csv).toContain('net-to-pay,,all funds less the quality deposit,,,,,879.59');
  });

  it('refuses a period that ends before it begins, and a record without a discharge date', () => {
    // Prepare
    const builder = new StatementBuilder({ hospitalId: jz01.hospitalId, from: '2018-01-01', to: '2018-12-31', by: 'discharge' });

    // Act
    const badPeriod = () => new StatementBuilder({ hospitalId: 'H', from: '2018-03-31', to: '2018-03-01' });
    const noDate = () => builder.add({ status: 'settled', dischargedOn: undefined, settlement: jz01 });

    // Assess
    expect(badPeriod).toThrow(ProvinceRequestError);
    expect(noDate).toThrow(InvalidRecordError);
  });
});

describe('statement by settlement period', () => {
  it('counts a claim in the period it was settled in, whatever its discharge date, and needs settledAt', async () => {
    // Prepare: discharged in March, settled on 1 April and on 31 March (UTC).
    const jz01 = settledCases().find((c) => c.id === 'JZ01')!.settlement;
    const april: SettlementRecord = { status: 'settled', dischargedOn: '2018-03-14', settledAt: '2018-04-01T00:00:01.000Z', settlement: jz01 };
    const march: SettlementRecord = { status: 'settled', dischargedOn: '2018-03-14', settledAt: '2018-03-31T23:59:59.999Z', settlement: { ...jz01, claimId: 'JZ01-B' } };
    const builder = new StatementBuilder({ hospitalId: jz01.hospitalId, from: '2018-04-01', to: '2018-04-30' });

    // Act
    const taken = [builder.add(april), builder.add(march)];
    const statement = builder.finish(book);
    const untimed = () => builder.add({ status: 'settled', dischargedOn: '2018-04-02', settlement: jz01 });

    // Assess
    expect(taken).toEqual([true, false]);
    expect(statement.claims.total).toBe(1);
    expect(statement.fundTotal.net).toBe(jz01.amounts.basic + jz01.amounts.catastrophic + jz01.amounts.assistance + jz01.amounts.charity);
    expect(untimed).toThrow(/settledAt/);
  });
});

describe('claims statement', () => {
  let dir: string;
  beforeAll(() => {
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), 'claims-statement-'));
  });

  it('gives the same statement from stored settlements and from the claims settled here', async () => {
    // Prepare
    const hospitalId = busiestHospital();
    const claimsFile = join(dir, 'claims.jsonl');
    writeFileSync(claimsFile, [...generateClaims({ count: 4000, seed: 20 })].map((c) => JSON.stringify(c)).join('\n') + '\n');
    const storedFile = join(dir, 'stored.jsonl');
    writeFileSync(storedFile, records.map((r) => JSON.stringify({ status: r.status, dischargedOn: r.dischargedOn, settlement: settlementToJson(r.settlement) })).join('\n') + '\n');
    const args = ['statement', '--hospital', hospitalId, '--from', '2018-03-01', '--to', '2018-03-31'];

    // Act
    const fromStored = claims([...args, '--settlements', storedFile]);
    const fromClaims = claims([...args, '--claims', claimsFile]);

    // Assess
    expect(fromStored.status).toBe(0);
    expect(fromClaims.status).toBe(0);
    const expected = statementToJson(await buildStatement({ hospitalId, from: '2018-03-01', to: '2018-03-31', by: 'discharge' }, records, book));
    expect(JSON.parse(fromStored.stdout)).toEqual(expected);
    // The claims file has no reversals: its net equals the stored net plus what was reversed.
    const viaClaims = JSON.parse(fromClaims.stdout) as typeof expected;
    expect(viaClaims.claims.reversed).toBe(0);
    expect(viaClaims.funds[0]!.net).toBe(expected.funds[0]!.settled);
  });

  it('prints CSV, and one-line errors with a non-zero exit', () => {
    // Prepare
    const storedFile = join(dir, 'one.jsonl');
    const { settlement } = settledCases()[1]!;
    writeFileSync(storedFile, `${JSON.stringify({ status: 'settled', dischargedOn: '2018-03-14', settlement: settlementToJson(settlement) })}\n`);

    // Act
    const csv = claims(['statement', '--hospital', settlement.hospitalId, '--from', '2018-01-01', '--to', '2018-12-31', '--settlements', storedFile, '--format', 'csv']);
    const missing = claims(['statement', '--hospital', 'H', '--from', '2018-01-01', '--settlements', storedFile]);
    const bare = join(dir, 'bare.jsonl');
    writeFileSync(bare, `${JSON.stringify(settlementToJson(settlement))}\n`);
    const noDate = claims(['statement', '--hospital', settlement.hospitalId, '--from', '2018-01-01', '--to', '2018-12-31', '--settlements', bare]);

    // Assess
    expect(csv.status).toBe(0);
    expect(csv.stdout.startsWith('hospital,from,to,section')).toBe(true);
    expect(missing.status).toBe(64);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(noDate.status).toBe(1);
    expect(noDate.stderr).toContain('dischargedOn');
  });
});

describe('a correction\'s versions in the statement of the period they are made in', () => {
  it('nets a re-settled version\'s adjustment per fund and lists it; a reversal version takes the claim back', () => {
    const jz01 = settledCases().find((c) => c.id === 'JZ01')!.settlement;
    // Prepare: a claim settled in March; in April a correction re-settles it (basic −150.00) and reverses another.
    const builder = new StatementBuilder({ hospitalId: jz01.hospitalId, from: '2018-04-01', to: '2018-04-30' });
    const adjustment = { basic: -15000, catastrophic: -33750, assistance: 0, charity: 0, hospitalBorne: 0, patient: 48750 } as never;

    // Act
    builder.add({ status: 'settled', dischargedOn: '2018-03-14', settledAt: '2018-04-02T01:00:00.000Z', settlement: jz01, version: 2, adjustment });
    builder.add({ status: 'reversed', dischargedOn: '2018-03-14', settledAt: '2018-04-02T01:00:00.000Z', settlement: jz01, version: 3 });
    const statement = builder.finish(builtInPolicyBook());

    // Assess
    expect(statement.claims).toEqual({ total: 0, settled: 0, rejected: 0, reversed: 1, adjusted: 1 });
    const basic = statement.funds.find((fund) => fund.fundPayType === '390100')!;
    expect(basic.adjusted).toBe(-15000);
    expect(basic.reversed).toBe(-jz01.amounts.basic);
    expect(basic.net).toBe(-15000 - jz01.amounts.basic);
    expect(statement.funds.find((fund) => fund.fundPayType === '390200')!.adjusted).toBe(-33750);
    expect(statement.adjustments).toEqual([{ claimId: jz01.claimId, version: 2, status: 'settled', madeAt: '2018-04-02T01:00:00.000Z', adjustment }]);
    expect(statementToCsv(statement)).toContain(`adjustment,${jz01.claimId} v2,2018-04-02T01:00:00.000Z,,,,-487.50,`);
  });
});
