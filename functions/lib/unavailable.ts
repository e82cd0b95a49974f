/**
 * Telling "a store or queue could not be reached" from a defect: the first is `503` with
 * `Retry-After` (the caller retries, nothing was promised), the second `500`. Neither answer carries
 * the error's text, which may name an internal address or port.
 */

/** Seconds a caller is asked to wait before retrying after a 503. */
export const RETRY_AFTER_SECONDS = 5;

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED', 'UND_ERR_SOCKET']);
const NETWORK_NAMES = new Set(['TimeoutError', 'AbortError', 'RequestTimeout', 'RequestTimeoutException']);
const THROTTLING = new Set([
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'LimitExceededException',
  'TransactionInProgressException',
  'KMSThrottlingException',
]);

interface SdkLike {
  readonly name?: string;
  readonly code?: string;
  readonly $fault?: 'client' | 'server';
  readonly $metadata?: { readonly httpStatusCode?: number };
  readonly cause?: unknown;
}

/**
 * Whether an error means a dependency (DynamoDB, SQS, KMS) was unreachable, timed out, throttled or
 * failed on its side, so the same request may succeed later.
 */
export function isUnavailable(error: unknown, depth = 0): boolean {
  if (error === null || typeof error !== 'object' || depth > 4) return false;
  const e = error as SdkLike;
  if ((e.code && NETWORK_CODES.has(e.code)) || (e.name && NETWORK_NAMES.has(e.name))) return true;
  if (e.name && THROTTLING.has(e.name)) return true;
  if (e.$fault === 'server') return true;
  if (e.$metadata && e.$fault === undefined && (e.$metadata.httpStatusCode ?? 0) >= 500) return true;
  // Networking errors arrive wrapped (fetch's TypeError, the SDK's own) with the socket error as cause.
  if (error instanceof AggregateError && error.errors.some((inner) => isUnavailable(inner, depth + 1))) return true;
  return isUnavailable(e.cause, depth + 1);
}
