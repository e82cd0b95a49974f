/** The national gateway on the real local stack: the demo registry and catalogue loaded, calls as a HIS makes them. */
import { expect } from 'vitest';
import { parseRegistry } from '../../shared/registry/registry.js';
import { nationalDemoRegistry, demoCatalogueOf } from '../../local/national/demo.js';
import type { StackOptions } from '../../local/stack.js';
import { signatureOf, paasTokenOf } from '../../functions/gateway/signing.js';
import { type TestStack, startTestStack } from '../pipeline/helpers.js';
import { envelope } from './factories.js';

export const SIGNING_SECRET = 'test-signing-secret-of-the-gateway';
export const GATEWAY_PATH = '/fsi/api/rsfComIfsService/callService';

/** A local stack with the national demo registry and catalogue. */
export async function startNationalStack(options: StackOptions = {}): Promise<TestStack> {
  const year = Number(new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 4));
  const registry = nationalDemoRegistry(year);
  const test = await startTestStack({ ...registry, operators: [] }, { national: { signingSecret: SIGNING_SECRET, settleWaitMs: 8_000 }, ...options });
  parseRegistry(registry);
  await test.stack.stores.national.loadCatalogue(demoCatalogueOf().file);
  return test;
}

/** The answer envelope, with the raw text (to check how numbers are written). */
export interface NationalAnswer {
  readonly status: number;
  readonly text: string;
  readonly body: { infcode: number; err_msg: string | null; inf_refmsgid: string; refmsg_time: string; respond_time: string; output: Record<string, any> };
}

export interface CallOptions {
  /** The API key sent (default: the envelope's hospital's); null sends none. */
  readonly apiKey?: string | null;
  readonly headers?: Record<string, string>;
  readonly path?: string;
}

/** POSTs an envelope (or a raw body) to the gateway. */
export async function post(test: TestStack, body: unknown, options: CallOptions = {}): Promise<NationalAnswer> {
  const fixmedins = typeof body === 'object' && body !== null ? (body as { fixmedins_code?: string }).fixmedins_code : undefined;
  const key = options.apiKey === null ? undefined : (options.apiKey ?? test.keys[`hospital:${fixmedins}`]);
  const response = await fetch(`${test.stack.apiUrl}${options.path ?? GATEWAY_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json;charset=utf-8', ...(key ? { 'x-api-key': key } : {}), ...options.headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, text, body: JSON.parse(text) as NationalAnswer['body'] };
}

/** Sends a transaction and expects success; returns its output. */
export async function ok(test: TestStack, infno: string, input: Record<string, unknown>, overrides: Record<string, unknown> = {}): Promise<Record<string, any>> {
  const answer = await post(test, envelope(infno, input, overrides));
  expect(answer.body.err_msg, `${infno}: ${answer.body.err_msg}`).toBeNull();
  expect(answer.body.infcode).toBe(0);
  return answer.body.output;
}

/** Sends a transaction and expects a refusal; returns its err_msg. */
export async function refused(test: TestStack, infno: string, input: Record<string, unknown>, overrides: Record<string, unknown> = {}, options: CallOptions = {}): Promise<string> {
  const answer = await post(test, envelope(infno, input, overrides), options);
  expect(answer.status).toBe(200);
  expect(answer.body.infcode, JSON.stringify(answer.body)).toBe(-1);
  expect(answer.body.output).toEqual({});
  return answer.body.err_msg ?? '';
}

/** The x-tif- headers a HIS signs a request with. */
export function signedHeaders(paasId: string, token = paasTokenOf(SIGNING_SECRET, paasId), at = Math.floor(Date.now() / 1000), nonce = `${Date.now().toString(16)}-${Math.floor(Math.random() * 0xffffff).toString(16)}`): Record<string, string> {
  const timestamp = String(at);
  return { 'x-tif-paasid': paasId, 'x-tif-timestamp': timestamp, 'x-tif-nonce': nonce, 'x-tif-signature': signatureOf(timestamp, token, nonce) };
}
