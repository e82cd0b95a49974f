/**
 * The one route table of the API. Everything that must agree on the routes derives from it: the
 * intake's router (`matchRoute`), the authorizer's policy per role (`routePatternsFor`), the REST
 * API's resources and methods (infra/api.ts), the intake's IAM grants (`intakeTableAccess`), the local
 * server's early checks (local/http.ts) and the route table of docs/pipeline.md (a test compares them).
 *
 * No dependency beyond the core's limits: the authorizer bundles this module and runs on the request
 * path of every uncached key.
 *
 * size: the table of every route with its matcher and the grants derived from it, kept in one file so
 * that a route is added in one place and everything that derives from it reads the same module.
 */
import { idProblem } from '../../shared/contract/ids.js';
import type { ItemKind } from '../storage/keys.js';

export type Role = 'hospital' | 'operator';
export type HttpMethod = 'GET' | 'POST';

/** DynamoDB actions a route's handler performs on the claims table. */
export type TableAction = 'dynamodb:GetItem' | 'dynamodb:BatchGetItem' | 'dynamodb:PutItem' | 'dynamodb:UpdateItem';

/** The index names the handlers query (functions/storage/table.ts defines their keys). */
export type IndexName = (typeof import('../storage/table.js').ORDER_INDEX)['name'];

/** The header a HIS sends its API key in (the authorizer's identity source and cache key, redacted from WAF logs). */
export const API_KEY_HEADER = 'x-api-key';

/** SQS's limit on a message: a larger claim is refused at the door rather than lost on the way. */
export const MAX_CLAIM_BYTES = 256 * 1024;
/** Lambda's limit on a synchronous request payload, for uploads. */
export const MAX_UPLOAD_BYTES = 6 * 1024 * 1024;
/**
 * The largest batch body: Lambda's 6 MB request payload (the REST API would take 10 MB, but the
 * function behind it cannot). Each claim in it is still held to MAX_CLAIM_BYTES, SQS's message limit.
 */
export const MAX_BATCH_BYTES = MAX_UPLOAD_BYTES;
/**
 * The most claims in one `POST /claims:batch`: 500 claims of a typical 2–8 KB fit the 6 MB body with
 * room to spare (a batch of large claims meets the byte limit first, a 413), and admitting 500 claims
 * (500 registry reads and accepted records, 16 at a time, 50 SendMessageBatch calls) stays inside API Gateway's 29 s.
 */
export const MAX_BATCH_CLAIMS = 500;
/** The most settlements in one page of the settlement feed (one Query and one BatchGetItem of 100 keys). */
export const MAX_FEED_PAGE = 100;

/** A route that reads no body still tolerates a small one (an empty JSON object some clients send). */
export const MAX_IGNORED_BODY_BYTES = 64 * 1024;

/** What a route accepts as its body: nothing, a JSON claim, or an upload in one of its media types. */
export type BodyKind =
  | { readonly kind: 'none' }
  /** `claimModel: false`: the gateway must not validate the body as one claim (a batch answers each claim itself). */
  | { readonly kind: 'json'; readonly maxBytes?: number; readonly claimModel?: boolean }
  | { readonly kind: 'upload'; readonly mediaTypes: readonly string[] };

/** True when API Gateway validates the route's body as one claim (the claim model). */
export function takesClaimModel(body: BodyKind): boolean {
  return body.kind === 'json' && !('claimModel' in body && body.claimModel === false);
}

/** The most bytes a route's body may have. */
export function maxBodyBytes(body: BodyKind): number {
  if (body.kind === 'json') return 'maxBytes' in body && body.maxBytes !== undefined ? body.maxBytes : MAX_CLAIM_BYTES;
  return body.kind === 'upload' ? MAX_UPLOAD_BYTES : MAX_IGNORED_BODY_BYTES;
}

export interface RouteDefinition {
  readonly name: string;
  readonly method: HttpMethod;
  /** The path with `{param}` segments, as API Gateway declares resources. */
  readonly path: string;
  /** The roles whose keys the authorizer lets through; the handler then checks ownership of the ids. */
  readonly roles: readonly Role[];
  readonly body: BodyKind;
  /** What the handler does with the table and the queue: the intake's IAM grants are their union. */
  readonly table: readonly TableAction[];
  /**
   * The item kinds (functions/storage/keys.ts) the route's writes touch: the intake's `PutItem` and
   * `UpdateItem` are granted only on their key prefixes (`dynamodb:LeadingKeys`). Empty for a route
   * that writes nothing.
   */
  readonly writes: readonly ItemKind[];
  readonly indexes: readonly IndexName[];
  readonly sendsToQueue: boolean;
  /** Query parameters the handler reads (the REST event conversion must carry them). */
  readonly query: readonly string[];
  /** True when the handler presigns uploads to the bulk bucket (the intake's role may then put objects there). */
  readonly signsUploads?: boolean;
}

