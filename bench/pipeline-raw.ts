/**
 * DynamoDB Local's raw rate for the pipeline's own transaction, with no pipeline around it: the same
 * two-item TransactWriteItems the settle handler sends (settlement put conditioned on
 * `attribute_not_exists(pk)`, totals put conditioned on the version read), with items copied from
 * real stored ones (same attributes, same sizes, same index keys), from `inFlight` concurrent lanes
 * that each own one member's totals, as distinct FIFO message groups would.
 * Optionally each transaction is preceded by the settle handler's consistent BatchGetItem of 4 keys.
 */
import { BatchGetItemCommand, type AttributeValue, type DynamoDBClient, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { performance } from 'node:perf_hooks';
import type { Item } from '../functions/storage/item-size.js';
import { ATTR } from '../functions/storage/table.js';

export interface RawRate {
  readonly inFlight: number;
  readonly withRead: boolean;
  readonly transactions: number;
  readonly seconds: number;
  readonly perSecond: number;
  /** Median latency of one lane's step (read + transaction, or the transaction alone), ms. */
  readonly medianMs: number;
}

let run = 0;

/** Runs transactions for `seconds` from `inFlight` lanes against `table`; items are copies of `settlement` and `totals` with fresh keys. */
export async function rawTransactionRate(
  db: DynamoDBClient,
  table: string,
  settlement: Item,
  totals: Item,
  { inFlight = 16, seconds = 4, withRead = false } = {},
): Promise<RawRate> {
  const tag = `RAW${++run}`;
  const latencies: number[] = [];
  let transactions = 0;
  const started = performance.now();
  const until = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: inFlight }, async (_, lane) => {
      const totalsKey = `T#${tag}-${lane}#2018`;
      let version = 0;
      for (let n = 0; performance.now() < until; n += 1) {
        const settlementKey = `C#${tag}#${lane}-${n}`;
        const stepStart = performance.now();
        if (withRead) {
          const keys = [settlementKey, `M#${tag}-${lane}`, `H#${tag}`, totalsKey].map((key) => ({ [ATTR.key]: { S: key } }));
          await db.send(new BatchGetItemCommand({ RequestItems: { [table]: { Keys: keys, ConsistentRead: true } } }));
        }
        await db.send(
          new TransactWriteItemsCommand({
            TransactItems: [
              {
                Put: {
                  TableName: table,
                  Item: { ...(settlement as Record<string, AttributeValue>), [ATTR.key]: { S: settlementKey } },
                  ConditionExpression: 'attribute_not_exists(#pk)',
                  ExpressionAttributeNames: { '#pk': ATTR.key },
                },
              },
              {
                Put: {
                  TableName: table,
                  Item: { ...(totals as Record<string, AttributeValue>), [ATTR.key]: { S: totalsKey }, [ATTR.version]: { N: String(version + 1) } },
                  ...(version === 0
                    ? { ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': ATTR.key } }
                    : { ConditionExpression: '#v = :read', ExpressionAttributeNames: { '#v': ATTR.version }, ExpressionAttributeValues: { ':read': { N: String(version) } } }),
                },
              },
            ],
          }),
        );
        version += 1;
        transactions += 1;
        latencies.push(performance.now() - stepStart);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { inFlight, withRead, transactions, seconds: elapsed, perSecond: transactions / elapsed, medianMs: latencies[Math.floor(latencies.length / 2)] ?? 0 };
}
