/**
 * The national gateway (国家医疗保障信息平台 定点医药机构接口): `POST /fsi/api/rsfComIfsService/callService`
 * (and with `/{infno}` appended). A HIS that speaks the national interface points its base URL here and
 * changes nothing else. Each transaction reads and writes through the stores and settles through the
 * same SQS pipeline and engine as `POST /claims`; the pure parts live in shared/national/.
 *
 * Every answer is an envelope, HTTP 200: `infcode` 0 with `output`, or −1 with an `err_msg` in Chinese
 * naming the field. The caller is the hospital of its API key or of its request signature
 * (signing.ts), and `fixmedins_code` must be that hospital.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import { type SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { parseClaim } from '../../shared/contract/claim.js';
import { InvalidClaimError } from '../../shared/contract/errors.js';
import { settle } from '../../shared/engine/settle.js';
import type { Settlement } from '../../shared/engine/settlement.js';
import { formatMoney } from '../../shared/money/money.js';
import type { PolicyBook } from '../../shared/policy/book.js';
import type { RegistryHospital, RegistryMember } from '../../shared/registry/registry.js';
import { Catalogue } from '../../shared/national/catalogue.js';
import { type Answer, type Envelope, NationalRequestError, answer, chinaDateTime, errMsgOf, parseWith, readEnvelope, stamp } from '../../shared/national/envelope.js';
import * as inputs from '../../shared/national/inputs.js';
import { nationalJson } from '../../shared/national/fields.js';
import { type NhsaSettlementRecord, settlementIdOf, toNationalRecord } from '../../shared/national/setlinfo.js';
import { validateNationalRecord } from '../../shared/national/validate.js';
import { settlementFromJson } from '../../shared/national/stored.js';
import {
  claimIdOfAttempt,
  cumulativeOutput,
  divisionCode,
  factsOfVisit,
  personOf,
  personQueryOutput,
  reconcileTotals,
  totalsReconcileOutput,
} from '../../shared/national/answers.js';
import {
  type VisitState,
  admit,
  cancelAdmission,
  cancelDischarge,
  cancelFees,
  cancelFeesOfUpload,
  checkVisit,
  claimOfVisit,
  currentSettlement,
  discharge,
  feeResultOf,
  uploadFees,
  visitTotal,
} from '../../shared/national/visit.js';
import { basicCapRoom } from '../../shared/province/exports/nhsa.js';
import { ReversalError, VersionConflictError } from '../lib/errors.js';
import { maskIdNumber, maskName } from '../lib/mask.js';
import { reverseSettlement } from '../lib/reversal.js';
import { claimFailureKey, settlementKey } from '../storage/keys.js';
import type { Stores } from '../storage/stores.js';
import type { MessageRecord } from '../storage/visits.js';
import { type AuthorizerContext, SIGNED_SCHEME, authorizerContextOf, checkSignedRequest } from './signing.js';

export interface GatewayDeps {
  readonly stores: Stores;
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly logger: Logger;
  readonly book: PolicyBook;
  /** How long a 2304 waits for the pipeline before answering "in progress" (default 5 s). */
  readonly settleWaitMs?: number;
  /** The secret institution tokens derive from (signing.ts); absent: the key store's (KeyStore.signingSecret), and none there refuses signed requests. */
  readonly signingSecret?: string;
  readonly now?: () => Date;
}

export type GatewayHandler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;

/** The transactions answered, by infno; docs/national-interface.md says what each does. */
export const NATIONAL_TRANSACTIONS = [
  '9001', '1101', '2401', '2404', '2301', '2302', '2402', '2405', '2303', '2304', '2305', '2601', '5206', '3201', '3202', '9101',
  '2201', '2202', '2203', '2204', '2205', '2206', '2207', '2208',
] as const;

/** A request as the transactions see it. */
interface Call {
  readonly env: Envelope;
  readonly hospitalId: string;
  readonly received: Date;
}

