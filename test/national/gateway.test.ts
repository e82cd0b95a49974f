/**
 * Conformance of the national gateway through the real local stack (DynamoDB Local, fauxqs, the
 * settle handler): the inpatient sequence a HIS runs, 9001 → 1101 → 2401 → 2301 → 2402 → 2303 → 2304 →
 * 5206 → 2305, answered in the national shape and equal to `claims settle` on the equivalent claim;
 * the error paths of each transaction; resends; authentication.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import catalogueFile from '../../local/national/demo-catalogue.json' with { type: 'json' };
import { DEMO_ADULT, DEMO_CHILD, DEMO_FIXMEDINS_CODE, OTHER_FIXMEDINS_CODE } from '../../local/national/demo.js';
import { BASEINFO_FIELDS, CUMINFO_FIELDS, FEE_RESULT_FIELDS, INSUINFO_FIELDS, SETLDETAIL_FIELDS, SETLINFO_FIELDS, validateFields } from '../../shared/national/fields.js';
import { setlinfoSumIssues } from '../../shared/national/validate.js';
import { settlementKey } from '../../functions/storage/keys.js';
import { claims, ensureBuilt } from '../cli/helpers.js';
import type { TestStack } from '../pipeline/helpers.js';
import { STAY_LINES, admission, dayTime, dischargeOf, envelope, feeDetail, settleData, stayTotal } from './factories.js';
import { GATEWAY_PATH, ok, post, refused, signedHeaders, startNationalStack } from './helpers.js';

let test: TestStack;

beforeAll(async () => {
  ensureBuilt();
  test = await startNationalStack();
}, 120_000);

afterAll(async () => {
  await test?.stack.stop();
});

/** The equivalent claim of the 20-line stay, written by hand from the demo catalogue's categories. */
function equivalentClaim(claimId: string, admittedOn: string, dischargedOn: string): object {
  const entries = new Map(catalogueFile.items.map((item) => [item.med_list_codg, item] as const));
  const year = Number(admittedOn.slice(0, 4));
  return {
    claimId,
    submittedOn: new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10),
    member: { id: DEMO_ADULT, region: 'jinzhong', birthDate: '1970-05-20', categories: [], enrolment: { year, kind: 'regular', paidOn: `${year - 1}-11-15` } },
    hospital: { id: DEMO_FIXMEDINS_CODE, tier: 'class1-city', designated: true, primaryCare: false, outsidePoolingArea: false },
    visit: { type: 'inpatient', admittedOn, dischargedOn, emergency: false, referral: false, cause: 'illness' },
    items: STAY_LINES.map(([code, cnt, pric]) => {
      const entry = entries.get(code) as { category: string; selfPayRatio?: string } | undefined;
      const amount = (Math.round(cnt * pric * 100) / 100).toFixed(2);
      return entry ? { code, category: entry.category, amount, ...(entry.selfPayRatio ? { selfPayRatio: entry.selfPayRatio } : {}) } : { code, category: 'out-of-catalogue', amount };
    }),
  };
}

const SETLINFO_AMOUNTS = ['medfee_sumamt', 'fulamt_ownpay_amt', 'preselfpay_amt', 'inscp_scp_amt', 'act_pay_dedc', 'hifp_pay', 'hifmi_pay', 'maf_pay', 'oth_pay', 'hosp_part_amt', 'psn_part_amt'] as const;
const SETTLEMENT_AMOUNT: Record<(typeof SETLINFO_AMOUNTS)[number], string> = {
  medfee_sumamt: 'total',
  fulamt_ownpay_amt: 'fullOwnPay',
  preselfpay_amt: 'preSelfPay',
  inscp_scp_amt: 'policyScope',
  act_pay_dedc: 'deductible',
  hifp_pay: 'basic',
  hifmi_pay: 'catastrophic',
  maf_pay: 'assistance',
  oth_pay: 'charity',
  hosp_part_amt: 'hospitalBorne',
  psn_part_amt: 'patient',
};

