/**
 * The national gateway's per-institution request signing, as HIS clients of the national platform
 * send it: headers `x-tif-paasid` (the institution), `x-tif-timestamp` (Unix seconds), `x-tif-nonce`
 * and `x-tif-signature` = hex SHA-256 of `timestamp + token + nonce + timestamp`, the token being the
 * institution's secret. The scheme does not cover the body: it proves the sender holds the token and,
 * with the timestamp window and a nonce used once, that the request is not a replay. That is all it is
 * claimed to do here; TLS protects the body.
 *
 * Tokens are never stored: each is HMAC-SHA256(gateway secret, paasid), re-derived on each request,
 * so issuing a token is printing it and revoking all of them is changing the secret.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';

/** How far a request's timestamp may be from the gateway's clock. */
export const MAX_SKEW_SECONDS = 300;

/** The signing headers of a request (lower-cased names), when it carries them. */
export interface SignatureHeaders {
  readonly paasId: string;
  readonly timestamp: string;
  readonly nonce: string;
  readonly signature: string;
}

/** The token of an institution under a gateway secret (43 base64url characters). */
export function paasTokenOf(secret: string, paasId: string): string {
  return createHmac('sha256', secret).update(`paas-token:${paasId}`, 'utf8').digest('base64url');
}

/** The signature a client computes. */
export function signatureOf(timestamp: string, token: string, nonce: string): string {
  return createHash('sha256').update(`${timestamp}${token}${nonce}${timestamp}`, 'utf8').digest('hex');
}

/** The signing headers of a request, undefined when it sends none, or the name of the one missing. */
export function signatureHeaders(headers: Record<string, string | undefined>): SignatureHeaders | undefined | { missing: string } {
  const paasId = headers['x-tif-paasid'];
  const timestamp = headers['x-tif-timestamp'];
  const nonce = headers['x-tif-nonce'];
  const signature = headers['x-tif-signature'];
  if (paasId === undefined && signature === undefined) return undefined;
  for (const [name, value] of [['x-tif-paasid', paasId], ['x-tif-timestamp', timestamp], ['x-tif-nonce', nonce], ['x-tif-signature', signature]] as const) {
    if (!value) return { missing: name };
  }
  return { paasId: paasId!, timestamp: timestamp!, nonce: nonce!, signature: signature! };
}

/** Why a signature is refused (in Chinese, for err_msg), or undefined when it is good. The nonce is checked by the caller. */
export function signatureProblem(secret: string, headers: SignatureHeaders, nowSeconds: number): string | undefined {
  if (!/^\d{9,11}$/.test(headers.timestamp)) return '签名时间戳格式错误（x-tif-timestamp must be Unix seconds）';
  if (Math.abs(nowSeconds - Number(headers.timestamp)) > MAX_SKEW_SECONDS) return `签名时间戳超出允许范围${MAX_SKEW_SECONDS}秒（x-tif-timestamp too far from now）`;
  if (headers.nonce.length > 64) return '签名随机数过长（x-tif-nonce too long）';
  const expected = Buffer.from(signatureOf(headers.timestamp, paasTokenOf(secret, headers.paasId), headers.nonce), 'utf8');
  const given = Buffer.from(headers.signature.toLowerCase(), 'utf8');
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return '签名校验失败（x-tif-signature does not match）';
  return undefined;
}

/** What checking a signed request needs: the gateway secret, the nonce memory and the clock. */
export interface SignedRequestChecks {
  /** The gateway secret institution tokens derive from (KeyStore.signingSecret); undefined: signing is not enabled. */
  readonly secret: () => Promise<string | undefined>;
  /** Records a nonce once; false when it was seen before (KeyStore.useNonce). */
  readonly useNonce: (paasId: string, nonce: string, nowSeconds: number) => Promise<boolean>;
  readonly nowSeconds: number;
}

/** The institution a signed request is from, or the Chinese reason it is refused. */
export type SignedRequestVerdict = { readonly hospitalId: string } | { readonly refused: string };

/**
 * The one check of a signed request, used by the gateway on the local stack and by the authorizer in
 * AWS: the headers complete, the timestamp within the window, the signature of the institution's
 * token, then the nonce recorded once (only after the signature holds, so unsigned noise writes
 * nothing). Undefined when the request carries no signing headers (it may still have an API key).
 */
export async function checkSignedRequest(headers: Record<string, string | undefined>, checks: SignedRequestChecks): Promise<SignedRequestVerdict | undefined> {
  const signed = signatureHeaders(headers);
  if (signed === undefined) return undefined;
  if ('missing' in signed) return { refused: `签名请求缺少请求头 ${signed.missing}` };
  const secret = await checks.secret();
  if (!secret) return { refused: '本平台未启用签名认证，请使用 x-api-key（signed requests are not enabled here）' };
  const problem = signatureProblem(secret, signed, checks.nowSeconds);
  if (problem) return { refused: problem };
  if (!(await checks.useNonce(signed.paasId, signed.nonce, checks.nowSeconds))) return { refused: '签名随机数已使用，疑似重放（x-tif-nonce was used before）' };
  return { hospitalId: signed.paasId };
}

/** The `scheme` the authorizer names in its context for a request it authenticated by signature. */
export const SIGNED_SCHEME = 'x-tif';

/** What the deployed API's authorizer passes on (functions/authorizer/app.ts), as the intake receives it. */
export interface AuthorizerContext {
  readonly role?: string;
  readonly callerId?: string;
  readonly keyId?: string;
  /** `x-tif` for a signed request, `x-api-key` for a key. */
  readonly scheme?: string;
}

/**
 * The authorizer's context of a request (`requestContext.authorizer.lambda`, which API Gateway alone
 * sets, carried over by functions/lib/rest-event.ts), or undefined off AWS.
 */
export function authorizerContextOf(event: APIGatewayProxyEventV2): AuthorizerContext | undefined {
  return (event.requestContext as { authorizer?: { lambda?: AuthorizerContext } } | undefined)?.authorizer?.lambda;
}