const DEFAULT_SETTLE_WAIT_MS = 5_000;
const POLL_MS = 40;
const VISIT_ATTEMPTS = 6;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const fail = (field: string, reason: string): never => {
  throw new NationalRequestError(field, reason);
};

/** An id the interface issues: a letter, China time to the second, random digits; 30 characters. */
function issueId(prefix: string, at: Date): string {
  const digits = [...randomBytes(16)].map((b) => String(b % 10)).join('');
  return `${prefix}${stamp(at).slice(0, 14)}${digits}`.slice(0, 30);
}

const digestOf = (env: Envelope): string => createHash('sha256').update(`${env.infno}\u0000${JSON.stringify(env.input)}`).digest('hex');

/** Builds the gateway handler. */
export function createGateway(deps: GatewayDeps): GatewayHandler {
  const { stores, logger, book } = deps;
  const national = stores.national;
  const now = deps.now ?? (() => new Date());
  const waitMs = deps.settleWaitMs ?? DEFAULT_SETTLE_WAIT_MS;
  const fifo = deps.queueUrl.endsWith('.fifo');

  const reply = (result: Answer): APIGatewayProxyStructuredResultV2 => ({
    statusCode: 200,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: nationalJson(result),
  });

  /** The gateway secret: the one given (tests), else the key store's, where the authorizer reads it too. */
  const signingSecret = async (): Promise<string | undefined> => deps.signingSecret ?? (await stores.keys.signingSecret());

  /**
   * The hospital a request is authenticated as, or the Chinese reason it is not. Behind the deployed
   * API's authorizer a signed request was checked there, its nonce used up: the authorizer's verdict
   * (`requestContext.authorizer`, set only by API Gateway) is taken. Elsewhere the gateway checks the
   * signature itself, with the same code (signing.ts).
   */
  const authenticate = async (headers: Record<string, string | undefined>, authorized: AuthorizerContext | undefined): Promise<{ hospitalId: string } | { refused: string }> => {
    if (authorized?.scheme === SIGNED_SCHEME && authorized.role === 'hospital' && authorized.callerId) return { hospitalId: authorized.callerId };
    const signed = await checkSignedRequest(headers, { secret: signingSecret, useNonce: (paasId, nonce, seconds) => stores.keys.useNonce(paasId, nonce, seconds), nowSeconds: Math.floor(now().getTime() / 1000) });
    if (signed) return signed;
    const direct = headers['x-api-key'] ?? headers['authorization']?.match(/^Bearer\s+(\S+)$/i)?.[1];
    if (!direct) return { refused: '未认证：请提供 x-api-key 或 x-tif 签名请求头（no credentials）' };
    const caller = await stores.keys.getCaller(direct);
    if (!caller) return { refused: '认证失败：未知的 API key（unknown API key）' };
    if (caller.role !== 'hospital') return { refused: '该 API key 不属于定点医药机构（not a hospital key）' };
    return { hospitalId: caller.id };
  };

  const member = async (psnNo: string, field: string): Promise<RegistryMember> =>
    (await stores.registry.getMember(psnNo)) ?? fail(field, `人员编号${psnNo}在参保登记中不存在`);
  const hospital = async (id: string): Promise<RegistryHospital> => (await stores.registry.getHospital(id)) ?? fail('fixmedins_code', `定点医药机构${id}未在经办机构登记`);

  /** The person fields of a member, names and ID numbers masked before they leave. */
  const personOfMember = (m: RegistryMember, day: string) =>
    personOf(m, day, { name: m.name === undefined ? undefined : maskName(m.name), certno: m.idNumber === undefined ? undefined : maskIdNumber(m.idNumber) }, m.idNumber);

  const catalogueFor = async (codes: readonly string[]): Promise<Catalogue> => {
    const header = await national.catalogueHeader();
    if (!header) fail('', '经办机构未加载医保目录（no catalogue is loaded）');
    const entries = await national.catalogueEntries(codes);
    return new Catalogue({ ...header!, items: [...entries.values()] });
  };

  /** Reads a visit, applies a pure change and writes it under its version, retried when another call won. */
  const changeVisit = async (call: Call, mdtrtId: string, psnNo: string | null | undefined, field: string, change: (visit: VisitState) => VisitState | Promise<VisitState>): Promise<VisitState> => {
    for (let attempt = 1; attempt <= VISIT_ATTEMPTS; attempt++) {
      const found = await national.getVisit(call.hospitalId, mdtrtId);
      const visit = checkVisit(found?.visit, mdtrtId, psnNo, field);
      const next = await change(visit);
      if (await national.putVisit(next, found!.version)) return next;
      await pause(5 * attempt);
    }
    throw new VersionConflictError(`visit ${mdtrtId}`, VISIT_ATTEMPTS);
  };

  /**
   * A write transaction, answered once per msgid: a resend with the same msgid and input gets the
   * first answer; the same msgid with another input is refused.
   */
  const once = async (call: Call, work: () => Promise<{ output: Record<string, unknown>; mdtrtId?: string; claimId?: string }>): Promise<Record<string, unknown>> => {
    const { env } = call;
    const at = now().toISOString();
    const record: MessageRecord = { infno: env.infno, digest: digestOf(env), state: 'pending', at };
    const found = await national.claimMessage(call.hospitalId, env.msgid, record);
    if (found) {
      if (found.infno !== env.infno || found.digest !== record.digest) fail('msgid', `报文ID已用于另一笔交易（${found.infno}），请使用新的 msgid`);
      if (found.state === 'done' && found.output) return found.output;
      if (found.state === 'reversed') fail('msgid', '该报文对应的交易已冲正（2601）');
      fail('msgid', '该报文正在处理，请稍后以同一 msgid 重发');
    }
    try {
      const done = await work();
      await national.putMessage(call.hospitalId, env.msgid, { ...record, state: 'done', output: done.output, ...(done.mdtrtId ? { mdtrtId: done.mdtrtId } : {}), ...(done.claimId ? { claimId: done.claimId } : {}) });
      return done.output;
    } catch (error) {
      // Nothing was done: the msgid may be sent again once the cause is fixed.
      await national.putMessage(call.hospitalId, env.msgid, { state: 'released', at });
      throw error;
    }
  };

  // ---- settlement ------------------------------------------------------------------------------

  const recordOf = (settlement: Settlement, visit: VisitState, claimId: string, msgid: string, m: RegistryMember, settledAt?: string): NhsaSettlementRecord => {
    const record = toNationalRecord(
      settlement,
      factsOfVisit(visit, claimId, msgid, personOfMember(m, visit.admittedOn), { settledAt, basicCapRoom: basicCapRoom(settlement, book), clrOptins: divisionCode(m.poolingArea) }),
    );
    const issues = validateNationalRecord(record);
    if (issues.length > 0) throw new Error(`national record of ${claimId} does not validate: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`);
    return record;
  };

  const outputOf = (record: NhsaSettlementRecord): Record<string, unknown> => ({ setlinfo: record.setlinfo, setldetail: record.setldetail });

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

  // ---- the transactions ------------------------------------------------------------------------

  const admission = (family: 'inpatient' | 'outpatient') => async (call: Call) => {
    const { mdtrtinfo, diseinfo } = parseWith(inputs.admissionInput, call.env.input, 'input');
    return once(call, async () => {
      await member(mdtrtinfo.psn_no, 'input.mdtrtinfo.psn_no');
      await hospital(call.hospitalId);
      const mdtrtId = issueId(family === 'inpatient' ? 'Z' : 'M', call.received);
      const visit = admit({ mdtrtId, hospitalId: call.hospitalId, msgid: call.env.msgid, family, info: mdtrtinfo, diagnoses: diseinfo });
      if (!(await national.putVisit(visit, 0))) throw new VersionConflictError(`visit ${mdtrtId}`, 1);
      return { output: { result: { mdtrt_id: mdtrtId, psn_no: mdtrtinfo.psn_no, ipt_otp_no: mdtrtinfo.ipt_no ?? null } }, mdtrtId };
    });
  };

  /** A transaction that names a visit (`data.mdtrt_id`, `data.psn_no`) and moves it on by one transition. */
  const visitTransition = (transition: (visit: VisitState) => VisitState) => async (call: Call) => {
    const { data } = parseWith(inputs.visitRefInput, call.env.input, 'input');
    return once(call, async () => {
      await changeVisit(call, data.mdtrt_id, data.psn_no, 'input.data', transition);
      return { output: {}, mdtrtId: data.mdtrt_id };
    });
  };

  const cancelVisit = visitTransition(cancelAdmission);

  const uploadFeeLines = async (call: Call) => {
    const { feedetail } = parseWith(inputs.feeUploadInput, call.env.input, 'input');
    const mdtrtId = feedetail[0]!.mdtrt_id;
    return once(call, async () => {
      const catalogue = await catalogueFor(feedetail.map((line) => line.med_list_codg));
      let added: ReturnType<typeof uploadFees>['added'] = [];
      await changeVisit(call, mdtrtId, feedetail[0]!.psn_no, 'input.feedetail.0', async (visit) => {
        const m = await member(visit.psnNo, 'input.feedetail.0.psn_no');
        const policy = book.inForce(m.region, visit.admittedOn)?.policy;
        const done = uploadFees(visit, feedetail, call.env.msgid, catalogue, policy);
        added = done.added;
        return done.visit;
      });
      return { output: { result: added.map(feeResultOf) }, mdtrtId };
    });
  };

  const cancelFeeLines = async (call: Call) => {
    const { data } = parseWith(inputs.feeCancelInput, call.env.input, 'input');
    return once(call, async () => {
      await changeVisit(call, data.mdtrt_id, data.psn_no, 'input.data', (visit) => cancelFees(visit, data.feedetl_sn));
      return { output: {}, mdtrtId: data.mdtrt_id };
    });
  };

  const dischargeVisit = async (call: Call) => {
    const { dscginfo, diseinfo } = parseWith(inputs.dischargeInput, call.env.input, 'input');
    return once(call, async () => {
      await changeVisit(call, dscginfo.mdtrt_id, dscginfo.psn_no, 'input.dscginfo', (visit) => discharge(visit, dscginfo, diseinfo, call.env.msgid));
      return { output: {}, mdtrtId: dscginfo.mdtrt_id };
    });
  };

  /** 2203 门诊就诊信息上传: the diagnosis of an outpatient visit (the serious-disease list reads it). */
  const outpatientInfo = async (call: Call) => {
    const input = call.env.input as { mdtrtinfo?: { mdtrt_id?: unknown; psn_no?: unknown; dise_codg?: unknown }; diseinfo?: { diag_code?: unknown }[] };
    const mdtrtId = typeof input.mdtrtinfo?.mdtrt_id === 'string' ? input.mdtrtinfo.mdtrt_id : fail('input.mdtrtinfo.mdtrt_id', '不能为空（is required）');
    return once(call, async () => {
      const code = typeof input.mdtrtinfo?.dise_codg === 'string' ? input.mdtrtinfo.dise_codg : typeof input.diseinfo?.[0]?.diag_code === 'string' ? input.diseinfo[0].diag_code : null;
      await changeVisit(call, mdtrtId, typeof input.mdtrtinfo?.psn_no === 'string' ? input.mdtrtinfo.psn_no : null, 'input.mdtrtinfo', (visit) => ({ ...visit, diagnosis: code ?? visit.diagnosis }));
      return { output: {}, mdtrtId };
    });
  };

  const undoDischarge = visitTransition(cancelDischarge);

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

  const signIn = async (call: Call) => {
    parseWith(inputs.signInInput, call.env.input, 'input');
    return { signinoutb: { sign_time: chinaDateTime(call.received), sign_no: issueId('Q', call.received) } };
  };

  const personQuery = async (call: Call) => {
    const { data } = parseWith(inputs.personQueryInput, call.env.input, 'input');
    // The registry is keyed by person number: a HIS reads it from the e-voucher (01) or social security card (03).
    const psnNo = data.psn_no ?? (data.mdtrt_cert_type === '02' ? fail('input.data.psn_no', '以身份证（02）查询时请同时提供人员编号 psn_no（the registry is keyed by person number）') : data.mdtrt_cert_no);
    const m = await member(psnNo, data.psn_no ? 'input.data.psn_no' : 'input.data.mdtrt_cert_no');
    const day = (data.begntime ?? chinaDateTime(call.received)).slice(0, 10);
    return personQueryOutput(m, personOfMember(m, day), day, call.env.insuplc_admdvs ?? undefined);
  };

  const cumulative = async (call: Call) => {
    const { data } = parseWith(inputs.cumulativeInput, call.env.input, 'input');
    const m = await member(data.psn_no, 'input.data.psn_no');
    const year = Number((data.cum_ym ?? chinaDateTime(call.received).slice(0, 4)).slice(0, 4));
    const totals = await stores.settlements.getTotals(m.id, year);
    return cumulativeOutput(totals.totals, year, data.cum_ym ?? null);
  };

  const reconcileTotalsCall = async (call: Call) => {
    const { data } = parseWith(inputs.totalsReconcileInput, call.env.input, 'input');
    if (data.stmt_enddate < data.stmt_begndate) fail('input.data.stmt_enddate', '对账结束日期早于开始日期');
    const rows = [];
    for await (const stored of stores.settlements.hospitalDischarges(call.hospitalId, data.stmt_begndate, data.stmt_enddate)) {
      rows.push({ settlement: settlementFromJson(stored.settlement), status: stored.status });
    }
    const ours = reconcileTotals(rows, data.clr_type);
    return totalsReconcileOutput(ours, { count: data.fixmedins_setl_cnt, medfee: data.medfee_sumamt, fund: data.fund_pay_sumamt }, data.setl_optins ?? null);
  };

  /** 9101: a file kept for a later transaction (the 3202 detail rows); answers its file_qury_no. */
  const uploadFile = async (call: Call) => {
    const { fsUploadIn } = parseWith(inputs.fileUploadInput, call.env.input, 'input');
    const fileQueryNo = issueId('F', call.received);
    await national.putFile(call.hospitalId, fileQueryNo, fsUploadIn.filename, fsUploadIn.in);
    return { file_qury_no: fileQueryNo, filename: fsUploadIn.filename, dld_endtime: null };
  };

  /**
   * 3202: the detail rows of the period (from a 9101 file: one `setl_id,mdtrt_id,psn_no,medfee_sumamt,fund_pay_sumamt`
   * line per settlement, tab- or comma-separated) against ours, settlement by settlement.
   */
  const reconcileDetail = async (call: Call) => {
    const { data } = parseWith(inputs.detailReconcileInput, call.env.input, 'input');
    const fileNo = data.file_qury_no ?? fail('input.data.file_qury_no', '请先以9101上传明细文件（upload the detail file with 9101 first）');
    const file = (await national.getFile(call.hospitalId, fileNo)) ?? fail('input.data.file_qury_no', `文件${fileNo}不存在`);
    const theirs = new Map<string, { medfee: number; fund: number; line: number }>();
    file.content.split(/\r?\n/).forEach((line, index) => {
      const cells = line.split(/[\t,]/).map((cell) => cell.trim());
      if (cells.length < 5 || !/^\d/.test(cells[3] ?? '')) return;
      theirs.set(cells[0]!, { medfee: Math.round(Number(cells[3]) * 100), fund: Math.round(Number(cells[4]) * 100), line: index + 1 });
    });
    const result: Record<string, unknown>[] = [];
    for await (const stored of stores.settlements.hospitalDischarges(call.hospitalId, data.stmt_begndate, data.stmt_enddate)) {
      if (stored.status !== 'settled') continue;
      const s = settlementFromJson(stored.settlement);
      const setlId = settlementIdOf(call.hospitalId, s.claimId);
      const mine = { medfee: s.amounts.total, fund: s.amounts.basic + s.amounts.catastrophic + s.amounts.assistance + s.amounts.charity + s.amounts.hospitalBorne };
      const other = theirs.get(setlId);
      theirs.delete(setlId);
      const agrees = other !== undefined && other.medfee === mine.medfee && other.fund === mine.fund;
      result.push({ setl_id: setlId, mdtrt_id: s.claimId, msgid: null, stmt_rslt: agrees ? '0' : '1', refd_setl_flag: '0', memo: other === undefined ? '医药机构无此结算' : agrees ? null : `金额不符：经办机构${(mine.medfee / 100).toFixed(2)}/${(mine.fund / 100).toFixed(2)}` });
    }
    for (const [setlId, other] of theirs) result.push({ setl_id: setlId, mdtrt_id: null, msgid: null, stmt_rslt: '1', refd_setl_flag: '0', memo: `经办机构无此结算（文件第${other.line}行）` });
    return { fileinfo: { file_qury_no: fileNo, filename: file.name, dld_endtime: null }, result };
  };

  const TABLE: Record<(typeof NATIONAL_TRANSACTIONS)[number], (call: Call) => Promise<Record<string, unknown>>> = {
    '9001': signIn,
    '1101': personQuery,
    '2401': admission('inpatient'),
    '2404': cancelVisit,
    '2301': uploadFeeLines,
    '2302': cancelFeeLines,
    '2402': dischargeVisit,
    '2405': undoDischarge,
    '2303': (call) => presettle(call, 'inpatient'),
    '2304': (call) => settleVisit(call, 'inpatient'),
    '2305': cancelSettlement,
    '2601': reversal,
    '5206': cumulative,
    '3201': reconcileTotalsCall,
    '3202': reconcileDetail,
    '9101': uploadFile,
    '2201': admission('outpatient'),
    '2202': cancelVisit,
    '2203': outpatientInfo,
    '2204': uploadFeeLines,
    '2205': cancelFeeLines,
    '2206': (call) => presettle(call, 'outpatient'),
    '2207': (call) => settleVisit(call, 'outpatient'),
    '2208': cancelSettlement,
  };

  return async (event) => {
    const received = now();
    const refmsgid = issueId('R', received);
    const body = event.body ? (event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body) : '';
    let env: Envelope | undefined;
    try {
      env = readEnvelope(body);
      const tail = (event.rawPath ?? '').split('/').filter(Boolean)[4];
      if (tail !== undefined && tail !== env.infno) fail('infno', `与请求路径中的交易编号${tail}不符`);
      const who = await authenticate(event.headers ?? {}, authorizerContextOf(event));
      if ('refused' in who) return reply(answer(refmsgid, received, now(), { error: who.refused }));
      if (env.fixmedins_code !== who.hospitalId) fail('fixmedins_code', `与认证的定点医药机构${who.hospitalId}不符`);
      const run = TABLE[env.infno as keyof typeof TABLE] ?? fail('infno', `不支持的交易编号${env.infno}（supported: ${NATIONAL_TRANSACTIONS.join(', ')}）`);
      const output = await run({ env, hospitalId: who.hospitalId, received });
      return reply(answer(refmsgid, received, now(), { output }));
    } catch (error) {
      if (error instanceof NationalRequestError) return reply(answer(refmsgid, received, now(), { error: errMsgOf(error) }));
      if (error instanceof VersionConflictError) return reply(answer(refmsgid, received, now(), { error: '并发冲突，请稍后重试（another call changed the visit; retry）' }));
      logger.error('national request failed', { infno: env?.infno, error: error as Error });
      return reply(answer(refmsgid, received, now(), { error: '系统内部错误，请稍后重试（internal error; retry later）' }));
    }
  };
}

/** Every amount of a record negated (a cancellation's record): numbers of two decimals, ratios kept. */
function negated<T extends object>(record: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) out[key] = typeof value === 'number' && key !== 'pool_prop_selfpay' && key !== 'age' && value !== 0 ? -value : value;
  return out as T;
}
