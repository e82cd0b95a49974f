/**
 * The cold-start baseline: a handler holding only the bare DynamoDB and SQS clients, created at module
 * scope. `npm run bench` bundles it with the stack's options (infra/functions.ts HANDLER_BUNDLING) and
 * compares each real handler's import-and-init time with this one's.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';

const db = new DynamoDBClient({});
const sqs = new SQSClient({});

/** Answers without calling anything: the benchmark times the import and the first invocation. */
export const handler = async (): Promise<{ clients: number }> => ({ clients: [db, sqs].length });
