/**
 * The storage adapter's stores, one per concern, over the pipeline's one DynamoDB table. Handlers take
 * the stores they use; `openStores` builds them all on one client.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { AcceptedStore } from './accepted.js';
import { CorrectionStore } from './corrections.js';
import { FailureStore } from './failures.js';
import type { FieldCipher } from './field-crypto.js';
import { KeyStore } from './keys-store.js';
import { RegistryStore } from './registry-store.js';
import { SettlementStore } from './settlements.js';
import { NationalStore } from './visits.js';

export interface Stores {
  readonly settlements: SettlementStore;
  /** Pending corrections and the settlement versions they make. */
  readonly corrections: CorrectionStore;
  readonly registry: RegistryStore;
  readonly keys: KeyStore;
  readonly failures: FailureStore;
  /** Claims accepted by the intake, until their settlement replaces the record. */
  readonly accepted: AcceptedStore;
  /** The national interface's visits, message log and catalogue. */
  readonly national: NationalStore;
}

/**
 * Every store on one DynamoDB client and table. `fieldCipher`: the key of the members' names and ID
 * numbers, for the functions that write or show them (none on the settle path).
 */
export function openStores(db: DynamoDBClient, tableName: string, fieldCipher?: FieldCipher): Stores {
  return {
    settlements: new SettlementStore(db, tableName),
    corrections: new CorrectionStore(db, tableName),
    registry: new RegistryStore(db, tableName, fieldCipher),
    keys: new KeyStore(db, tableName),
    failures: new FailureStore(db, tableName),
    accepted: new AcceptedStore(db, tableName),
    national: new NationalStore(db, tableName),
  };
}
