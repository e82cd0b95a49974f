/**
 * The national gateway's settlement transactions: 2303 pre-settlement (the engine on the stored
 * totals, nothing written), 2304 settlement through the SQS pipeline exactly once with a bounded wait,
 * 2305 its cancellation through the pipeline's reversal, 2601 冲正 of an earlier message; the
 * outpatient 2206 / 2207 / 2208.
 */
import { createHash } from 'node:crypto';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { parseClaim } from '../../shared/contract/claim.js';
import { InvalidClaimError } from '../../shared/contract/errors.js';
import { settle } from '../../shared/engine/settle.js';
import { formatMoney } from '../../shared/money/money.js';
import type { RegistryHospital, RegistryMember } from '../../shared/registry/registry.js';
import type { Catalogue } from '../../shared/national/catalogue.js';
import { NationalRequestError, chinaDateTime, parseWith } from '../../shared/national/envelope.js';
import * as inputs from '../../shared/national/inputs.js';
import { settlementIdOf } from '../../shared/national/setlinfo.js';
import { settlementFromJson } from '../../shared/national/stored.js';
import { claimIdOfAttempt } from '../../shared/national/answers.js';
import { type VisitState, cancelAdmission, cancelDischarge, cancelFees, cancelFeesOfUpload, checkVisit, claimOfVisit, currentSettlement, visitTotal } from '../../shared/national/visit.js';
import { ReversalError } from '../lib/errors.js';
import { reverseSettlement } from '../lib/reversal.js';
import { claimFailureKey, settlementKey } from '../storage/keys.js';
import type { MessageRecord } from '../storage/visits.js';
import { type Call, type GatewayContext, digestOf, fail, pause } from './context.js';

const POLL_MS = 40;

