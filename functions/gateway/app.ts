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
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { type Answer, type Envelope, NationalRequestError, answer, errMsgOf, readEnvelope } from '../../shared/national/envelope.js';
import { nationalJson } from '../../shared/national/fields.js';
import { VersionConflictError } from '../lib/errors.js';
import { type GatewayDeps, type Transaction, createContext, fail, issueId } from './context.js';
import { feeTransactions } from './fees.js';
import { queryTransactions } from './queries.js';
import { reconcileTransactions } from './reconcile.js';
import { settleTransactions } from './settle.js';
import { type AuthorizerContext, SIGNED_SCHEME, authorizerContextOf, checkSignedRequest } from './signing.js';
import { visitTransactions } from './visit.js';

export type { GatewayDeps } from './context.js';

export type GatewayHandler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;

/** The transactions answered, by infno; docs/national-interface.md says what each does. */
export const NATIONAL_TRANSACTIONS = [
  '9001', '9002', '1101', '2401', '2404', '2301', '2302', '2402', '2405', '2303', '2304', '2305', '2601', '5206', '3201', '3202', '9101',
  '2201', '2202', '2203', '2204', '2205', '2206', '2207', '2208',
] as const;

/** Builds the gateway handler. */
export function createGateway(deps: GatewayDeps): GatewayHandler {
  const context = createContext(deps);
  const { stores, logger, now } = context;
  const queries = queryTransactions(context);
  const visit = visitTransactions(context);
  const fees = feeTransactions(context);
  const settlement = settleTransactions(context);
  const reconcile = reconcileTransactions(context);

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

  /** The one dispatch table: each infno to its transaction. */
  const TABLE: Record<(typeof NATIONAL_TRANSACTIONS)[number], Transaction> = {
    '9001': queries.signIn,
    '9002': queries.signOut,
    '1101': queries.personQuery,
    '2401': visit.admission('inpatient'),
    '2404': visit.cancelVisit,
    '2301': fees.uploadFeeLines,
    '2302': fees.cancelFeeLines,
    '2402': visit.dischargeVisit,
    '2405': visit.undoDischarge,
    '2303': (call) => settlement.presettle(call, 'inpatient'),
    '2304': (call) => settlement.settleVisit(call, 'inpatient'),
    '2305': settlement.cancelSettlement,
    '2601': settlement.reversal,
    '5206': queries.cumulative,
    '3201': reconcile.reconcileTotalsCall,
    '3202': reconcile.reconcileDetail,
    '9101': reconcile.uploadFile,
    '2201': visit.admission('outpatient'),
    '2202': visit.cancelVisit,
    '2203': visit.outpatientInfo,
    '2204': fees.uploadFeeLines,
    '2205': fees.cancelFeeLines,
    '2206': (call) => settlement.presettle(call, 'outpatient'),
    '2207': (call) => settlement.settleVisit(call, 'outpatient'),
    '2208': settlement.cancelSettlement,
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