describe('the inpatient sequence', () => {
  it('9001 → 1101 → 2401 → 2301 → 2402 → 2303 → 2304 → 5206 → 2305, equal to claims settle on the equivalent claim', async () => {
    // Act: sign-in and person query
    const signIn = await ok(test, '9001', { signIn: { opter_no: 'C001', mac: '00-00-00-00-00-00', ip: '127.0.0.1' } });
    const person = await ok(test, '1101', { data: { mdtrt_cert_type: '01', mdtrt_cert_no: DEMO_ADULT, card_sn: '', begntime: dayTime(-10), psn_cert_type: '', certno: '', psn_name: '' } });
    // Assess
    expect(signIn['signinoutb'].sign_no).toMatch(/^Q\d{14}/);
    expect(validateFields(person['baseinfo'], BASEINFO_FIELDS)).toEqual([]);
    expect(validateFields(person['insuinfo'][0], INSUINFO_FIELDS)).toEqual([]);
    expect(person['baseinfo']).toMatchObject({ psn_no: DEMO_ADULT, psn_name: '张*', psn_cert_type: '01', gend: '1', brdy: '1970-05-20' });
    expect(person['baseinfo'].certno).not.toContain('19700520');

    // Act: admission, fee lines, discharge
    const admitted = await ok(test, '2401', admission({}, DEMO_ADULT), { sign_no: signIn['signinoutb'].sign_no });
    const mdtrtId = admitted['result'].mdtrt_id as string;
    const fees = await ok(test, '2301', { feedetail: feeDetail(mdtrtId) });
    await ok(test, '2402', dischargeOf(mdtrtId));
    // Assess
    expect(mdtrtId).toHaveLength(30);
    expect(fees['result']).toHaveLength(20);
    fees['result'].forEach((row: unknown, index: number) => expect(validateFields(row, FEE_RESULT_FIELDS, `result.${index}.`)).toEqual([]));
    expect(fees['result'].find((row: { feedetl_sn: string }) => row.feedetl_sn === 'FY000014')).toMatchObject({ fulamt_ownpay_amt: 55, chrgitm_lv: '03' });

    // Act: pre-settlement writes nothing
    const pre = await ok(test, '2303', settleData(mdtrtId, stayTotal()));
    const totalsAfterPre = await test.stack.stores.settlements.getTotals(DEMO_ADULT, Number(dayTime(0).slice(0, 4)));
    // Assess
    expect(validateFields(pre['setlinfo'], SETLINFO_FIELDS)).toEqual([]);
    expect(setlinfoSumIssues(pre['setlinfo'])).toEqual([]);
    pre['setldetail'].forEach((row: unknown) => expect(validateFields(row, SETLDETAIL_FIELDS)).toEqual([]));
    expect(totalsAfterPre.version).toBe(0);
    expect(await test.stack.stores.settlements.getSettlement(DEMO_FIXMEDINS_CODE, mdtrtId)).toBeUndefined();

    // Act: settlement
    const settleEnvelope = envelope('2304', settleData(mdtrtId, stayTotal()));
    const settled = await post(test, settleEnvelope);
    const resent = await post(test, settleEnvelope);
    // Assess: answered once, the same answer to the resend, amounts as numbers with two decimals
    expect(settled.body.err_msg).toBeNull();
    const info = settled.body.output['setlinfo'];
    expect(resent.body.output).toEqual(settled.body.output);
    expect(settled.text).toMatch(/"medfee_sumamt":\d+\.\d{2},/);
    expect(info).toMatchObject({ mdtrt_id: mdtrtId, medins_setl_id: settleEnvelope['msgid'], psn_name: '张*', med_type: '21', clr_type: '21', insutype: '390' });
    expect(info.setl_id).not.toBe(mdtrtId);
    for (const field of SETLINFO_AMOUNTS) expect(info[field], field).toBe(pre['setlinfo'][field]);
    const stored = await test.stack.stores.settlements.getSettlement(DEMO_FIXMEDINS_CODE, mdtrtId);
    expect(stored?.status).toBe('settled');

    // Assess: equal to claims settle on the equivalent claim
    const cli = claims(['settle', '-'], JSON.stringify(equivalentClaim(mdtrtId, dayTime(-10).slice(0, 10), dayTime(-1).slice(0, 10))));
    expect(cli.status, cli.stderr).toBe(0);
    const amounts = (JSON.parse(cli.stdout) as { amounts: Record<string, string> }).amounts;
    for (const field of SETLINFO_AMOUNTS) expect(info[field].toFixed(2), field).toBe(amounts[SETTLEMENT_AMOUNT[field]]);
    expect(stored?.settlement.amounts).toEqual(amounts);

    // Act: cumulative query, then cancellation
    const cum = await ok(test, '5206', { data: { psn_no: DEMO_ADULT, cum_ym: dayTime(0).slice(0, 7).replace('-', '') } });
    const cancelled = await ok(test, '2305', { data: { mdtrt_id: mdtrtId, setl_id: info.setl_id, psn_no: DEMO_ADULT } });
    const cumAfter = await ok(test, '5206', { data: { psn_no: DEMO_ADULT } });
    // Assess
    cum['cuminfo'].forEach((row: unknown) => expect(validateFields(row, CUMINFO_FIELDS)).toEqual([]));
    const basicCum = (rows: { cum_type_code: string; cum: number }[]) => rows.find((row) => row.cum_type_code === 'D39010001')!.cum;
    expect(basicCum(cum['cuminfo'])).toBe(info.hifp_pay);
    expect(cum['cuminfo'].find((row: { cum_type_code: string }) => row.cum_type_code === 'C0000').cum).toBe(1);
    expect(cancelled['setlinfo'].hifp_pay).toBe(-info.hifp_pay);
    expect(basicCum(cumAfter['cuminfo'])).toBe(0);
    expect((await test.stack.stores.settlements.getSettlement(DEMO_FIXMEDINS_CODE, mdtrtId))?.status).toBe('reversed');
  }, 120_000);

  it('a visit settled again after 2305 is a new claim, and the old one stays reversed', async () => {
    // Prepare
    const mdtrtId = (await ok(test, '2401', admission({}, DEMO_CHILD)))['result'].mdtrt_id as string;
    const lines = STAY_LINES.slice(0, 5);
    await ok(test, '2301', { feedetail: feeDetail(mdtrtId, DEMO_CHILD, lines) });
    await ok(test, '2402', dischargeOf(mdtrtId, DEMO_CHILD));
    const first = await ok(test, '2304', settleData(mdtrtId, stayTotal(lines), DEMO_CHILD));
    await ok(test, '2305', { data: { mdtrt_id: mdtrtId, setl_id: first['setlinfo'].setl_id, psn_no: DEMO_CHILD } });

    // Act
    const second = await ok(test, '2304', settleData(mdtrtId, stayTotal(lines), DEMO_CHILD));

    // Assess
    expect(second['setlinfo'].setl_id).not.toBe(first['setlinfo'].setl_id);
    expect(second['setlinfo'].hifp_pay).toBe(first['setlinfo'].hifp_pay);
    expect((await test.stack.stores.settlements.getSettlement(DEMO_FIXMEDINS_CODE, mdtrtId))?.status).toBe('reversed');
    expect((await test.stack.stores.settlements.getSettlement(DEMO_FIXMEDINS_CODE, `${mdtrtId}-2`))?.status).toBe('settled');
  }, 60_000);

  it('2601 冲正 of a 2304 by omsgid reverses it; of a 2301 removes that upload only', async () => {
    // Prepare
    const mdtrtId = (await ok(test, '2401', admission({}, DEMO_CHILD)))['result'].mdtrt_id as string;
    const upload = envelope('2301', { feedetail: feeDetail(mdtrtId, DEMO_CHILD, STAY_LINES.slice(0, 2)) });
    await post(test, upload);
    await ok(test, '2301', { feedetail: feeDetail(mdtrtId, DEMO_CHILD, STAY_LINES.slice(2, 4), 3) });

    // Act
    await ok(test, '2601', { data: { psn_no: DEMO_CHILD, omsgid: upload['msgid'], oinfno: '2301' } });
    await ok(test, '2402', dischargeOf(mdtrtId, DEMO_CHILD));
    const settle = envelope('2304', settleData(mdtrtId, stayTotal(STAY_LINES.slice(2, 4)), DEMO_CHILD));
    const settled = await post(test, settle);
    await ok(test, '2601', { data: { psn_no: DEMO_CHILD, omsgid: settle['msgid'], oinfno: '2304' } });
    const again = await post(test, settle);

    // Assess
    expect(settled.body.output['setlinfo'].medfee_sumamt).toBe(stayTotal(STAY_LINES.slice(2, 4)));
    expect((await test.stack.stores.settlements.getSettlement(DEMO_FIXMEDINS_CODE, mdtrtId))?.status).toBe('reversed');
    expect(again.body.infcode).toBe(-1);
    expect(again.body.err_msg).toContain('冲正');
  }, 60_000);
});

