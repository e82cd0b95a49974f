/**
 * Why a record could not be settled: a poison record's reason, or a dead-lettered message's, stored
 * under the claim's failure key (or the message's when it names no claim) so `GET /claims/…` can say why.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Table } from './dynamo.js';

/** A stored reason why a record could not be settled. */
export interface FailureRecord {
  readonly code: string;
  readonly message: string;
  readonly details?: unknown;
  readonly messageId: string;
  readonly at: string;
}

export class FailureStore {
  private readonly table: Table;

  constructor(db: DynamoDBClient, tableName: string) {
    this.table = new Table(db, tableName);
  }

  /** The stored failure of a record (by its failure key), or undefined. */
  get(key: string): Promise<FailureRecord | undefined> {
    return this.table.getJson<FailureRecord>(key);
  }

  /** Stores why a record could not be settled (the latest reason wins). */
  async put(key: string, failure: FailureRecord): Promise<void> {
    await this.table.putJson(key, failure);
  }
}
