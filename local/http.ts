/**
 * The intake API on 127.0.0.1: each HTTP request becomes the API Gateway (HTTP API, payload 2.0)
 * event the Lambda would receive, and the handler's result becomes the response.
 *
 * As API Gateway does before a Lambda runs, the server refuses what it can without the body: an
 * unknown route, a missing or unknown key (through `admit`), a declared length over the route's limit;
 * and it stops reading a body at the limit. So an unauthenticated or oversized upload costs no memory.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { maskPersonalData } from '../functions/lib/mask.js';
import { RETRY_AFTER_SECONDS, isUnavailable } from '../functions/lib/unavailable.js';

export type HttpHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

/** A refusal decided from the request line and headers alone. */
export interface Refusal {
  readonly status: number;
  readonly error: string;
  readonly message: string;
}

export interface ServeOptions {
  /**
   * Checks a request before its body is read (route, key): a refusal is answered at once and the body
   * is never read. Otherwise it returns the most bytes the route's body may have.
   */
  readonly admit?: (method: string, path: string, headers: Record<string, string>) => Promise<Refusal | { readonly maxBodyBytes: number }>;
}

/** With no `admit`: no early refusal, and bodies up to API Gateway's own 10 MB. */
const API_GATEWAY_MAX_BODY = 10 * 1024 * 1024;

class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`the body is over ${limit} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

/** Reads the body, stopping (and refusing) as soon as it passes `limit` bytes. */
async function readBody(request: IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of request) {
    length += (chunk as Buffer).length;
    if (length > limit) throw new BodyTooLargeError(limit);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function headersOf(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  return headers;
}

function refuse(response: ServerResponse, refusal: Refusal): void {
  // The body is not read: close the connection after answering, so the client stops sending.
  response.writeHead(refusal.status, {
    'content-type': 'application/json; charset=utf-8',
    connection: 'close',
    ...(refusal.status === 503 ? { 'retry-after': String(RETRY_AFTER_SECONDS) } : {}),
  });
  response.end(JSON.stringify({ error: refusal.error, message: refusal.message }));
}

function eventOf(request: IncomingMessage, body: string): APIGatewayProxyEventV2 {
  const url = { pathname: targetOf(request).path, search: targetOf(request).query ? `?${targetOf(request).query}` : '' };
  const headers = headersOf(request);
  const method = request.method ?? 'GET';
  const now = Date.now();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ''),
    headers,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: '127.0.0.1',
      domainPrefix: 'local',
      http: { method, path: url.pathname, protocol: 'HTTP/1.1', sourceIp: request.socket.remoteAddress ?? '127.0.0.1', userAgent: headers['user-agent'] ?? '' },
      requestId: `local-${now}-${Math.random().toString(36).slice(2)}`,
      routeKey: '$default',
      stage: '$default',
      time: new Date(now).toISOString(),
      timeEpoch: now,
    },
    ...(body ? { body } : {}),
    isBase64Encoded: false,
  };
}

const context = (): Context => ({
  callbackWaitsForEmptyEventLoop: false,
  functionName: 'claims-intake-local',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:local:000000000000:function:claims-intake-local',
  memoryLimitInMB: '512',
  awsRequestId: `local-${Date.now()}`,
  logGroupName: 'local',
  logStreamName: 'local',
  getRemainingTimeInMillis: () => 29_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
});

/**
 * The path and query of a request line, undecoded (the handler decodes and checks each segment). Split
 * by hand: URL parsing would read a path such as `//x` as a host, or refuse it.
 */
function targetOf(request: IncomingMessage): { path: string; query: string } {
  const target = request.url ?? '/';
  const mark = target.indexOf('?');
  return mark < 0 ? { path: target, query: '' } : { path: target.slice(0, mark), query: target.slice(mark + 1) };
}

function pathOf(request: IncomingMessage): string {
  return targetOf(request).path;
}

/** Serves `handler` on 127.0.0.1:`port` (0: any free port). */
export async function serveHttp(handler: HttpHandler, port: number, options: ServeOptions = {}): Promise<{ server: Server; url: string; close(): Promise<void> }> {
  const answer = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const admitted = options.admit ? await options.admit(request.method ?? 'GET', pathOf(request), headersOf(request)) : { maxBodyBytes: API_GATEWAY_MAX_BODY };
    if ('status' in admitted) return refuse(response, admitted);
    const declared = Number(request.headers['content-length'] ?? '0');
    if (declared > admitted.maxBodyBytes) return refuse(response, { status: 413, error: 'TOO_LARGE', message: `the body must be at most ${admitted.maxBodyBytes} bytes` });
    const body = await readBody(request, admitted.maxBodyBytes);
    const result = await handler(eventOf(request, body), context());
    response.writeHead(result.statusCode ?? 200, (result.headers ?? {}) as Record<string, string>);
    response.end(result.body ?? '');
  };
  const server = createServer((request, response) => {
    answer(request, response).catch((error: unknown) => {
      if (response.headersSent) return response.destroy();
      if (error instanceof BodyTooLargeError) return refuse(response, { status: 413, error: 'TOO_LARGE', message: `the body must be at most ${error.limit} bytes` });
      // Never an internal address, port or stack in an answer: those go to the log only.
      if (isUnavailable(error)) return refuse(response, { status: 503, error: 'UNAVAILABLE', message: `a store is not reachable; retry in ${RETRY_AFTER_SECONDS} s` });
      console.error('local API: request failed', maskPersonalData(error));
      response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: 'INTERNAL', message: 'the request failed; retry later' }));
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  return {
    server,
    url: `http://127.0.0.1:${actual}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