describe('the agency loads its catalogue', () => {
  it('claims catalogue load writes a new code that the next 2301 answers from; an invalid file is exit 2 naming the field', async () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'catalogue-'));
    const file = join(dir, 'catalogue.json');
    writeFileSync(file, JSON.stringify({ ...catalogueFile, version: '2', items: [...catalogueFile.items, { med_list_codg: 'NEW-CLASS-B-0001', name: '新增乙类药', category: 'class-b', selfPayRatio: '0.30' }] }));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ ...catalogueFile, items: [{ med_list_codg: 'X', name: 'x', category: 'class-b' }] }));

    // Act
    const loaded = claims(['catalogue', 'load', file, '--table', test.stack.tableName, '--endpoint', test.stack.dynamoEndpoint]);
    const refusedFile = claims(['catalogue', 'check', bad]);
    const mdtrtId = (await ok(test, '2401', admission()))['result'].mdtrt_id as string;
    const fees = await ok(test, '2301', { feedetail: feeDetail(mdtrtId, DEMO_ADULT, [['NEW-CLASS-B-0001', 1, 100]]) });

    // Assess
    expect(loaded.status, loaded.stderr).toBe(0);
    expect(refusedFile.status).toBe(2);
    expect(refusedFile.stderr).toContain('items.0.selfPayRatio');
    expect(fees['result'][0]).toMatchObject({ chrgitm_lv: '02', selfpay_prop: 0.3, preselfpay_amt: 30, inscp_scp_amt: 70 });
  });
});

