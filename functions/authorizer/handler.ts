/**
 * Lambda entry of the API authorizer (API Gateway REST API, REQUEST type, identity source x-api-key).
 * Environment: TABLE_NAME (see docs/deployment.md).
 */
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { createDynamoClient } from '../lib/clients.js';
import { readConfig } from '../lib/config.js';
import { createLogger } from '../lib/logger.js';
import { type AuthorizerHandler, createAuthorizer } from './app.js';
import { lookupCaller } from './callers.js';

let built: AuthorizerHandler | undefined;

/** Built on first use, then reused by every invocation of the container (the DynamoDB client). */
function instance(): AuthorizerHandler {
  if (!built) {
    const config = readConfig(process.env, { queue: false });
    const db = createDynamoClient(config);
    built = createAuthorizer({ getCaller: (apiKey) => lookupCaller(db, config.tableName, apiKey), logger: createLogger('claims-authorizer') });
  }
  return built;
}

/** The Lambda handler. */
export const handler = (event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> => instance()(event);
