/**
 * The intake API (API Gateway HTTP API, payload format 2.0), built from its dependencies.
 *
 * Routes: POST /claims, GET /claims/{hospitalId}/{claimId}, GET /claims/{hospitalId}/{claimId}/fhir (fhir.ts),
 * POST /claims/{hospitalId}/{claimId}/reversal,
 * GET /members/{memberId}/years/{year}; and the agency's GET /hospitals/{id}/statements and
 * POST /hospitals/{id}/reconciliations (province.ts). The caller's API key comes in `x-api-key` (or `Authorization: Bearer`).
 */
import { createHash } from 'node:crypto';
import middy from '@middy/core';
import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { type SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { parseClaimJson } from '../../shared/contract/claim.js';
import { InvalidClaimError } from '../../shared/contract/errors.js';
import { yearToDateToJson } from '../../shared/engine/settlement.js';
import { claimFailureKey, settlementKey } from '../../shared/pipeline/keys.js';
import { ReversalError, VersionConflictError } from '../lib/errors.js';
import type { Caller, ClaimsRepository } from '../lib/repository.js';
import { reverseSettlement } from '../lib/reversal.js';
import { fhirBundleAnswer } from './fhir.js';
import { answerProvinceRoute, provinceRouteOf } from './province.js';

export interface IntakeDeps {
  readonly repository: ClaimsRepository;
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly logger: Logger;
}

export type IntakeHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

/** SQS's limit on a message; a larger claim is refused at the door rather than lost on the way. */
const MAX_BODY_BYTES = 256 * 1024;

const json = (statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: { 'content-type': 'application/json; charset=utf-8' },
  body: JSON.stringify(body),
});
const error = (statusCode: number, code: string, message: string): APIGatewayProxyStructuredResultV2 =>
  json(statusCode, { error: code, message });

function apiKeyOf(event: APIGatewayProxyEventV2): string | undefined {
  const headers = event.headers ?? {};
  const direct = headers['x-api-key'];
  if (direct) return direct;
  const authorization = headers['authorization'];
  const match = authorization?.match(/^Bearer\s+(\S+)$/i);
  return match?.[1];
}

function bodyOf(event: APIGatewayProxyEventV2): string {
  if (!event.body) return '';
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
}

/** The FIFO deduplication id: hospital + claim, hashed to fit SQS's 128-character limit and alphabet. */
export function deduplicationId(hospitalId: string, claimId: string): string {
  return createHash('sha256').update(settlementKey(hospitalId, claimId)).digest('hex');
}

/** The FIFO message group: the member id when SQS accepts it as one (printable ASCII), else its hash. */
export function messageGroupId(memberId: string): string {
  return /^[\x21-\x7e]{1,128}$/.test(memberId) ? memberId : createHash('sha256').update(memberId).digest('hex');
}

type Route =
  | { name: 'submit' }
  | { name: 'get'; hospitalId: string; claimId: string }
  | { name: 'fhir'; hospitalId: string; claimId: string }
  | { name: 'reverse'; hospitalId: string; claimId: string }
  | { name: 'member'; memberId: string; year: string };

function routeOf(method: string, path: string): Route | undefined {
  const segments = path.split('/').filter((s) => s !== '').map((s) => decodeURIComponent(s));
  const [a, b, c, d] = segments;
  if (method === 'POST' && segments.length === 1 && a === 'claims') return { name: 'submit' };
  if (method === 'GET' && segments.length === 3 && a === 'claims' && b && c) return { name: 'get', hospitalId: b, claimId: c };
  if (method === 'GET' && segments.length === 4 && a === 'claims' && b && c && d === 'fhir') return { name: 'fhir', hospitalId: b, claimId: c };
  if (method === 'POST' && segments.length === 4 && a === 'claims' && b && c && d === 'reversal') return { name: 'reverse', hospitalId: b, claimId: c };
  if (method === 'GET' && segments.length === 4 && a === 'members' && b && c === 'years' && d) return { name: 'member', memberId: b, year: d };
  return undefined;
}

