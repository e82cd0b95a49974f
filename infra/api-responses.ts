/**
 * The answers API Gateway gives itself, before or instead of the intake: error bodies in the intake's
 * own shape (`{"error","message"}`), so a HIS parses one format whoever answered.
 */
import { ResponseType, type RestApi } from 'aws-cdk-lib/aws-apigateway';
import { NO_API_KEY, routeRefusal } from '../functions/intake/refusals.js';
import { MAX_CLAIM_BYTES } from '../functions/intake/routes.js';

/** Adds the gateway responses (401, 403, 404, 400, 429, 413) to `api`. */
export function addErrorResponses(api: RestApi): void {
  const NOT_FOUND = routeRefusal({ kind: 'not-found' });
  // Error bodies in the intake's own shape, so a HIS parses one format whoever answered.
  const errorBody = (code: string, message: string): Record<string, string> => ({
    'application/json': JSON.stringify({ error: code, message }),
  });
  api.addGatewayResponse('Unauthorized', {
    type: ResponseType.UNAUTHORIZED,
    statusCode: '401',
    templates: errorBody(NO_API_KEY.error, NO_API_KEY.message),
  });
  api.addGatewayResponse('AccessDenied', {
    type: ResponseType.ACCESS_DENIED,
    statusCode: '403',
    templates: errorBody('FORBIDDEN', 'this API key is unknown or revoked, or may not call this route'),
  });
  // The authorizer accepted the key but no usage plan holds its usage key: not onboarded yet.
  api.addGatewayResponse('NoUsageKey', {
    type: ResponseType.INVALID_API_KEY,
    statusCode: '403',
    templates: errorBody('FORBIDDEN', 'this API key has no usage plan yet (docs/deployment.md, issue keys)'),
  });
  // A REST API answers an unknown route with 403 "Missing Authentication Token"; say what it is.
  api.addGatewayResponse('NoRoute', {
    type: ResponseType.MISSING_AUTHENTICATION_TOKEN,
    statusCode: '404',
    templates: errorBody(NOT_FOUND.error, NOT_FOUND.message),
  });
  api.addGatewayResponse('BadBody', {
    type: ResponseType.BAD_REQUEST_BODY,
    statusCode: '400',
    templates: { 'application/json': '{"error":"INVALID_REQUEST","message":"$util.escapeJavaScript($context.error.validationErrorString)"}' },
  });
  api.addGatewayResponse('Throttled', {
    type: ResponseType.THROTTLED,
    statusCode: '429',
    templates: errorBody('THROTTLED', 'too many requests; retry with backoff'),
  });
  api.addGatewayResponse('Quota', {
    type: ResponseType.QUOTA_EXCEEDED,
    statusCode: '429',
    templates: errorBody('QUOTA_EXCEEDED', 'the daily quota of this key is used up'),
  });
  api.addGatewayResponse('TooLarge', {
    type: ResponseType.REQUEST_TOO_LARGE,
    statusCode: '413',
    templates: errorBody('TOO_LARGE', `a claim must be at most ${MAX_CLAIM_BYTES} bytes`),
  });
}
