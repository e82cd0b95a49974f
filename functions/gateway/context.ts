/**
 * What every transaction family of the national gateway shares: its dependencies, the request as the
 * transactions see it, the registry and catalogue reads, the visit's versioned change, the message log
 * that answers a write once per msgid, and the settlement record. Built once per gateway (app.ts).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { Settlement } from '../../shared/engine/settlement.js';
import type { PolicyBook } from '../../shared/policy/book.js';
import type { RegistryHospital, RegistryMember } from '../../shared/registry/registry.js';
import { Catalogue } from '../../shared/national/catalogue.js';
import { type Envelope, NationalRequestError, stamp } from '../../shared/national/envelope.js';
import { type NhsaSettlementRecord, toNationalRecord } from '../../shared/national/setlinfo.js';
import { validateNationalRecord } from '../../shared/national/validate.js';
import { divisionCode, factsOfVisit, personOf } from '../../shared/national/answers.js';
import { type VisitState, checkVisit } from '../../shared/national/visit.js';
import { basicCapRoom } from '../../shared/province/exports/nhsa.js';
import { VersionConflictError } from '../lib/errors.js';
import { maskIdNumber, maskName } from '../lib/mask.js';
import type { Stores } from '../storage/stores.js';
import type { MessageRecord } from '../storage/visits.js';

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

/** A request as the transactions see it. */
export interface Call {
  readonly env: Envelope;
  readonly hospitalId: string;
  readonly received: Date;
}

/** A transaction: a request in, the envelope's `output` out (or a NationalRequestError). */
export type Transaction = (call: Call) => Promise<Record<string, unknown>>;

const DEFAULT_SETTLE_WAIT_MS = 5_000;
const VISIT_ATTEMPTS = 6;
export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
export const fail = (field: string, reason: string): never => {
  throw new NationalRequestError(field, reason);
};

/** An id the interface issues: a letter, China time to the second, random digits; 30 characters. */
export function issueId(prefix: string, at: Date): string {
  const digits = [...randomBytes(16)].map((b) => String(b % 10)).join('');
  return `${prefix}${stamp(at).slice(0, 14)}${digits}`.slice(0, 30);
}

/** What the message log compares a resend by: the transaction and its input. */
export const digestOf = (env: Envelope): string => createHash('sha256').update(`${env.infno}\u0000${JSON.stringify(env.input)}`).digest('hex');

/** The shared reads, writes and records, over one gateway's dependencies. */
export type GatewayContext = ReturnType<typeof createContext>;

/** Builds what the transaction families share. */
export function createContext(deps: GatewayDeps) {
  const { stores, book } = deps;
  const national = stores.national;
  const now = deps.now ?? (() => new Date());
  const waitMs = deps.settleWaitMs ?? DEFAULT_SETTLE_WAIT_MS;

  const member = async (psnNo: string, field: string): Promise<RegistryMember> =>
    (await stores.registry.getPerson(psnNo)) ?? fail(field, `人员编号${psnNo}在参保登记中不存在`);
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

  return { deps, stores, national, book, logger: deps.logger, now, waitMs, member, hospital, personOfMember, catalogueFor, changeVisit, once, recordOf, outputOf };
}