const claimRead: readonly TableAction[] = ['dynamodb:GetItem', 'dynamodb:BatchGetItem'];
/** The gateway reads the registry, catalogue and settlements, writes visits and its message log, and reverses (a transaction of an Update and a Put). */
const nationalTable: readonly TableAction[] = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'];

/**
 * What the gateway writes: visits, its message log and replay nonces, files uploaded for 明细对账, and
 * (2305 / 2601 through the reversal, a correction) the settlements' versions and the member's totals. The catalogue is loaded
 * by an operator, never written through the API.
 */
const NATIONAL_WRITES: readonly ItemKind[] = ['visit', 'nationalMessage', 'nonce', 'nationalFile', 'settlement', 'totals', 'revision'];

/** What the gateway's two paths share: the same envelope, authentication, body and grants. */
const NATIONAL_ROUTE = {
  method: 'POST',
  roles: ['hospital'],
  body: { kind: 'upload', mediaTypes: ['application/json', 'text/plain'] },
  table: nationalTable,
  writes: NATIONAL_WRITES,
  indexes: ['byHospitalOrder'],
  sendsToQueue: true,
  query: [],
} as const;

/** Every route of the API, in the order docs/pipeline.md lists them. */
export const ROUTES = [
  // The member read, then the accepted record's conditional put (functions/storage/accepted.ts).
  { name: 'submit', method: 'POST', path: '/claims', roles: ['hospital'], body: { kind: 'json' }, table: ['dynamodb:GetItem', 'dynamodb:PutItem'], writes: ['settlement'], indexes: [], sendsToQueue: true, query: [] },
  // A batch of claims, each admitted and recorded as POST /claims does one, each with its own answer.
  { name: 'batch', method: 'POST', path: '/claims:batch', roles: ['hospital'], body: { kind: 'json', maxBytes: MAX_BATCH_BYTES, claimModel: false }, table: ['dynamodb:GetItem', 'dynamodb:PutItem'], writes: ['settlement'], indexes: [], sendsToQueue: true, query: [] },
  { name: 'get', method: 'GET', path: '/claims/{hospitalId}/{claimId}', roles: ['hospital', 'operator'], body: { kind: 'none' }, table: claimRead, writes: [], indexes: [], sendsToQueue: false, query: [] },
  { name: 'fhir', method: 'GET', path: '/claims/{hospitalId}/{claimId}/fhir', roles: ['hospital', 'operator'], body: { kind: 'none' }, table: claimRead, writes: [], indexes: [], sendsToQueue: false, query: [] },
  // The printable slip (HTML): the settlement, and the registry's member and hospital for the names.
  { name: 'slip', method: 'GET', path: '/claims/{hospitalId}/{claimId}/slip', roles: ['hospital', 'operator'], body: { kind: 'none' }, table: claimRead, writes: [], indexes: [], sendsToQueue: false, query: ['paper'] },
  {
    name: 'reverse',
    method: 'POST',
    path: '/claims/{hospitalId}/{claimId}/reversal',
    roles: ['hospital'],
    body: { kind: 'none' },
    // A correction (functions/lib/corrections.ts): the pending mark on the totals, each new version's
    // Put and its claim's Update, the totals' final Put; reads follow the member-year's chain.
    table: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
    writes: ['settlement', 'totals', 'revision'],
    indexes: [],
    sendsToQueue: false,
    query: [],
  },
  {
    name: 'replace',
    method: 'POST',
    path: '/claims/{hospitalId}/{claimId}/replacement',
    roles: ['hospital'],
    // The corrected claim, as POST /claims takes one.
    body: { kind: 'json' },
    table: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
    writes: ['settlement', 'totals', 'revision'],
    indexes: [],
    sendsToQueue: false,
    query: [],
  },
  {
    name: 'member',
    method: 'GET',
    path: '/members/{memberId}/years/{year}',
    roles: ['operator'],
    body: { kind: 'none' },
    table: claimRead,
    writes: [],
    indexes: [],
    sendsToQueue: false,
    query: [],
  },
  {
    name: 'statement',
    method: 'GET',
    path: '/hospitals/{hospitalId}/statements',
    roles: ['hospital', 'operator'],
    body: { kind: 'none' },
    table: claimRead,
    writes: [],
    indexes: ['byHospitalOrder'],
    sendsToQueue: false,
    query: ['from', 'to', 'format'],
  },
  {
    name: 'reconcile',
    method: 'POST',
    path: '/hospitals/{hospitalId}/reconciliations',
    roles: ['hospital', 'operator'],
    body: { kind: 'upload', mediaTypes: ['text/csv', 'application/x-ndjson', 'application/jsonl', 'text/plain'] },
    table: claimRead,
    writes: [],
    indexes: ['byHospitalOrder'],
    sendsToQueue: false,
    query: ['from', 'to'],
  },
  {
    name: 'feed',
    method: 'GET',
    path: '/hospitals/{hospitalId}/settlements',
    roles: ['hospital', 'operator'],
    body: { kind: 'none' },
    table: ['dynamodb:GetItem', 'dynamodb:BatchGetItem'],
    writes: [],
    indexes: ['byHospitalOrder'],
    sendsToQueue: false,
    query: ['after', 'limit'],
  },
  {
    name: 'upload',
    method: 'POST',
    path: '/hospitals/{hospitalId}/uploads',
    roles: ['hospital'],
    body: { kind: 'none' },
    table: [],
    writes: [],
    indexes: [],
    sendsToQueue: false,
    query: [],
    signsUploads: true,
  },
  // The national interface's gateway (functions/gateway/): every transaction is one POST of an
  // envelope; some clients append the infno. The body is an envelope, not a claim: no claim model, and
  // up to the upload limit (a fee upload can carry thousands of lines).
  { name: 'national', path: '/fsi/api/rsfComIfsService/callService', ...NATIONAL_ROUTE },
  { name: 'national-infno', path: '/fsi/api/rsfComIfsService/callService/{infno}', ...NATIONAL_ROUTE },
] as const satisfies readonly RouteDefinition[];

