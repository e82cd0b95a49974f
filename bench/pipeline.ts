/**
 * Measures the local pipeline: end-to-end throughput (claims per second from the first POST to the
 * last settlement) and the write units per settled claim, duplicate and reversal, computed from the
 * real stored item sizes (DynamoDB Local's ConsumedCapacity is not meaningful).
 *
 * `npm run bench` runs it (benchPipeline) with a smaller claim count, and in the same run, against the
 * same DynamoDB Local: the raw rate of the same transactions without the pipeline (pipeline-raw.ts)
 * and in-process handler timings for the cost model (handlers.ts).
 *
 * Usage: npm run bench:pipeline [-- --claims 1000 --members 100 --standard --concurrency 4]
 */
import { ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { parseArgs } from 'node:util';
import { loadRegistry } from '../functions/lib/registry-loader.js';
import { reversalWriteCost, settledClaimWriteCost } from './write-cost.js';
import { type Item, itemSize } from '../functions/storage/item-size.js';
import { ATTR } from '../functions/storage/table.js';
import { parseRegistry } from '../shared/registry/registry.js';
import { generatedClaims, generatedRegistry } from '../local/generate.js';
import { startLocalStack, waitFor } from '../local/stack.js';
import { type HandlerTimings, timeHandlers } from './handlers.js';
import { type RawRate, rawTransactionRate } from './pipeline-raw.js';
import { fileURLToPath } from 'node:url';

async function scan(db: import('@aws-sdk/client-dynamodb').DynamoDBClient, table: string, prefix: string): Promise<Item[]> {
  const items: Item[] = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await db.send(
      new ScanCommand({ TableName: table, FilterExpression: 'begins_with(pk, :p)', ExpressionAttributeValues: { ':p': { S: prefix } }, ...(start ? { ExclusiveStartKey: start } : {}) }),
    );
    items.push(...((page.Items ?? []) as unknown as Item[]));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}


export interface PipelineOptions {
  readonly claims?: number;
  readonly members?: number;
  readonly concurrency?: number;
  readonly standard?: boolean;
  /** Also measure DynamoDB Local's raw transaction rate at these numbers of transactions in flight (none: skip). */
  readonly rawInFlight?: readonly number[];
  readonly rawSeconds?: number;
  /** Also time the handlers in process (for the cost model). */
  readonly handlerTimings?: boolean;
}

export interface Range {
  readonly min: number;
  readonly mean: number;
  readonly max: number;
}

export interface PipelineResult {
  readonly queue: 'FIFO' | 'standard';
  readonly concurrency: number;
  readonly claims: number;
  readonly members: number;
  readonly stored: number;
  readonly submitSeconds: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly settlementBytes: Range;
  readonly totalsBytes: Range;
  readonly indexBytes: Range;
  readonly unitsPerSettled: Range;
  /** Units of a rejected claim (settlement put + index entries, no totals). */
  readonly unitsPerRejected: number;
  readonly reversal: { readonly units: number; readonly settlementBytes: number; readonly totalsBytes: number };
  readonly raw: readonly RawRate[];
  readonly handlers?: HandlerTimings;
}

const range = (values: readonly number[]): Range => {
  if (values.length === 0) return { min: 0, mean: 0, max: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  return { min: sorted[0] ?? 0, mean: values.reduce((s, v) => s + v, 0) / values.length, max: sorted.at(-1) ?? 0 };
};

/** Runs the local pipeline end to end, then (same DynamoDB Local) the raw transaction rate and the handler timings. */
export async function benchPipeline(options: PipelineOptions = {}): Promise<PipelineResult> {
  const count = options.claims ?? 1000;
  const members = options.members ?? 100;
  const concurrency = options.concurrency ?? 4;
  const perMember = Math.ceil(count / members);
  const claims = generatedClaims(members, perMember, 99).slice(0, count);
  const stack = await startLocalStack({ fifo: !options.standard, logLevel: 'SILENT', concurrency, poll: false });
  try {
    const issued = await loadRegistry(stack.stores, parseRegistry(generatedRegistry(members)));
    const keys = new Map(issued.map((k) => [k.id, k.apiKey ?? '']));
    const post = async (body: unknown, hospitalId: string): Promise<void> => {
      const response = await fetch(`${stack.apiUrl}/claims`, { method: 'POST', headers: { 'x-api-key': keys.get(hospitalId) ?? '', 'content-type': 'application/json' }, body: JSON.stringify(body) });
      if (response.status !== 202) throw new Error(`POST /claims: ${response.status} ${await response.text()}`);
    };
    const started = Date.now();
    stack.startPolling();
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < claims.length) {
          const claim = claims[next++];
          if (claim) await post(claim, claim.hospital.id);
        }
      }),
    );
    const submitted = Date.now();
    await waitFor(async () => (await stack.queueDepth()) === 0, 600_000, 100);
    const finished = Date.now();
    const seconds = (finished - started) / 1000;
    await stack.poller?.stop();

    const settlements = await scan(stack.db, stack.tableName, 'C#');
    const totals = new Map((await scan(stack.db, stack.tableName, 'T#')).map((item) => [(item[ATTR.key] as { S: string }).S, item]));
    const anyTotals = [...totals.values()][0] as Item;
    const settled = settlements.filter((item) => (item[ATTR.status] as { S: string }).S === 'settled');
    const rejected = settlements.filter((item) => (item[ATTR.status] as { S: string }).S === 'rejected');
    const costs = settled.map((item) => settledClaimWriteCost(item, anyTotals));
    const sample = (settled[0] ?? settlements[0]) as Item;
    const reversal = reversalWriteCost(sample, anyTotals);

    const raw: RawRate[] = [];
    for (const inFlight of options.rawInFlight ?? []) {
      raw.push(await rawTransactionRate(stack.db, stack.tableName, sample, anyTotals, { inFlight, seconds: options.rawSeconds ?? 4 }));
    }
    if ((options.rawInFlight ?? []).length > 0) {
      const most = Math.max(...(options.rawInFlight ?? []));
      raw.push(await rawTransactionRate(stack.db, stack.tableName, sample, anyTotals, { inFlight: most, seconds: options.rawSeconds ?? 4, withRead: true }));
    }
    const handlers = options.handlerTimings ? await timeHandlers(stack, keys, members) : undefined;

    return {
      queue: options.standard ? 'standard' : 'FIFO',
      concurrency,
      claims: claims.length,
      members,
      stored: settlements.length,
      submitSeconds: (submitted - started) / 1000,
      seconds,
      perSecond: claims.length / seconds,
      settlementBytes: range(costs.map((c) => c.itemBytes[2] ?? 0)),
      totalsBytes: range([...totals.values()].map((t) => itemSize(t))),
      indexBytes: range(costs.flatMap((c) => [...c.indexBytes])),
      unitsPerSettled: range(costs.map((c) => c.units)),
      unitsPerRejected: Math.max(0, ...rejected.map((item) => settledClaimWriteCost(item, anyTotals).units)),
      reversal: { units: reversal.units, settlementBytes: reversal.itemBytes[0] ?? 0, totalsBytes: reversal.itemBytes[2] ?? 0 },
      raw,
      ...(handlers ? { handlers } : {}),
    };
  } finally {
    await stack.stop();
  }
}

