/**
 * The answers to a request refused before a route's handler runs: no such route (404), a method the
 * route does not take (405, with `Allow`), a bad path id (400 naming the parameter), no API key or an
 * unknown one (401). One mapping for everyone who refuses such a request: the intake handler, the
 * admission check a server in front of it runs (the local stack's HTTP server), and the gateway's own
 * answers in infra/, so a HIS reads the same error and message whoever answered.
 */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { API_KEY_HEADER, type RouteMatch } from './routes.js';

/** A refusal: its status, error code and message, and what some refusals add. */
export interface Refusal {
  readonly status: number;
  readonly error: string;
  readonly message: string;
  /** The parameter a bad path id names, in the shape of a claim's field issues. */
  readonly issues?: readonly { readonly path: string; readonly message: string }[];
  /** Headers the answer must carry (`allow` on a 405). */
  readonly headers?: Readonly<Record<string, string>>;
}

/** A request for a route the table does not have, or a route with a bad method or path id. */
export type RouteMiss = Exclude<RouteMatch, { readonly kind: 'route' }>;

/** The refusal of a request whose method and path match no route of the table. */
export function routeRefusal(miss: RouteMiss): Refusal {
  switch (miss.kind) {
    case 'not-found':
      return { status: 404, error: 'NOT_FOUND', message: 'no such route' };
    case 'method-not-allowed':
      return { status: 405, error: 'METHOD_NOT_ALLOWED', message: `this route takes ${miss.allowed.join(', ')}`, headers: { allow: miss.allowed.join(', ') } };
    case 'bad-path':
      return { status: 400, error: 'INVALID_REQUEST', message: `${miss.param} ${miss.message}`, issues: [{ path: miss.param, message: miss.message }] };
  }
}

/** A request without an API key. */
export const NO_API_KEY: Refusal = { status: 401, error: 'UNAUTHORIZED', message: `an API key is required (${API_KEY_HEADER} header)` };
/** A request whose API key nobody holds. */
export const UNKNOWN_API_KEY: Refusal = { status: 401, error: 'UNAUTHORIZED', message: 'unknown API key' };

/** A refusal as the intake's answer: JSON `{"error","message"}` (and `issues` where it has them). */
export function refusalAnswer(refusal: Refusal): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: refusal.status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...refusal.headers },
    body: JSON.stringify({ error: refusal.error, message: refusal.message, ...(refusal.issues ? { issues: refusal.issues } : {}) }),
  };
}