describe('error paths: −1 with an err_msg naming the field, nothing changed', () => {
  it.each([
    ['1101', 'input.data.mdtrt_cert_no', { data: { mdtrt_cert_type: '01' } }],
    ['1101', 'input.data.mdtrt_cert_no', { data: { mdtrt_cert_type: '01', mdtrt_cert_no: 'P-NOBODY' } }],
    ['2401', 'input.mdtrtinfo.insutype', admission({ insutype: '310' })],
    ['2401', 'input.mdtrtinfo.med_type', admission({ med_type: '11' })],
    ['2401', 'input.mdtrtinfo.begntime', admission({ begntime: '2026/01/01' })],
    ['2401', 'input.mdtrtinfo.psn_no', admission({}, 'P-NOBODY')],
    ['2404', 'input.data.mdtrt_id', { data: { mdtrt_id: 'Z-NONE', psn_no: DEMO_ADULT } }],
    ['2301', 'input.feedetail', { feedetail: [] }],
    ['2301', 'input.feedetail.0.mdtrt_id', { feedetail: feeDetail('Z-NONE') }],
    ['2302', 'input.data.feedetl_sn', { data: { mdtrt_id: 'Z-NONE', psn_no: DEMO_ADULT } }],
    ['2402', 'input.dscginfo.mdtrt_id', dischargeOf('Z-NONE')],
    ['2405', 'input.data.psn_no', { data: { mdtrt_id: 'Z-NONE' } }],
    ['2303', 'input.data.mdtrt_id', settleData('Z-NONE', 10)],
    ['2304', 'input.data.mdtrt_cert_type', { data: { psn_no: DEMO_ADULT } }],
    ['2305', 'input.data.setl_id', { data: { mdtrt_id: 'Z-NONE', psn_no: DEMO_ADULT } }],
    ['2601', 'input.data.omsgid', { data: { omsgid: 'NONE', oinfno: '2304' } }],
    ['5206', 'input.data.psn_no', { data: {} }],
    ['3201', 'input.data.stmt_begndate', { data: { insutype: '390', clr_type: '21' } }],
    ['9999', 'infno', {}],
  ])('%s names %s', async (infno, field, input) => {
    // Act
    const message = await refused(test, infno, input);

    // Assess
    expect(message).toContain(field);
    expect(message).toMatch(/[\u4e00-\u9fff]/);
  });

  it('2301 of a line number already uploaded, and 2303 with a total that is not the lines’ sum, are refused naming the field', async () => {
    // Prepare
    const mdtrtId = (await ok(test, '2401', admission()))['result'].mdtrt_id as string;
    await ok(test, '2301', { feedetail: feeDetail(mdtrtId, DEMO_ADULT, STAY_LINES.slice(0, 3)) });
    await ok(test, '2402', dischargeOf(mdtrtId));

    // Act
    const twice = await refused(test, '2301', { feedetail: feeDetail(mdtrtId, DEMO_ADULT, STAY_LINES.slice(0, 1)) });
    const wrongTotal = await refused(test, '2303', settleData(mdtrtId, stayTotal(STAY_LINES.slice(0, 3)) + 1));
    // Another hospital, with its own key, does not see this hospital's visit.
    const otherHospital = await refused(test, '2301', { feedetail: feeDetail(mdtrtId, DEMO_ADULT, STAY_LINES.slice(5, 6), 9) }, { fixmedins_code: OTHER_FIXMEDINS_CODE });

    // Assess
    expect(twice).toContain('input.feedetail.0.feedetl_sn');
    expect(wrongTotal).toContain('input.data.medfee_sumamt');
    expect(otherHospital).toContain('input.feedetail.0.mdtrt_id');
  });

  it('a body that is not JSON, and an infno in the path that is not the envelope’s, are envelopes too', async () => {
    // Act
    const notJson = await post(test, '{not json', { apiKey: test.keys[`hospital:${DEMO_FIXMEDINS_CODE}`] });
    const mismatch = await post(test, envelope('9001', {}), { path: `${GATEWAY_PATH}/1101` });
    const withInfno = await post(test, envelope('9001', {}), { path: `${GATEWAY_PATH}/9001` });

    // Assess
    expect(notJson).toMatchObject({ status: 200, body: { infcode: -1 } });
    expect(notJson.body.err_msg).toContain('JSON');
    expect(mismatch.body.err_msg).toContain('infno');
    expect(withInfno.body.infcode).toBe(0);
  });
});