/** Builds the intake handler. */
export function createIntakeHandler(deps: IntakeDeps): IntakeHandler {
  const { repository, logger } = deps;
  const fifo = deps.queueUrl.endsWith('.fifo');

  const submit = async (caller: Caller, event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    if (caller.role !== 'hospital') return error(403, 'FORBIDDEN', 'only a hospital key may submit claims');
    const body = bodyOf(event);
    if (Buffer.byteLength(body) > MAX_BODY_BYTES) return error(413, 'TOO_LARGE', `a claim must be at most ${MAX_BODY_BYTES} bytes`);
    let claim;
    try {
      claim = parseClaimJson(body);
    } catch (cause) {
      if (cause instanceof InvalidClaimError) return json(400, cause.toJSON());
      throw cause;
    }
    if (claim.hospital.id !== caller.id) {
      return error(403, 'FORBIDDEN', `this key belongs to hospital ${caller.id}, not ${claim.hospital.id}`);
    }
    if (!(await repository.memberExists(claim.member.id))) {
      return error(422, 'UNKNOWN_MEMBER', `member ${claim.member.id} is not in the registry`);
    }
    await deps.sqs.send(
      new SendMessageCommand({
        QueueUrl: deps.queueUrl,
        MessageBody: body,
        MessageAttributes: {
          hospitalId: { DataType: 'String', StringValue: claim.hospital.id },
          claimId: { DataType: 'String', StringValue: claim.claimId },
        },
        // FIFO: one member's claims in order, and SQS drops a resend within 5 minutes. Correctness does not
        // depend on either: the settle handler's DynamoDB conditions decide.
        ...(fifo ? { MessageGroupId: messageGroupId(claim.member.id), MessageDeduplicationId: deduplicationId(claim.hospital.id, claim.claimId) } : {}),
      }),
    );
    logger.info('claim queued', { key: settlementKey(claim.hospital.id, claim.claimId) });
    const location = `/claims/${encodeURIComponent(claim.hospital.id)}/${encodeURIComponent(claim.claimId)}`;
    return { ...json(202, { status: 'queued', hospitalId: claim.hospital.id, claimId: claim.claimId, location }), headers: { 'content-type': 'application/json; charset=utf-8', location } };
  };

  const ownsHospital = (caller: Caller, hospitalId: string): boolean =>
    caller.role === 'operator' || (caller.role === 'hospital' && caller.id === hospitalId);

  const get = async (caller: Caller, hospitalId: string, claimId: string): Promise<APIGatewayProxyStructuredResultV2> => {
    if (!ownsHospital(caller, hospitalId)) return error(403, 'FORBIDDEN', `this key may not read claims of hospital ${hospitalId}`);
    const stored = await repository.getSettlement(hospitalId, claimId);
    if (stored) {
      return json(200, {
        status: stored.status,
        settlement: stored.settlement,
        settledAt: stored.settledAt,
        ...(stored.reversedAt ? { reversedAt: stored.reversedAt } : {}),
      });
    }
    const failure = await repository.getFailure(claimFailureKey(hospitalId, claimId));
    if (failure) return json(422, { status: 'failed', error: failure.code, message: failure.message, details: failure.details, at: failure.at });
    // No trace of it: it is in the queue, or it was never sent (the API does not tell them apart).
    return json(202, { status: 'queued', hospitalId, claimId });
  };

  const fhir = async (caller: Caller, hospitalId: string, claimId: string): Promise<APIGatewayProxyStructuredResultV2> => {
    if (!ownsHospital(caller, hospitalId)) return error(403, 'FORBIDDEN', `this key may not read claims of hospital ${hospitalId}`);
    const stored = await repository.getSettlement(hospitalId, claimId);
    if (stored) return fhirBundleAnswer(stored);
    // Not settled (yet, or it failed): the status route says which.
    return error(404, 'NOT_SETTLED', `claim ${claimId} of hospital ${hospitalId} has no settlement; GET /claims/${hospitalId}/${claimId} gives its status`);
  };

  const reverse = async (caller: Caller, hospitalId: string, claimId: string): Promise<APIGatewayProxyStructuredResultV2> => {
    if (caller.role !== 'hospital' || caller.id !== hospitalId) {
      return error(403, 'FORBIDDEN', `only hospital ${hospitalId} may reverse its settlements`);
    }
    try {
      const result = await reverseSettlement(repository, logger, hospitalId, claimId);
      return json(200, { status: 'reversed', hospitalId, claimId, reversedAt: result.reversedAt, yearToDate: yearToDateToJson(result.yearToDate) });
    } catch (cause) {
      if (cause instanceof ReversalError) return error(cause.code === 'UNKNOWN_CLAIM' ? 404 : 409, cause.code, cause.message);
      if (cause instanceof VersionConflictError) return error(503, cause.code, `${cause.message}; retry`);
      throw cause;
    }
  };

  const member = async (caller: Caller, memberId: string, yearText: string): Promise<APIGatewayProxyStructuredResultV2> => {
    if (caller.role !== 'operator') return error(403, 'FORBIDDEN', 'member totals need an operator key');
    if (!/^\d{4}$/.test(yearText)) return json(400, { error: 'INVALID_REQUEST', issues: [{ path: 'year', message: 'must be a four-digit year' }] });
    const year = Number(yearText);
    const [totals, settlements] = await Promise.all([repository.getTotals(memberId, year), repository.listMemberYear(memberId, year)]);
    return json(200, {
      memberId,
      year,
      version: totals.version,
      yearToDate: yearToDateToJson(totals.totals),
      settlements: settlements.map((s) => ({
        status: s.status,
        dischargedOn: s.dischargedOn,
        settledAt: s.settledAt,
        ...(s.reversedAt ? { reversedAt: s.reversedAt } : {}),
        settlement: s.settlement,
      })),
    });
  };

  const run = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    const method = event.requestContext?.http?.method ?? 'GET';
    const path = event.rawPath ?? event.requestContext?.http?.path ?? '/';
    const route = routeOf(method, path);
    // The settlement agency's routes (statements, reconciliation) live in province.ts.
    const provinceRoute = route ? undefined : provinceRouteOf(method, path);
    if (!route && !provinceRoute) return error(404, 'NOT_FOUND', `no route ${method} ${event.rawPath}`);
    const apiKey = apiKeyOf(event);
    if (!apiKey) return error(401, 'UNAUTHORIZED', 'an API key is required (x-api-key header)');
    const caller = await repository.getCaller(apiKey);
    if (!caller) return error(401, 'UNAUTHORIZED', 'unknown API key');
    if (provinceRoute) {
      try {
        return await answerProvinceRoute({ repository }, caller, provinceRoute, event);
      } catch (cause) {
        logger.error('request failed', { route: provinceRoute.name, error: cause as Error });
        return error(500, 'INTERNAL', 'the request failed; retry later');
      }
    }
    if (!route) return error(404, 'NOT_FOUND', `no route ${method} ${event.rawPath}`);
    try {
      switch (route.name) {
        case 'submit':
          return await submit(caller, event);
        case 'get':
          return await get(caller, route.hospitalId, route.claimId);
        case 'fhir':
          return await fhir(caller, route.hospitalId, route.claimId);
        case 'reverse':
          return await reverse(caller, route.hospitalId, route.claimId);
        case 'member':
          return await member(caller, route.memberId, route.year);
      }
    } catch (cause) {
      logger.error('request failed', { route: route.name, error: cause as Error });
      return error(500, 'INTERNAL', 'the request failed; retry later');
    }
  };

  return middy(run).use(injectLambdaContext(logger, { resetKeys: true }));
}
