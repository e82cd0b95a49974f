/**
 * `GET /hospitals/{hospitalId}/settlements?after=CURSOR[&limit=N]`: a hospital's settlement feed.
 *
 * Up to 100 outcomes per page in the order the hospital's claims were accepted (and corrections
 * made), read from the order index (one Query of keys and one BatchGetItem per page, never a scan): each claim's first settlement (or its failure), and each version a correction made. A page
 * stops before the first claim not yet settled or failed, so no outcome is ever skipped. Each page
 * ends with an opaque cursor that resumes after its last entry; a HIS keeps the last cursor it
 * processed and learns every outcome exactly once with one request per page instead of one GET per claim.
 *
 * The feed serves only entries older than a short lag: the index follows the table within a second,
 * so an entry could otherwise appear behind a cursor already handed out.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { Caller } from '../storage/keys-store.js';
import { parseSettlementKey, revisionKey, settlementKey } from '../storage/keys.js';
import type { FeedPosition, OrderEntry } from '../storage/order-index.js';
import type { SettlementStore } from '../storage/settlements.js';
import { MAX_FEED_PAGE } from './routes.js';

/** Default lag of the feed behind the clock: one settle transaction and the index's propagation, with margin. */
export const DEFAULT_FEED_LAG_MS = 5_000;

export interface FeedDeps {
  readonly settlements: Pick<SettlementStore, 'hospitalFeedPage'>;
  /** How far behind the clock the feed stays (default DEFAULT_FEED_LAG_MS). */
  readonly lagMs?: number;
  readonly now?: () => Date;
}

/** A cursor that cannot be read back, or belongs to another hospital's feed. */
export class InvalidCursorError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InvalidCursorError';
  }
}

/** The opaque cursor of a feed position: base64url of `{"o": order, "k": claim key}`. */
export function encodeCursor(position: FeedPosition): string {
  return Buffer.from(JSON.stringify({ o: position.order, k: position.key })).toString('base64url');
}

/**
 * Reads a cursor back and checks it is a position of this hospital's feed.
 * @throws InvalidCursorError naming what is wrong.
 */
export function decodeCursor(cursor: string, hospitalId: string): FeedPosition {
  if (!/^[A-Za-z0-9_-]{1,2048}$/.test(cursor)) throw new InvalidCursorError('is not a cursor of this feed (base64url text)');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch (cause) {
    throw new InvalidCursorError('is not a cursor of this feed', { cause });
  }
  const { o, k } = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as { o?: unknown; k?: unknown };
  if (typeof o !== 'string' || typeof k !== 'string') throw new InvalidCursorError('is not a cursor of this feed');
  if (!positionNamesHospital(o, k, hospitalId)) {
    throw new InvalidCursorError(`is not a cursor of hospital ${hospitalId}'s feed`);
  }
  return { order: o, key: k };
}

/** Whether a position is one of the hospital's: an entry of its claims or of their versions. */
function positionNamesHospital(order: string, key: string, hospitalId: string): boolean {
  if (!order.endsWith(`#${key}`)) return false;
  const claimKey = key.startsWith('R#') ? `C#${key.slice(2, key.lastIndexOf('#'))}` : key;
  try {
    const { hospitalId: owner, claimId } = parseSettlementKey(claimKey);
    if (owner !== hospitalId || claimKey !== settlementKey(owner, claimId)) return false;
    return key === claimKey || key === revisionKey(owner, claimId, Number(key.slice(key.lastIndexOf('#') + 1)));
  } catch {
    return false;
  }
}

const json = (statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: { 'content-type': 'application/json; charset=utf-8' },
  body: JSON.stringify(body),
});
const invalid = (path: string, message: string) => json(400, { error: 'INVALID_REQUEST', issues: [{ path, message }] });

/**
 * One feed entry: a settlement version (the claim's ids, its status, version and time, what changed
 * for a correction's version, the settlement as `GET /claims/{h}/{c}` gives it), or a claim that failed.
 */
function entryOf(entry: OrderEntry) {
  if (entry.kind === 'failed') {
    const { code, message, at } = entry.failure as { code?: string; message?: string; at?: string };
    return { hospitalId: entry.hospitalId, claimId: entry.claimId, status: 'failed', error: code, message, at };
  }
  const stored = entry.settlement;
  const { hospitalId, claimId } = parseSettlementKey(stored.key);
  return {
    hospitalId,
    claimId,
    status: stored.status,
    version: stored.version,
    settledAt: stored.settledAt,
    ...(stored.reversedAt ? { reversedAt: stored.reversedAt } : {}),
    ...(stored.adjustment ? { adjustment: stored.adjustment, cause: stored.cause } : {}),
    settlement: stored.settlement,
  };
}


/** Answers the feed route for an authenticated caller: the hospital's own key or an operator key. */
export async function answerFeedRoute(deps: FeedDeps, caller: Caller, hospitalId: string, event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  if (!(caller.role === 'operator' || (caller.role === 'hospital' && caller.id === hospitalId))) {
    return json(403, { error: 'FORBIDDEN', message: `this key may not read the settlements of hospital ${hospitalId}` });
  }
  const query = new URLSearchParams(event.rawQueryString ?? '');
  const after = query.get('after') ?? event.queryStringParameters?.['after'] ?? undefined;
  const limitText = query.get('limit') ?? event.queryStringParameters?.['limit'] ?? undefined;
  let limit = MAX_FEED_PAGE;
  if (limitText !== undefined) {
    if (!/^\d{1,3}$/.test(limitText) || Number(limitText) < 1 || Number(limitText) > MAX_FEED_PAGE) return invalid('limit', `must be a whole number from 1 to ${MAX_FEED_PAGE}`);
    limit = Number(limitText);
  }
  let position: FeedPosition | undefined;
  if (after !== undefined && after !== '') {
    try {
      position = decodeCursor(after, hospitalId);
    } catch (cause) {
      if (cause instanceof InvalidCursorError) return invalid('after', cause.message);
      throw cause;
    }
  }
  const until = new Date((deps.now?.() ?? new Date()).getTime() - (deps.lagMs ?? DEFAULT_FEED_LAG_MS)).toISOString();
  const page = await deps.settlements.hospitalFeedPage(hospitalId, position, until, limit);
  const resumeAt = page.last ?? position;
  return json(200, {
    hospitalId,
    settlements: page.entries.map(entryOf),
    // Where to resume: after this page's last entry (or where the caller already was, on an empty page).
    next: resumeAt ? encodeCursor(resumeAt) : null,
    more: page.more,
  });
}