describe('the same msgid twice', () => {
  it('2401 sent twice opens one visit and answers the same mdtrt_id; the same msgid with another input is refused', async () => {
    // Prepare
    const first = envelope('2401', admission());

    // Act
    const a = await post(test, first);
    const b = await post(test, first);
    const other = await post(test, { ...first, input: admission({ ipt_no: 'ZY9999' }) });

    // Assess
    expect(b.body.output).toEqual(a.body.output);
    expect(other.body.infcode).toBe(-1);
    expect(other.body.err_msg).toContain('msgid');
  });
});

describe('authentication', () => {
  it('an unsigned request without a key, a wrong signature, a replayed nonce, a stale timestamp are refused; a good signature is accepted', async () => {
    // Prepare
    const body = envelope('9001', {});
    const good = signedHeaders(DEMO_FIXMEDINS_CODE);

    // Act
    const unsigned = await post(test, body, { apiKey: null });
    const wrong = await post(test, body, { apiKey: null, headers: signedHeaders(DEMO_FIXMEDINS_CODE, 'not-the-token') });
    const stale = await post(test, body, { apiKey: null, headers: signedHeaders(DEMO_FIXMEDINS_CODE, undefined, Math.floor(Date.now() / 1000) - 3_600) });
    const accepted = await post(test, body, { apiKey: null, headers: good });
    const replayed = await post(test, body, { apiKey: null, headers: good });
    const partial = await post(test, body, { apiKey: null, headers: { 'x-tif-paasid': DEMO_FIXMEDINS_CODE } });

    // Assess
    expect(unsigned.body).toMatchObject({ infcode: -1 });
    expect(unsigned.body.err_msg).toContain('未认证');
    expect(wrong.body.err_msg).toContain('x-tif-signature');
    expect(stale.body.err_msg).toContain('x-tif-timestamp');
    expect(accepted.body.infcode).toBe(0);
    expect(replayed.body.err_msg).toContain('x-tif-nonce');
    expect(partial.body.err_msg).toContain('x-tif-timestamp');
  });

  it("another hospital's fixmedins_code is refused, with a key or a signature, and writes nothing", async () => {
    // Prepare
    const body = envelope('2401', admission(), { fixmedins_code: OTHER_FIXMEDINS_CODE });

    // Act
    const withKey = await post(test, body, { apiKey: test.keys[`hospital:${DEMO_FIXMEDINS_CODE}`] });
    const signed = await post(test, body, { apiKey: null, headers: signedHeaders(DEMO_FIXMEDINS_CODE) });

    // Assess
    for (const answer of [withKey, signed]) {
      expect(answer.body.infcode).toBe(-1);
      expect(answer.body.err_msg).toContain('fixmedins_code');
    }
    expect(await test.stack.stores.national.getMessage(OTHER_FIXMEDINS_CODE, String(body['msgid']))).toBeUndefined();
    expect(settlementKey(DEMO_FIXMEDINS_CODE, 'x')).toContain(DEMO_FIXMEDINS_CODE);
  });
});

describe('9002 sign-out', () => {
  it('answers signoutoutb with its time; a sign_no longer than the interface allows is refused naming the field', async () => {
    // Prepare
    const signIn = await ok(test, '9001', { signIn: { opter_no: 'C001', mac: '', ip: '' } });
    // Act
    const signOut = await ok(test, '9002', { signOut: { sign_no: signIn['signinoutb'].sign_no, opter_no: 'C001' } });
    const tooLong = await refused(test, '9002', { signOut: { sign_no: 'Q'.repeat(31), opter_no: 'C001' } });
    // Assess
    expect(signOut).toEqual({ signoutoutb: { sign_time: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/) } });
    expect(tooLong).toContain('input.signOut.sign_no');
  });
});