const stats = (r: Range): string => `min ${r.min} / mean ${r.mean.toFixed(0)} / max ${r.max}`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      claims: { type: 'string', default: '1000' },
      members: { type: 'string', default: '100' },
      concurrency: { type: 'string', default: '4' },
      standard: { type: 'boolean', default: false },
    },
  });
  const r = await benchPipeline({ claims: Number(values.claims), members: Number(values.members), concurrency: Number(values.concurrency), standard: values.standard });
  const lines = [
    `queue                 ${r.queue}, ${r.concurrency} concurrent settle invocations, batch 10`,
    `claims                ${r.claims} for ${r.members} members; ${r.stored} settlements stored`,
    `submission            ${r.submitSeconds.toFixed(1)} s (${(r.claims / r.submitSeconds).toFixed(0)} POST/s, 16 in flight)`,
    `end to end            ${r.seconds.toFixed(1)} s = ${r.perSecond.toFixed(1)} claims/s (first POST to last settlement)`,
    `settlement item       ${stats(r.settlementBytes)} bytes`,
    `totals item           ${stats(r.totalsBytes)} bytes`,
    `index entries         ${stats(r.indexBytes)} bytes (2 keys-only GSIs)`,
    `write units / claim   ${stats(r.unitsPerSettled)} (transaction: 2 per item per KB; index entries: 1 per KB)`,
    `duplicate             0 write units (found by a consistent read before the transaction)`,
    `reversal              ${r.reversal.units} write units (settlement update ${r.reversal.settlementBytes} B + totals ${r.reversal.totalsBytes} B; index keys unchanged)`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  });
}
