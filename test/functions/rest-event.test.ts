/** REST API (payload 1.0) events reach the intake as the payload 2.0 events it is written for. */
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { isRestEvent, toHttpApiEvent } from '../../functions/lib/rest-event.js';

const rest = {
  resource: '/claims/{hospitalId}/{claimId}',
  path: '/claims/H-0001/JZ01%230001',
  httpMethod: 'GET',
  headers: { 'X-Api-Key': 'secret', 'Content-Type': 'application/json' },
  multiValueHeaders: {},
  queryStringParameters: null,
  multiValueQueryStringParameters: null,
  pathParameters: { hospitalId: 'H-0001', claimId: 'JZ01#0001' },
  stageVariables: null,
  body: null,
  isBase64Encoded: false,
  requestContext: {
    accountId: '123456789012',
    apiId: 'abc123',
    protocol: 'HTTP/1.1',
    httpMethod: 'GET',
    path: '/prod/claims/H-0001/JZ01%230001',
    stage: 'prod',
    requestId: 'r-1',
    requestTimeEpoch: 1_700_000_000_000,
    resourceId: 'x',
    resourcePath: '/claims/{hospitalId}/{claimId}',
    identity: { sourceIp: '10.0.0.1', userAgent: 'HIS/1.0' },
    authorizer: { principalId: 'hospital:H-0001', role: 'hospital', callerId: 'H-0001' },
  },
} as unknown as APIGatewayProxyEvent;

describe('REST events for the intake', () => {
  it('the authorizer’s context is carried where payload 2.0 puts a Lambda authorizer’s, and absent when there is none', () => {
    // Act
    const converted = toHttpApiEvent(rest) as APIGatewayProxyEventV2 & { requestContext: { authorizer?: { lambda?: Record<string, unknown> } } };
    const bare = toHttpApiEvent({ ...rest, requestContext: { ...rest.requestContext, authorizer: undefined } } as unknown as APIGatewayProxyEvent) as typeof converted;
    // Assess
    expect(converted.requestContext.authorizer?.lambda).toEqual({ principalId: 'hospital:H-0001', role: 'hospital', callerId: 'H-0001' });
    expect(bare.requestContext.authorizer).toBeUndefined();
  });

  it('method, path without the stage, lower-case headers and body as payload 2.0', () => {
    // Act
    const converted = toHttpApiEvent({ ...rest, httpMethod: 'POST', body: '{"claimId":"c"}' });
    // Assess
    expect(converted.requestContext.http.method).toBe('POST');
    expect(converted.rawPath).toBe('/claims/H-0001/JZ01%230001');
    expect(converted.headers).toEqual({ 'x-api-key': 'secret', 'content-type': 'application/json' });
    expect(converted.body).toBe('{"claimId":"c"}');
    expect(converted.isBase64Encoded).toBe(false);
  });

  it('a payload 2.0 event passes through unchanged', () => {
    // Prepare
    const v2 = { version: '2.0', rawPath: '/claims', headers: {}, requestContext: { http: { method: 'POST' } } } as unknown as APIGatewayProxyEventV2;
    // Act / Assess
    expect(isRestEvent(v2)).toBe(false);
    expect(toHttpApiEvent(v2)).toBe(v2);
  });

  it('carries the query string, every value of a repeated parameter, re-encoded (the statement route reads from and to)', () => {
    // Prepare
    const event = {
      ...rest,
      resource: '/hospitals/{hospitalId}/statements',
      path: '/hospitals/H-0001/statements',
      queryStringParameters: { from: '2018-01-01', to: '2018-12-31', note: 'a b&c' },
      multiValueQueryStringParameters: { from: ['2018-01-01'], to: ['2018-12-31'], note: ['a b&c'], tag: ['x', 'y'] },
    } as unknown as APIGatewayProxyEvent;
    // Act
    const converted = toHttpApiEvent(event);
    const query = new URLSearchParams(converted.rawQueryString);
    // Assess
    expect(query.get('from')).toBe('2018-01-01');
    expect(query.get('to')).toBe('2018-12-31');
    expect(query.get('note')).toBe('a b&c');
    expect(query.getAll('tag')).toEqual(['x', 'y']);
    expect(converted.queryStringParameters).toEqual({ from: '2018-01-01', to: '2018-12-31', note: 'a b&c' });
  });

  it('drops a gzip or deflate content-encoding, which API Gateway has decoded, and keeps any other for the intake to refuse', () => {
    // Prepare
    const withEncoding = (encoding: string) => ({ ...rest, headers: { ...rest.headers, 'Content-Encoding': encoding } }) as unknown as APIGatewayProxyEvent;
    // Act / Assess
    expect(toHttpApiEvent(withEncoding('gzip')).headers['content-encoding']).toBeUndefined();
    expect(toHttpApiEvent(withEncoding('deflate')).headers['content-encoding']).toBeUndefined();
    expect(toHttpApiEvent(withEncoding('br')).headers['content-encoding']).toBe('br');
  });

  it('a missing body stays missing', () => {
    // Act / Assess
    expect(toHttpApiEvent(rest).body).toBeUndefined();
  });
});
