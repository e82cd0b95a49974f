/**
 * Measures the local pipeline: end-to-end throughput (claims per second from the first POST to the
 * last settlement) and the write units per settled claim, duplicate and reversal, computed from the
 * real stored item sizes (DynamoDB Local's ConsumedCapacity is not meaningful).
 *
 * Usage: npm run bench:pipeline [-- --claims 1000 --members 100 --standard --concurrency 4]
 */
import { ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { parseArgs } from 'node:util';
import { loadRegistry } from '../functions/lib/registry-loader.js';
import { reversalWriteCost, settlementWriteCost } from '../shared/pipeline/cost.js';
import type { Item } from '../shared/pipeline/item-size.js';
import { ATTR } from '../shared/pipeline/records.js';
import { parseRegistry } from '../shared/pipeline/registry.js';
import { generatedClaims, generatedRegistry } from '../local/generate.js';
import { startLocalStack, waitFor } from '../local/stack.js';

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

const stats = (values: number[]): string => {
  const sorted = [...values].sort((a, b) => a - b);
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  return `min ${sorted[0]} / mean ${mean.toFixed(0)} / max ${sorted.at(-1)}`;
};

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      claims: { type: 'string', default: '1000' },
      members: { type: 'string', default: '100' },
      concurrency: { type: 'string', default: '4' },
      standard: { type: 'boolean', default: false },
    },
  });
  const members = Number(values.members);
  const perMember = Math.ceil(Number(values.claims) / members);
  const claims = generatedClaims(members, perMember, 99).slice(0, Number(values.claims));
  const stack = await startLocalStack({ fifo: !values.standard, logLevel: 'SILENT', concurrency: Number(values.concurrency), poll: false });
  try {
    const issued = await loadRegistry(stack.repository, parseRegistry(generatedRegistry(members)));
    const keys = new Map(issued.map((k) => [k.id, k.apiKey ?? '']));
    const post = async (body: unknown, hospitalId: string): Promise<void> => {
      const response = await fetch(`${stack.apiUrl}/claims`, { method: 'POST', headers: { 'x-api-key': keys.get(hospitalId) ?? '' }, body: JSON.stringify(body) });
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

    const settlements = await scan(stack.db, stack.tableName, 'C#');
    const totals = new Map((await scan(stack.db, stack.tableName, 'T#')).map((item) => [(item[ATTR.key] as { S: string }).S, item]));
    const anyTotals = [...totals.values()][0] as Item;
    const costs = settlements.map((item) => settlementWriteCost(item, (item[ATTR.status] as { S: string }).S === 'settled' ? anyTotals : undefined));
    const reversal = reversalWriteCost({ ...(settlements[0] as Item), [ATTR.reversedAt]: { S: new Date().toISOString() }, [ATTR.status]: { S: 'reversed' } }, anyTotals);
    const lines = [
      `queue                 ${values.standard ? 'standard' : 'FIFO'}, ${values.concurrency} concurrent settle invocations, batch 10`,
      `claims                ${claims.length} for ${members} members; ${settlements.length} settlements stored`,
      `submission            ${((submitted - started) / 1000).toFixed(1)} s (${(claims.length / ((submitted - started) / 1000)).toFixed(0)} POST/s, 16 in flight)`,
      `end to end            ${seconds.toFixed(1)} s = ${(claims.length / seconds).toFixed(1)} claims/s (first POST to last settlement)`,
      `settlement item       ${stats(costs.map((c) => c.itemBytes[0] ?? 0))} bytes`,
      `totals item           ${stats([...totals.values()].map((t) => settlementWriteCost(t).itemBytes[0] ?? 0))} bytes`,
      `index entries         ${stats(costs.flatMap((c) => [...c.indexBytes]))} bytes (2 keys-only GSIs)`,
      `write units / claim   ${stats(costs.map((c) => c.units))} (transaction: 2 per item per KB; index entries: 1 per KB)`,
      `duplicate             0 write units (found by a consistent read before the transaction)`,
      `reversal              ${reversal.units} write units (settlement update ${reversal.itemBytes[0]} B + totals ${reversal.itemBytes[1]} B; index keys unchanged)`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
