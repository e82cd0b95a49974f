/**
 * The deployed API is an API Gateway REST API (usage plans, request validation and WAF exist only
 * there), whose Lambda proxy events have payload format 1.0; the intake is written against the HTTP API
 * format 2.0 that the local stack sends. This converts the one to the other, so the same intake code
 * serves both.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2 } from 'aws-lambda';

/** True for a REST API (payload 1.0) proxy event. */
export function isRestEvent(event: APIGatewayProxyEvent | APIGatewayProxyEventV2): event is APIGatewayProxyEvent {
  return (event as APIGatewayProxyEvent).httpMethod !== undefined && (event as APIGatewayProxyEventV2).version !== '2.0';
}

/**
 * The raw query string of a REST event, rebuilt from its parameters (payload 1.0 carries no raw
 * string): every value of a repeated parameter, in order, percent-encoded again.
 */
export function rawQueryOf(event: APIGatewayProxyEvent): string {
  const pairs: string[] = [];
  const multi = event.multiValueQueryStringParameters;
  const single = event.queryStringParameters;
  const names = new Set([...Object.keys(multi ?? {}), ...Object.keys(single ?? {})]);
  for (const name of names) {
    const values = multi?.[name] ?? (single?.[name] === undefined ? [] : [single[name]!]);
    for (const value of values) pairs.push(`${encodeURIComponent(name)}=${encodeURIComponent(value)}`);
  }
  return pairs.join('&');
}

/** Encodings API Gateway decodes before the integration when compression is on (minimumCompressionSize). */
const DECODED_BY_API_GATEWAY = new Set(['gzip', 'deflate']);

/**
 * A payload 2.0 event with what the intake reads: method, path (without the stage), lower-case headers,
 * query string, body. Headers are lower-cased because 2.0 delivers them so and REST keeps the client's
 * casing; a `content-encoding` API Gateway has already decoded is dropped, so the intake sees the body
 * as it is.
 */
export function toHttpApiEvent(event: APIGatewayProxyEvent | APIGatewayProxyEventV2): APIGatewayProxyEventV2 {
  if (!isRestEvent(event)) return event;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) if (value !== undefined) headers[name.toLowerCase()] = value;
  if (DECODED_BY_API_GATEWAY.has((headers['content-encoding'] ?? '').trim().toLowerCase())) delete headers['content-encoding'];
  const rawQueryString = rawQueryOf(event);
  const context = event.requestContext;
  return {
    version: '2.0',
    routeKey: `${event.httpMethod} ${event.resource}`,
    rawPath: event.path,
    rawQueryString,
    ...(event.queryStringParameters ? { queryStringParameters: Object.fromEntries(Object.entries(event.queryStringParameters).filter((e): e is [string, string] => e[1] !== undefined)) } : {}),
    headers,
    ...(event.body === null ? {} : { body: event.body }),
    isBase64Encoded: event.isBase64Encoded,
    requestContext: {
      accountId: context.accountId,
      apiId: context.apiId,
      domainName: context.domainName ?? '',
      domainPrefix: context.domainPrefix ?? '',
      http: {
        method: event.httpMethod,
        path: event.path,
        protocol: context.protocol,
        sourceIp: context.identity.sourceIp,
        userAgent: context.identity.userAgent ?? '',
      },
      requestId: context.requestId,
      routeKey: `${event.httpMethod} ${event.resource}`,
      stage: context.stage,
      time: context.requestTime ?? '',
      timeEpoch: context.requestTimeEpoch,
      // The authorizer's context (set by API Gateway alone), where payload 2.0 puts a Lambda authorizer's.
      ...(context.authorizer ? { authorizer: { lambda: context.authorizer } } : {}),
    },
  };
}
