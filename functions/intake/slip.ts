/**
 * `GET /claims/{hospitalId}/{claimId}/slip[?paper=a4|receipt]`: the stored settlement as the printable
 * one-stop settlement slip (一单制结算单), the same page `claims settle --format html` writes, drawn by the
 * core's one slip renderer. The registry gives the member's name and ID number (masked on the page) and
 * the hospital's name and tier; the policy gives the tier's name and the annual cap.
 *
 * The pipeline stores each settlement's trace without its Chinese sentences (to keep a settled claim
 * within its write budget) but keeps the content each version was settled from: the page settles that
 * content again on the totals before it (the engine is deterministic), so every line has its Chinese
 * sentence and the visit's dates are shown. Should the amounts not agree (a settlement stored before
 * contents were kept), the page shows the stored settlement, each step by its Chinese name and its
 * English arithmetic.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { explainedSettlement } from '../lib/explained.js';
import { type PolicyBook, builtInPolicyBook } from '../../shared/policy/book.js';
import { readSettlementRecord } from '../../shared/province/settlement-record.js';
import { SLIP_PAPERS, type SlipPaper, buildSlip, slipHtml } from '../../shared/province/slip/index.js';
import type { Caller } from '../storage/keys-store.js';
import type { RegistryStore } from '../storage/registry-store.js';
import type { SettlementStore } from '../storage/settlements.js';

/** The media type of the slip page. */
export const SLIP_HTML = 'text/html; charset=utf-8';

export interface SlipDeps {
  readonly settlements: Pick<SettlementStore, 'getSettlement' | 'getClaimItem' | 'contentOf'>;
  readonly registry: Pick<RegistryStore, 'getPerson' | 'getHospital'>;
  /** The policies the settle handler settles by (tier names, caps). Default: the built-in packs. */
  readonly book?: PolicyBook | undefined;
}

const json = (statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: { 'content-type': 'application/json; charset=utf-8' },
  body: JSON.stringify(body),
});

/** Answers the slip route for an authenticated caller: that hospital's key or an operator's. */
export async function answerSlipRoute(
  deps: SlipDeps,
  caller: Caller,
  params: { readonly hospitalId: string; readonly claimId: string },
  event: APIGatewayProxyEventV2,
): Promise<APIGatewayProxyStructuredResultV2> {
  const { hospitalId, claimId } = params;
  if (!(caller.role === 'operator' || (caller.role === 'hospital' && caller.id === hospitalId))) {
    return json(403, { error: 'FORBIDDEN', message: `this key may not read claims of hospital ${hospitalId}` });
  }
  const paper = new URLSearchParams(event.rawQueryString ?? '').get('paper') ?? event.queryStringParameters?.['paper'] ?? 'a4';
  if (!(SLIP_PAPERS as readonly string[]).includes(paper)) {
    return json(400, { error: 'INVALID_REQUEST', issues: [{ path: 'paper', message: `must be one of ${SLIP_PAPERS.join(', ')}` }] });
  }
  const stored = await deps.settlements.getSettlement(hospitalId, claimId);
  if (!stored) {
    return json(404, { error: 'NOT_SETTLED', message: `claim ${claimId} of hospital ${hospitalId} has no settlement; GET /claims/${hospitalId}/${claimId} gives its status` });
  }
  const record = readSettlementRecord({ status: stored.status, dischargedOn: stored.dischargedOn, settledAt: stored.settledAt, settlement: stored.settlement }, stored.key);
  const book = deps.book ?? builtInPolicyBook();
  const item = await deps.settlements.getClaimItem(stored.key);
  const claim = item ? await deps.settlements.contentOf(item) : undefined;
  // The content settled again gives the trace with its Chinese sentences; it must pay what is stored.
  const again = explainedSettlement(stored, claim, book);
  const same = again !== undefined;
  const settlement = again ?? record.settlement;
  const [member, hospital] = await Promise.all([deps.registry.getPerson(settlement.memberId), deps.registry.getHospital(settlement.hospitalId)]);
  const slip = buildSlip({
    settlement,
    ...(same && claim ? { claim } : {}),
    dischargedOn: record.dischargedOn,
    member,
    hospital,
    policy: settlement.policy === null ? undefined : book.get(settlement.policy)?.policy,
    settledAt: record.settledAt,
    reversedAt: stored.reversedAt ?? (stored.status === 'reversed' ? stored.settledAt : undefined),
  });
  return { statusCode: 200, headers: { 'content-type': SLIP_HTML }, body: slipHtml(slip, { paper: paper as SlipPaper }) };
}
