/**
 * The settlement agency's routes of the intake API, in the intake handler's style:
 *
 * - `GET /hospitals/{id}/statements?from=YYYY-MM-DD&to=YYYY-MM-DD[&format=csv]`: the hospital's
 *   statement (结算单) for the discharges of the period; for that hospital's key and the operator.
 * - `POST /hospitals/{id}/reconciliations?from=&to=`: the hospital's own list of settled claims as the
 *   body (CSV with a header, `content-type: text/csv`, or JSON Lines) against our settlements of the
 *   period; for that hospital's key and the operator.
 *
 * Our side is read through the hospital + discharge-date index page by page (never a scan); the
 * hospital's claims not found in the period are read by key.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { isIsoDate } from '../../shared/calendar/dates.js';
import { settlementKey } from '../storage/keys.js';
import type { StoredSettlement } from '../storage/items.js';
import { type PolicyBook, builtInPolicyBook } from '../../shared/policy/book.js';
import { InvalidRecordError, UnsortedInputError } from '../../shared/province/errors.js';
import { type ReconcileRecord, findingToJson, ourRecordOf, readTheirUpload, reconcileByLookup, summaryToJson } from '../../shared/province/reconcile.js';
import { readSettlementRecord, type SettlementRecord } from '../../shared/province/settlement-record.js';
import { StatementBuilder, statementToCsv, statementToJson } from '../../shared/province/statement.js';
import type { Caller } from '../storage/keys-store.js';
import type { SettlementStore } from '../storage/settlements.js';

export type ProvinceRoute = { name: 'statement'; hospitalId: string } | { name: 'reconcile'; hospitalId: string };

/** At most this many findings are listed in a reconciliation answer (Lambda answers are limited to 6 MB). */
export const MAX_LISTED_FINDINGS = 10_000;

const json = (statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: { 'content-type': 'application/json; charset=utf-8' },
  body: JSON.stringify(body),
});
const invalid = (path: string, message: string) => json(400, { error: 'INVALID_REQUEST', issues: [{ path, message }] });

/** The period of the query string; both ends required, in order. */
function periodOf(event: APIGatewayProxyEventV2): { from: string; to: string } | { refused: APIGatewayProxyStructuredResultV2 } {
  const query = new URLSearchParams(event.rawQueryString ?? '');
  const from = query.get('from') ?? event.queryStringParameters?.['from'];
  const to = query.get('to') ?? event.queryStringParameters?.['to'];
  if (!from || !isIsoDate(from)) return { refused: invalid('from', 'is required, a date YYYY-MM-DD') };
  if (!to || !isIsoDate(to)) return { refused: invalid('to', 'is required, a date YYYY-MM-DD') };
  if (to < from) return { refused: invalid('to', `must not be before from (${from})`) };
  return { from, to };
}

const toRecord = (stored: StoredSettlement): SettlementRecord =>
  readSettlementRecord(
    { status: stored.status, dischargedOn: stored.dischargedOn, settledAt: stored.settledAt, settlement: stored.settlement, version: stored.version, ...(stored.adjustment ? { adjustment: stored.adjustment } : {}) },
    stored.key,
  );

export interface ProvinceDeps {
  readonly settlements: SettlementStore;
  /** The policies whose hospital-side settings (the quality deposit) apply: the settle handler's book. */
  readonly book?: PolicyBook;
}

/** Answers one of the agency's routes for an authenticated caller. */
export async function answerProvinceRoute(deps: ProvinceDeps, caller: Caller, route: ProvinceRoute, event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  if (!(caller.role === 'operator' || (caller.role === 'hospital' && caller.id === route.hospitalId))) {
    return json(403, { error: 'FORBIDDEN', message: `this key may not read the accounts of hospital ${route.hospitalId}` });
  }
  const asked = periodOf(event);
  if ('refused' in asked) return asked.refused;
  const period = { from: asked.from, to: asked.to };
  const book = deps.book ?? builtInPolicyBook();
  const stream = deps.settlements.hospitalSettlements(route.hospitalId, period.from, period.to);

  if (route.name === 'statement') {
    const builder = new StatementBuilder({ hospitalId: route.hospitalId, ...period });
    for await (const stored of stream) builder.add(toRecord(stored));
    const statement = builder.finish(book);
    const format = new URLSearchParams(event.rawQueryString ?? '').get('format') ?? 'json';
    if (format === 'csv') return { statusCode: 200, headers: { 'content-type': 'text/csv; charset=utf-8' }, body: statementToCsv(statement) };
    if (format !== 'json') return invalid('format', 'must be json or csv');
    return json(200, statementToJson(statement));
  }

  const body = event.body ? (event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body) : '';
  const contentType = (event.headers?.['content-type'] ?? '').toLowerCase();
  const format = contentType.includes('csv') ? 'csv' : 'jsonl';
  let theirs: ReconcileRecord[];
  try {
    theirs = readTheirUpload(body, format, 'body');
  } catch (cause) {
    if (cause instanceof InvalidRecordError) return json(400, { error: 'INVALID_UPLOAD', line: cause.line, issues: cause.issues });
    throw cause;
  }
  // Reconciliation compares current versions: each claim of the period once, as it stands now.
  const ours = (async function* () {
    let keys: string[] = [];
    const current = async function* () {
      const found = await deps.settlements.batchGetSettlements(keys);
      for (const key of keys) {
        const stored = found.get(key);
        const mine = stored ? ourRecordOf(toRecord(stored)) : undefined;
        if (mine) yield mine;
      }
      keys = [];
    };
    for await (const stored of stream) {
      if (stored.version !== 1) continue;
      keys.push(stored.key);
      if (keys.length === 100) yield* current();
    }
    yield* current();
  })();
  const lookup = async (claimIds: readonly string[]) => {
    const found = await deps.settlements.batchGetSettlements(claimIds.map((claimId) => settlementKey(route.hospitalId, claimId)));
    const records = new Map<string, ReconcileRecord>();
    for (const stored of found.values()) {
      const mine = ourRecordOf(toRecord(stored));
      if (mine) records.set(mine.claimId, mine);
    }
    return records;
  };
  let result: Awaited<ReturnType<typeof reconcileByLookup>>;
  try {
    result = await reconcileByLookup(theirs, ours, lookup);
  } catch (cause) {
    if (cause instanceof UnsortedInputError) return json(400, { error: 'INVALID_UPLOAD', issues: [{ path: 'claim_id', message: `${cause.current} appears more than once` }] });
    throw cause;
  }
  return json(200, {
    hospitalId: route.hospitalId,
    period,
    summary: summaryToJson(result.summary),
    findings: result.findings.slice(0, MAX_LISTED_FINDINGS).map(findingToJson),
    findingsTruncated: result.findings.length > MAX_LISTED_FINDINGS,
  });
}
