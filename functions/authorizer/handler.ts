/**
 * Lambda entry of the API authorizer (API Gateway REST API, REQUEST type: identity source x-api-key,
 * and uncached on the national gateway's routes, where it also checks x-tif signatures).
 * Environment: TABLE_NAME (see docs/deployment.md).
 */
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { createDynamoClient } from '../lib/clients.js';
import { readConfig } from '../lib/config.js';
import { createLogger } from '../lib/logger.js';
import { type AuthorizerHandler, createAuthorizer } from './app.js';
import { KeyStore } from '../storage/keys-store.js';

let built: AuthorizerHandler | undefined;

/** Built on first use, then reused by every invocation of the container (the DynamoDB client). */
function instance(): AuthorizerHandler {
  if (!built) {
    const config = readConfig(process.env, { queue: false });
    // The key store imports nothing heavier than the SDK (no claim contract): a small bundle, a quick cold start.
    const db = createDynamoClient(config);
    const keys = new KeyStore(db, config.tableName);
    built = createAuthorizer({
      lookupKey: (apiKey) => keys.lookupKey(apiKey),
      signingSecret: () => keys.signingSecret(),
      useNonce: (paasId, nonce, nowSeconds) => keys.useNonce(paasId, nonce, nowSeconds),
      logger: createLogger('claims-authorizer'),
    });
  }
  return built;
}

/** The Lambda handler. */
export const handler = (event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> => instance()(event);