export type Route = (typeof ROUTES)[number];
export type RouteName = Route['name'];

/** The `{name}` parameters of a path template. */
type ParamsOf<P extends string> = P extends `${string}{${infer Name}}${infer Rest}` ? Name | ParamsOf<Rest> : never;
export type RouteParams<N extends RouteName> = Record<ParamsOf<Extract<Route, { name: N }>['path']>, string>;

/** A request matched against the table. */
export type RouteMatch =
  | { readonly kind: 'route'; readonly route: Route; readonly params: Record<string, string> }
  | { readonly kind: 'not-found' }
  | { readonly kind: 'method-not-allowed'; readonly allowed: readonly HttpMethod[] }
  | { readonly kind: 'bad-path'; readonly param: string; readonly message: string };

const segmentsOf = (template: string): string[] => template.split('/').filter((s) => s !== '');

/** Decodes one path segment; malformed percent-encoding is the client's mistake, not ours. */
function decodeSegment(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}

/**
 * Finds the route of a request. Every parameter is decoded and checked against the contract's
 * identifier length before any handler runs, so no store is ever asked for a key it cannot hold.
 */
export function matchRoute(method: string, path: string): RouteMatch {
  const raw = path.split('/').filter((s) => s !== '');
  const allowed: HttpMethod[] = [];
  for (const route of ROUTES) {
    const template = segmentsOf(route.path);
    if (template.length !== raw.length) continue;
    const params: Record<string, string> = {};
    let fits = true;
    let problem: RouteMatch | undefined;
    for (const [index, part] of template.entries()) {
      const segment = raw[index]!;
      if (part.startsWith('{')) {
        const name = part.slice(1, -1);
        const value = decodeSegment(segment);
        if (value === undefined) problem ??= { kind: 'bad-path', param: name, message: 'is not valid percent-encoded UTF-8' };
        else {
          // The contract's one form of an id (shared/contract/ids.ts): two spellings never reach a store.
          const wrong = idProblem(value);
          if (wrong === undefined) params[name] = value;
          else problem ??= { kind: 'bad-path', param: name, message: wrong };
        }
      } else if (segment !== part) {
        fits = false;
        break;
      }
    }
    if (!fits) continue;
    if (route.method !== method) {
      allowed.push(route.method);
      continue;
    }
    return problem ?? { kind: 'route', route, params };
  }
  return allowed.length > 0 ? { kind: 'method-not-allowed', allowed } : { kind: 'not-found' };
}

/** The execute-api `METHOD/path` patterns a role may invoke (path parameters as `*`). */
export function routePatternsFor(role: Role): string[] {
  return ROUTES.filter((route) => (route.roles as readonly Role[]).includes(role)).map(
    (route) => `${route.method}${route.path.replace(/\{[^}]+\}/g, '*')}`,
  );
}

/**
 * The DynamoDB actions, written item kinds and indexes the intake needs for all its routes: what its
 * role is granted (its writes only on the keys of `writes`).
 */
export function intakeTableAccess(): { actions: TableAction[]; writes: ItemKind[]; indexes: IndexName[]; sendsToQueue: boolean; signsUploads: boolean } {
  const actions = new Set<TableAction>();
  const writes = new Set<ItemKind>();
  const indexes = new Set<IndexName>();
  for (const route of ROUTES) {
    for (const action of route.table) actions.add(action);
    for (const kind of route.writes) writes.add(kind);
    for (const index of route.indexes) indexes.add(index);
  }
  return {
    actions: [...actions].sort(),
    writes: [...writes].sort(),
    indexes: [...indexes].sort(),
    sendsToQueue: ROUTES.some((route) => route.sendsToQueue),
    signsUploads: ROUTES.some((route) => 'signsUploads' in route && route.signsUploads),
  };
}