/** The settlement transactions over the shared context. */
export function settleTransactions(g: GatewayContext) {
  const { deps, stores, national, book, logger, now, waitMs, member, hospital, catalogueFor, changeVisit, once, recordOf, outputOf } = g;
  const fifo = deps.queueUrl.endsWith('.fifo');

  /** The claim of a visit's settlement attempt, checked against the contract. */
  const claimOf = (visit: VisitState, claimId: string, m: RegistryMember, h: RegistryHospital, catalogue: Catalogue, submittedOn: string) => {
    try {
      return parseClaim(claimOfVisit(visit, claimId, m, h, catalogue, submittedOn));
    } catch (cause) {
      if (cause instanceof InvalidClaimError) {
        const issue = cause.issues[0]!;
        throw new NationalRequestError('input.data.mdtrt_id', `就诊信息不能构成有效结算：${issue.path} ${issue.message}`, { cause });
      }
      throw cause;
    }
  };

  const checkSumamt = (visit: VisitState, stated: number) => {
    const total = visitTotal(visit);
    if (stated !== total) fail('input.data.medfee_sumamt', `与已上传费用明细合计${formatMoney(total)}不符（${formatMoney(stated as never)}）`);
  };

  const visitForSettlement = async (call: Call, data: { mdtrt_id: string; psn_no: string }, family: 'inpatient' | 'outpatient'): Promise<VisitState> => {
    const visit = checkVisit((await national.getVisit(call.hospitalId, data.mdtrt_id))?.visit, data.mdtrt_id, data.psn_no, 'input.data');
    if (family === 'inpatient' && visit.visitType !== 'inpatient') fail('input.data.mdtrt_id', '门诊就诊请使用门诊结算（2206/2207）');
    if (family === 'outpatient' && visit.visitType === 'inpatient') fail('input.data.mdtrt_id', '住院就诊请使用住院结算（2303/2304）');
    return visit;
  };

  const presettle = async (call: Call, family: 'inpatient' | 'outpatient'): Promise<Record<string, unknown>> => {
    const { data } = parseWith(inputs.settleInput, call.env.input, 'input');
    // One round of reads in parallel: the visit, the registry's member and hospital, the catalogue header.
    const [visit, m, h, header] = await Promise.all([visitForSettlement(call, data, family), member(data.psn_no, 'input.data.psn_no'), hospital(call.hospitalId), catalogueFor([])]);
    const current = currentSettlement(visit);
    if (current) fail('input.data.mdtrt_id', `该就诊已结算（setl_id ${current.setlId}）`);
    checkSumamt(visit, data.medfee_sumamt);
    const claimId = claimIdOfAttempt(visit.mdtrtId, visit.settlements.length + 1);
    const claim = claimOf(visit, claimId, m, h, header, chinaDateTime(now()).slice(0, 10));
    const totals = await stores.settlements.getTotals(m.id, Number(claim.visit.dischargedOn.slice(0, 4)));
    // The same engine on the member's current stored totals; nothing is written.
    const settlement = settle({ ...claim, yearToDate: totals.totals }, book);
    return outputOf(recordOf(settlement, visit, claimId, call.env.msgid, m));
  };

  const sendClaim = async (claim: ReturnType<typeof parseClaim>, body: string) => {
    await deps.sqs.send(
      new SendMessageCommand({
        QueueUrl: deps.queueUrl,
        MessageBody: body,
        MessageAttributes: { hospitalId: { DataType: 'String', StringValue: claim.hospital.id }, claimId: { DataType: 'String', StringValue: claim.claimId } },
        ...(fifo
          ? {
              MessageGroupId: /^[\x21-\x7e]{1,128}$/.test(claim.member.id) ? claim.member.id : createHash('sha256').update(claim.member.id).digest('hex'),
              MessageDeduplicationId: createHash('sha256').update(settlementKey(claim.hospital.id, claim.claimId)).digest('hex'),
            }
          : {}),
      }),
    );
  };

  /** Waits up to the bounded wait for the pipeline's settlement of a claim. */
  const awaitSettlement = async (hospitalId: string, claimId: string) => {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const stored = await stores.settlements.getSettlement(hospitalId, claimId);
      if (stored) return stored;
      const failure = await stores.failures.get(claimFailureKey(hospitalId, claimId));
      if (failure) fail('input.data.mdtrt_id', `结算失败：${failure.code} ${failure.message}`);
      if (Date.now() >= deadline) return undefined;
      await pause(POLL_MS);
    }
  };

  const IN_PROGRESS = '结算处理中（settlement in progress）：请稍后以同一 msgid 重发本交易获取结果，不会重复结算';

  const settleVisit = async (call: Call, family: 'inpatient' | 'outpatient'): Promise<Record<string, unknown>> => {
    const { env } = call;
    const { data } = parseWith(inputs.settleInput, env.input, 'input');
    const at = now().toISOString();
    const record: MessageRecord = { infno: env.infno, digest: digestOf(env), state: 'pending', at };
    const found = await national.claimMessage(call.hospitalId, env.msgid, record);
    let claimId: string;
    let visit: VisitState;
    const m = await member(data.psn_no, 'input.data.psn_no');
    if (found) {
      if (found.infno !== env.infno || found.digest !== record.digest) fail('msgid', `报文ID已用于另一笔交易（${found.infno}），请使用新的 msgid`);
      if (found.state === 'done' && found.output) return found.output;
      if (found.state === 'reversed') fail('msgid', '该结算已冲正（2601）');
      if (found.state !== 'settling' || !found.claimId) fail('msgid', '该报文正在处理，请稍后以同一 msgid 重发');
      claimId = found.claimId!;
      visit = (await national.getVisit(call.hospitalId, data.mdtrt_id))!.visit;
      // A resend of a settlement still in the pipeline: sent again, which the claim key makes harmless.
      if (!(await stores.settlements.getSettlement(call.hospitalId, claimId))) {
        const [h, catalogue] = await Promise.all([hospital(call.hospitalId), catalogueFor([])]);
        const submittedOn = chinaDateTime(new Date(found.at)).slice(0, 10);
        await sendClaim(claimOf(visit, claimId, m, h, catalogue, submittedOn), JSON.stringify(claimOfVisit(visit, claimId, m, h, catalogue, submittedOn)));
      }
    } else {
      try {
        const h = await hospital(call.hospitalId);
        const catalogue = await catalogueFor([]);
        const submittedOn = chinaDateTime(now()).slice(0, 10);
        let input: ReturnType<typeof claimOfVisit> | undefined;
        let claim: ReturnType<typeof parseClaim> | undefined;
        visit = await changeVisit(call, data.mdtrt_id, data.psn_no, 'input.data', (v) => {
          if (family === 'inpatient' && v.visitType !== 'inpatient') fail('input.data.mdtrt_id', '门诊就诊请使用门诊结算（2207）');
          if (family === 'outpatient' && v.visitType === 'inpatient') fail('input.data.mdtrt_id', '住院就诊请使用住院结算（2304）');
          const current = currentSettlement(v);
          if (current) fail('input.data.mdtrt_id', `该就诊已结算（setl_id ${current.setlId}），如需重新结算请先撤销（2305）`);
          checkSumamt(v, data.medfee_sumamt);
          const id = claimIdOfAttempt(v.mdtrtId, v.settlements.length + 1);
          input = claimOfVisit(v, id, m, h, catalogue, submittedOn);
          claim = claimOf(v, id, m, h, catalogue, submittedOn);
          return { ...v, settlements: [...v.settlements, { claimId: id, setlId: settlementIdOf(v.hospitalId, id), msgid: env.msgid, at }] };
        });
        claimId = claim!.claimId;
        await national.putMessage(call.hospitalId, env.msgid, { ...record, state: 'settling', mdtrtId: visit.mdtrtId, claimId });
        await sendClaim(claim!, JSON.stringify(input));
        logger.info('national settlement queued', { key: settlementKey(call.hospitalId, claimId), infno: env.infno });
      } catch (error) {
        await national.putMessage(call.hospitalId, env.msgid, { state: 'released', at });
        throw error;
      }
    }
    const stored = await awaitSettlement(call.hospitalId, claimId);
    if (!stored) return fail('', IN_PROGRESS);
    const output = outputOf(recordOf(settlementFromJson(stored.settlement), visit, claimId, env.msgid, m, stored.settledAt));
    await national.putMessage(call.hospitalId, env.msgid, { ...record, state: 'done', output, mdtrtId: visit.mdtrtId, claimId });
    return output;
  };

  /** Reverses a visit's settlement attempt through the pipeline's reversal, and marks the visit. */
  const reverseAttempt = async (call: Call, visit: VisitState, claimId: string, m: RegistryMember): Promise<Record<string, unknown>> => {
    const stored = await stores.settlements.getSettlement(call.hospitalId, claimId);
    if (!stored) fail('input.data.setl_id', '原结算尚未完成，请稍后重试（the settlement is still in progress）');
    try {
      await reverseSettlement(stores.settlements, logger, call.hospitalId, claimId);
    } catch (cause) {
      if (cause instanceof ReversalError) {
        const reason = cause.code === 'ALREADY_REVERSED' ? '该结算已撤销' : cause.code === 'NOT_REVERSIBLE' ? '该结算未支付任何基金，无需撤销' : '结算记录不存在';
        throw new NationalRequestError('input.data.setl_id', reason, { cause });
      }
      throw cause;
    }
    await changeVisit(call, visit.mdtrtId, visit.psnNo, 'input.data', (v) => ({ ...v, reversed: [...new Set([...v.reversed, claimId])] }));
    // The cancellation as the interface answers it: the settlement's record with its amounts negated.
    const record = recordOf(settlementFromJson(stored!.settlement), visit, claimId, call.env.msgid, m, stored!.settledAt);
    return { setlinfo: negated({ ...record.setlinfo, setl_id: settlementIdOf(call.hospitalId, `${claimId}#2305`) }), setldetail: record.setldetail.map((row) => negated(row)) };
  };

  const cancelSettlement = async (call: Call): Promise<Record<string, unknown>> => {
    const { data } = parseWith(inputs.settleCancelInput, call.env.input, 'input');
    return once(call, async () => {
      const visit = checkVisit((await national.getVisit(call.hospitalId, data.mdtrt_id))?.visit, data.mdtrt_id, data.psn_no, 'input.data');
      const attempt = visit.settlements.find((s) => s.setlId === data.setl_id) ?? fail('input.data.setl_id', `结算ID ${data.setl_id} 不属于该就诊`);
      if (visit.reversed.includes(attempt.claimId)) fail('input.data.setl_id', '该结算已撤销');
      const m = await member(visit.psnNo, 'input.data.psn_no');
      const output = await reverseAttempt(call, visit, attempt.claimId, m);
      await markReversed(call, attempt.msgid);
      return { output, mdtrtId: visit.mdtrtId, claimId: attempt.claimId };
    });
  };

  const markReversed = async (call: Call, msgid: string) => {
    const original = await national.getMessage(call.hospitalId, msgid);
    if (original) await national.putMessage(call.hospitalId, msgid, { ...original, state: 'reversed' });
  };

  /** 2601 冲正: the transaction of `omsgid` undone by what it did. */
  const reversal = async (call: Call) => {
    const { data } = parseWith(inputs.reversalInput, call.env.input, 'input');
    return once(call, async () => {
      const original = (await national.getMessage(call.hospitalId, data.omsgid)) ?? fail('input.data.omsgid', `原交易报文${data.omsgid}不存在`);
      if (original.infno !== data.oinfno) fail('input.data.oinfno', `原交易为${original.infno}，不是${data.oinfno}`);
      if (original.state === 'reversed') fail('input.data.omsgid', '原交易已冲正');
      if (original.state !== 'done' && original.state !== 'settling') fail('input.data.omsgid', '原交易未成功，无需冲正');
      const mdtrtId = original.mdtrtId ?? fail('input.data.oinfno', `不支持冲正${data.oinfno}交易`);
      let output: Record<string, unknown> = {};
      switch (data.oinfno) {
        case '2401':
        case '2201':
          await changeVisit(call, mdtrtId, data.psn_no, 'input.data', (v) => cancelAdmission(cancelFees(v, '0000')));
          break;
        case '2301':
        case '2204':
          await changeVisit(call, mdtrtId, data.psn_no, 'input.data', (v) => cancelFeesOfUpload(v, data.omsgid));
          break;
        case '2402':
          await changeVisit(call, mdtrtId, data.psn_no, 'input.data', cancelDischarge);
          break;
        case '2304':
        case '2207': {
          const visit = (await national.getVisit(call.hospitalId, mdtrtId))!.visit;
          output = await reverseAttempt(call, visit, original.claimId!, await member(visit.psnNo, 'input.data.psn_no'));
          break;
        }
        default:
          fail('input.data.oinfno', `不支持冲正${data.oinfno}交易`);
      }
      await markReversed(call, data.omsgid);
      return { output, mdtrtId };
    });
  };

  return { presettle, settleVisit, cancelSettlement, reversal };
}

/** Every amount of a record negated (a cancellation's record): numbers of two decimals, ratios kept. */
function negated<T extends object>(record: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) out[key] = typeof value === 'number' && key !== 'pool_prop_selfpay' && key !== 'age' && value !== 0 ? -value : value;
  return out as T;
}
