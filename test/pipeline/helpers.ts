/** Shared helpers of the pipeline's integration tests: a local stack with the generated registry, API calls, table reads. */
import { ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { expect } from 'vitest';
import type { ClaimInput } from '../../shared/contract/claim.js';
import type { SettlementJson, YearToDateJson } from '../../shared/engine/settlement.js';
import { parseMoney } from '../../shared/money/money.js';
import type { Item } from '../../functions/storage/item-size.js';
import { type StoredSettlement, readSettlementItem } from '../../functions/storage/items.js';
import { parseRegistry, type RegistryFileInput } from '../../shared/registry/registry.js';
import { loadRegistry } from '../../functions/lib/registry-loader.js';
import { javaMajorVersion, JAVA_HELP } from '../../local/servers.js';

/** A member's totals before the first claim of a year, as the contract's JSON states them. */
export const ZERO_TOTALS = {
  admissions: 0,
  basicPaid: '0.00',
  outpatientPaid: '0.00',
  compliantSelfPay: '0.00',
  catastrophicPaid: '0.00',
  assistancePaid: '0.00',
  outpatientDeductibleUsed: '0.00',
  seriousDiseasePaid: '0.00',
  specialOutpatientDeductibleTaken: false,
};
import { type LocalStack, type StackOptions, startLocalStack } from '../../local/stack.js';

/** Fails clearly when Java is missing: CI installs it, a developer must. */
export function requireJavaForTests(): void {
  const major = javaMajorVersion();
  if (major === undefined || major < 17) throw new Error(`these integration tests start DynamoDB Local. ${JAVA_HELP}`);
}

export interface TestStack {
  readonly stack: LocalStack;
  /** API keys by `hospital:ID` / `operator:ID`. */
  readonly keys: Record<string, string>;
}

export async function startTestStack(registry: RegistryFileInput, options: StackOptions = {}): Promise<TestStack> {
  requireJavaForTests();
  const stack = await startLocalStack({ logLevel: 'SILENT', ...options });
  try {
    const issued = await loadRegistry(stack.stores, parseRegistry(registry));
    const keys: Record<string, string> = {};
    for (const key of issued) if (key.apiKey) keys[`${key.role}:${key.id}`] = key.apiKey;
    return { stack, keys };
  } catch (error) {
    await stack.stop();
    throw error;
  }
}

export interface ApiAnswer {
  readonly status: number;
  readonly body: Record<string, unknown> & { status?: string; settlement?: SettlementJson; error?: string };
}

/** One API call; retries only when the connection itself fails. */
export async function api(base: string, method: string, path: string, apiKey?: string, body?: unknown): Promise<ApiAnswer> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(apiKey ? { 'x-api-key': apiKey } : {}) },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as ApiAnswer['body']) : {} };
}

/**
 * Submits a claim with its hospital's key and expects it accepted: 202 `queued`, or (an identical
 * resend of a claim already settled) 200 with its current status.
 */
export async function submit(test: TestStack, claim: ClaimInput): Promise<void> {
  const answer = await api(test.stack.apiUrl, 'POST', '/claims', test.keys[`hospital:${claim.hospital.id}`], claim);
  if (answer.status === 200) expect(answer.body.status, JSON.stringify(answer.body)).toMatch(/^(settled|rejected|reversed)$/);
  else expect(answer.status, JSON.stringify(answer.body)).toBe(202);
}

/** Runs tasks with at most `limit` in flight. */
export async function inParallel<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await task(items[next++] as T);
    }),
  );
}

/** Every item of the table whose key starts with `prefix` (tests may scan; request paths never do). */
export async function scanItems(stack: LocalStack, prefix: string): Promise<Item[]> {
  const items: Item[] = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await stack.db.send(
      new ScanCommand({
        TableName: stack.tableName,
        FilterExpression: 'begins_with(pk, :p)',
        ExpressionAttributeValues: { ':p': { S: prefix } },
        ConsistentRead: true,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    items.push(...((page.Items ?? []) as unknown as Item[]));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/** Every settlement in the table (accepted claims still queued are no settlements yet). */
export async function storedSettlements(stack: LocalStack): Promise<StoredSettlement[]> {
  return (await scanItems(stack, 'C#')).filter((item) => !('S' in (item['st'] ?? {}) && (item['st'] as { S: string }).S === 'queued')).map(readSettlementItem);
}

const fen = (text: string): number => parseMoney(text);

/**
 * Checks one member-year: the settled (non-reversed) settlements form a single chain from zero totals
 * (each settled against exactly the totals the previous one left, so none was computed on stale
 * totals), the stored totals are the chain's end, and they equal the sum of the settlements' payments.
 */
export function assertMemberYearConsistent(settlements: readonly StoredSettlement[], totals: YearToDateJson, cap?: number): void {
  const settled = settlements.filter((s) => s.status === 'settled');
  const byBefore = new Map<string, StoredSettlement>();
  for (const s of settled) {
    const before = JSON.stringify(s.before);
    expect(byBefore.has(before), `two settlements computed on the same totals ${before}`).toBe(false);
    byBefore.set(before, s);
  }
  let current = JSON.stringify(ZERO_TOTALS);
  for (let i = 0; i < settled.length; i++) {
    const next = byBefore.get(current);
    expect(next, `no settlement continues the chain at ${current}`).toBeDefined();
    current = JSON.stringify(next?.settlement.yearToDate);
  }
  expect(JSON.parse(current)).toEqual(totals);
  const sum = (key: 'basic' | 'catastrophic' | 'assistance'): number => settled.reduce((s, x) => s + fen(x.settlement.amounts[key]), 0);
  expect(fen(totals.basicPaid)).toBe(sum('basic'));
  expect(fen(totals.catastrophicPaid)).toBe(sum('catastrophic'));
  expect(fen(totals.assistancePaid)).toBe(sum('assistance'));
  expect(totals.admissions).toBe(settled.filter((s) => s.settlement.path === 'inpatient').length);
  if (cap !== undefined) for (const s of settled) expect(fen(s.settlement.yearToDate.basicPaid)).toBeLessThanOrEqual(cap);
}
