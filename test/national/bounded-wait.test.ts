/**
 * 2304 past its bounded wait: the pipeline has not settled yet, so the answer says it is in progress;
 * a resend with the same msgid returns the settlement once it is done, and there is only ever one.
 * And the outpatient steps (2201 → 2204 → 2206 → 2207 → 2208) on the same engine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ADULT, DEMO_FIXMEDINS_CODE } from '../../local/national/demo.js';
import { waitFor } from '../../local/stack.js';
import { type TestStack, scanItems } from '../pipeline/helpers.js';
import { STAY_LINES, admission, dayTime, dischargeOf, envelope, feeDetail, settleData, stayTotal } from './factories.js';
import { SIGNING_SECRET, ok, post, startNationalStack } from './helpers.js';

let test: TestStack;

beforeAll(async () => {
  test = await startNationalStack({ poll: false, national: { signingSecret: SIGNING_SECRET, settleWaitMs: 300 } });
}, 120_000);

afterAll(async () => {
  await test?.stack.stop();
});

describe('2304 past the bounded wait', () => {
  it('answers in progress, then the settlement to a resend of the same msgid, settled once', async () => {
    // Prepare
    const lines = STAY_LINES.slice(0, 6);
    const mdtrtId = (await ok(test, '2401', admission()))['result'].mdtrt_id as string;
    await ok(test, '2301', { feedetail: feeDetail(mdtrtId, DEMO_ADULT, lines) });
    await ok(test, '2402', dischargeOf(mdtrtId));
    const settle = envelope('2304', settleData(mdtrtId, stayTotal(lines)));

    // Act
    const first = await post(test, settle);
    const early = await post(test, settle);
    test.stack.startPolling();
    await waitFor(async () => (await test.stack.stores.settlements.getSettlement(DEMO_FIXMEDINS_CODE, mdtrtId)) !== undefined, 30_000);
    const done = await post(test, settle);
    const again = await post(test, settle);
    const other = await post(test, envelope('2304', settleData(mdtrtId, stayTotal(lines))));

    // Assess
    expect(first.body.infcode).toBe(-1);
    expect(first.body.err_msg).toContain('处理中');
    expect(early.body.err_msg).toContain('处理中');
    expect(done.body.infcode).toBe(0);
    expect(done.body.output['setlinfo'].medins_setl_id).toBe(settle['msgid']);
    expect(again.body.output).toEqual(done.body.output);
    expect(other.body.err_msg).toContain('已结算');
    const settlements = (await scanItems(test.stack, 'C#')).filter((item) => JSON.stringify(item).includes(encodeURIComponent(mdtrtId)));
    expect(settlements).toHaveLength(1);
  }, 60_000);
});

describe('outpatient', () => {
  it('2201 → 2204 → 2206 → 2207 → 2208 answer a general outpatient visit as the engine settles it (晋中 pays it only at primary care)', async () => {
    // Prepare
    const lines = STAY_LINES.slice(3, 4);
    const registration = admission({ med_type: '11', begntime: dayTime(-2) });
    const mdtrtId = (await ok(test, '2201', registration))['result'].mdtrt_id as string;
    const feedetail = feeDetail(mdtrtId, DEMO_ADULT, lines).map((line) => ({ ...line, med_type: '11', fee_ocur_time: dayTime(-2, 10) }));
    await ok(test, '2204', { feedetail });

    // Act
    const pre = await ok(test, '2206', settleData(mdtrtId, stayTotal(lines)));
    const settled = await ok(test, '2207', settleData(mdtrtId, stayTotal(lines)));
    const cancelled = await post(test, envelope('2208', { data: { mdtrt_id: mdtrtId, setl_id: settled['setlinfo'].setl_id, psn_no: DEMO_ADULT } }));

    // Assess: a class-1 city hospital is not primary care, so the visit is refused by the policy, and the
    // record says so with every required field: the whole bill full own pay, no fund paying.
    expect(pre['setlinfo']).toMatchObject({ med_type: '11', clr_type: '11', fund_pay_sumamt: 0, fulamt_ownpay_amt: stayTotal(lines) });
    expect(settled['setlinfo']).toMatchObject({ med_type: '11', fund_pay_sumamt: 0, psn_part_amt: stayTotal(lines) });
    expect(cancelled.body.infcode).toBe(-1);
    expect(cancelled.body.err_msg).toContain('input.data.setl_id');
  }, 60_000);
});
