/**
 * A signed-only request as the deployed API handles it, on the real local servers: the authorizer
 * (functions/authorizer/app.ts) checks the x-tif signature against the key store's signing secret and
 * records its nonce in DynamoDB Local; the REST API event then carries its context to the intake, whose
 * gateway takes the authorizer's verdict (the nonce is used up, so checking again would refuse it).
 */
import type { APIGatewayAuthorizerResult, APIGatewayProxyEvent, APIGatewayRequestAuthorizerEvent, Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_FIXMEDINS_CODE, OTHER_FIXMEDINS_CODE } from '../../local/national/demo.js';
import { createAuthorizer } from '../../functions/authorizer/app.js';
import { paasTokenOf } from '../../functions/gateway/signing.js';
import { createIntakeHandler } from '../../functions/intake/app.js';
import { createLogger } from '../../functions/lib/logger.js';
import { toHttpApiEvent } from '../../functions/lib/rest-event.js';
import { claims, ensureBuilt } from '../cli/helpers.js';
import type { TestStack } from '../pipeline/helpers.js';
import { envelope } from './factories.js';
import { GATEWAY_PATH, signedHeaders, startNationalStack } from './helpers.js';

const logger = createLogger('test', 'SILENT');
const API_ARN = 'arn:aws:execute-api:cn-north-1:123456789012:abc123/prod';

let test: TestStack;
let secret: string;

beforeAll(async () => {
  ensureBuilt();
  // No secret handed to the gateway: the key store's is the only one.
  test = await startNationalStack({ national: { settleWaitMs: 2_000 } });
  secret = await test.stack.stores.keys.ensureSigningSecret();
}, 120_000);

afterAll(async () => {
  await test?.stack.stop();
});

const lambdaContext = { awsRequestId: 'req-1', functionName: 'intake', getRemainingTimeInMillis: () => 10_000 } as unknown as Context;

/** The deployed path of one request: the authorizer, then (if allowed) the intake with its context. */
async function deployedCall(headers: Record<string, string>, body: unknown): Promise<{ authorized: APIGatewayAuthorizerResult; answer?: { infcode: number; err_msg: string | null } }> {
  const keys = test.stack.stores.keys;
  const authorize = createAuthorizer({ lookupKey: (key) => keys.lookupKey(key), signingSecret: () => keys.signingSecret(), useNonce: (p, n, s) => keys.useNonce(p, n, s), logger });
  const authorized = await authorize({ type: 'REQUEST', methodArn: `${API_ARN}/POST${GATEWAY_PATH}`, headers, requestContext: { identity: { sourceIp: '10.0.0.1' } } } as unknown as APIGatewayRequestAuthorizerEvent);
  if ((authorized.policyDocument.Statement[0] as { Effect: string }).Effect !== 'Allow') return { authorized };
  const rest = {
    httpMethod: 'POST',
    path: GATEWAY_PATH,
    resource: GATEWAY_PATH,
    headers: { ...headers, 'Content-Type': 'application/json' },
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    body: JSON.stringify(body),
    isBase64Encoded: false,
    requestContext: { accountId: '123456789012', apiId: 'abc123', protocol: 'HTTP/1.1', requestId: 'r-1', stage: 'prod', requestTimeEpoch: Date.now(), identity: { sourceIp: '10.0.0.1' }, authorizer: { principalId: authorized.principalId, ...authorized.context } },
  } as unknown as APIGatewayProxyEvent;
  const intake = createIntakeHandler({ stores: test.stack.stores, sqs: test.stack.sqs, queueUrl: test.stack.queueUrl, logger });
  const response = await intake(toHttpApiEvent(rest), lambdaContext);
  return { authorized, answer: JSON.parse(String(response.body)) as { infcode: number; err_msg: string | null } };
}

describe('a signed-only request through the deployed authorizer', () => {
  it('is allowed by the authorizer and answered by the gateway as the signing institution; the same request again is denied as a replay', async () => {
    // Prepare
    const headers = signedHeaders(DEMO_FIXMEDINS_CODE, paasTokenOf(secret, DEMO_FIXMEDINS_CODE));
    const body = envelope('9001', { signIn: { opter_no: 'C001', mac: '', ip: '' } });
    // Act
    const first = await deployedCall(headers, body);
    const again = await deployedCall(headers, body);
    // Assess
    expect(first.authorized.principalId).toBe(`hospital:${DEMO_FIXMEDINS_CODE}`);
    expect(first.answer).toMatchObject({ infcode: 0, err_msg: null });
    expect(again.authorized.principalId).toBe('unsigned');
    expect(again.answer).toBeUndefined();
  });

  it('the gateway still holds the signing institution to fixmedins_code', async () => {
    // Prepare
    const headers = signedHeaders(DEMO_FIXMEDINS_CODE, paasTokenOf(secret, DEMO_FIXMEDINS_CODE));
    const body = envelope('9001', { signIn: { opter_no: 'C001', mac: '', ip: '' } }, { fixmedins_code: OTHER_FIXMEDINS_CODE });
    // Act
    const { answer } = await deployedCall(headers, body);
    // Assess
    expect(answer?.infcode).toBe(-1);
    expect(answer?.err_msg).toContain('fixmedins_code');
  });

  it('a signature made with another secret than the key store’s is denied', async () => {
    // Prepare
    const headers = signedHeaders(DEMO_FIXMEDINS_CODE, paasTokenOf('not-the-key-store-secret', DEMO_FIXMEDINS_CODE));
    // Act
    const { authorized, answer } = await deployedCall(headers, envelope('9001', {}));
    // Assess
    expect(authorized.principalId).toBe('unsigned');
    expect(answer).toBeUndefined();
  });
});

describe('claims keys token', () => {
  it('prints the token a hospital signs with, derived from the key store’s secret; an unknown hospital is refused', () => {
    // Prepare
    const table = ['--table', test.stack.tableName, '--endpoint', test.stack.dynamoEndpoint];
    // Act
    const printed = claims(['keys', 'token', DEMO_FIXMEDINS_CODE, ...table]);
    const unknown = claims(['keys', 'token', 'H-NOBODY', ...table]);
    // Assess
    expect(printed.stderr).toBe('');
    expect(printed.stdout).toBe(`hospital\t${DEMO_FIXMEDINS_CODE}\t${paasTokenOf(secret, DEMO_FIXMEDINS_CODE)}\n`);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('not in the registry');
  });
});
