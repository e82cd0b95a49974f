/**
 * The records of corrections: the pending-correction marker on a member-year's totals item, and the
 * settlement versions a correction makes (`R#` items) with their claims pointed at them. Each write
 * is conditioned so that repeating it (a resumed correction) changes nothing. docs/storage.md,
 * "Corrections", has the protocol.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { YearToDate } from '../../shared/contract/claim.js';
import { compressJson } from './compression.js';
import { Table, asDb } from './dynamo.js';
import type { Item } from './item-size.js';
import { type PendingCorrection, type VersionedTotals, claimKeyOf, totalsItem } from './items.js';
import { CORRECTIONS_PARTITION, orderKey, totalsKey } from './keys.js';
import { ATTR } from './table.js';

/** The marker's id as a plain attribute, so the final write can be conditioned on it. */
const MARKER_ID = 'pci';

export class CorrectionStore {
  private readonly table: Table;

  constructor(db: DynamoDBClient, tableName: string) {
    this.table = new Table(db, tableName);
  }

  /**
   * Puts a pending correction on the member-year's totals (and into the order index, so the sweeper
   * finds it should nobody carry it out), if the totals are still at the version read and no other
   * correction is pending. @returns false when either moved (nothing written).
   */
  async mark(memberId: string, year: number, read: VersionedTotals, marker: PendingCorrection): Promise<boolean> {
    const key = totalsKey(memberId, year);
    return this.table.updateIf({
      Key: { [ATTR.key]: { S: key } },
      UpdateExpression: 'SET #pc = :pc, #pci = :id, #h = :h, #ao = :ao, #v = :next',
      ConditionExpression: '#v = :read AND attribute_not_exists(#pc)',
      ExpressionAttributeNames: { '#pc': ATTR.pendingCorrection, '#pci': MARKER_ID, '#h': ATTR.hospital, '#ao': ATTR.order, '#v': ATTR.version },
      ExpressionAttributeValues: {
        ':pc': { B: compressJson(marker) },
        ':id': { S: marker.id },
        ':h': { S: CORRECTIONS_PARTITION },
        ':ao': { S: orderKey(marker.at, key) },
        ':read': { N: String(read.version) },
        ':next': { N: String(read.version + 1) },
      },
    });
  }

  /**
   * Writes one version made by a correction: its `R#` item (once), then its claim pointed at it
   * (from the version before it only). A replacement's version also moves the claim's content and
   * hash, so a resend of the corrected content is the same claim.
   */
  async writeVersion(version: Item, replacement?: { readonly hash?: string }): Promise<void> {
    const versionKey = (version[ATTR.key] as { S: string }).S;
    const number = Number(versionKey.slice(versionKey.lastIndexOf('#') + 1));
    await this.table.putIf({ Item: asDb(version), ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': ATTR.key } });
    const sets = ['#cv = :n', ...(replacement ? ['#cc = :n'] : []), ...(replacement?.hash ? ['#ch = :hash'] : [])];
    await this.table.updateIf({
      Key: { [ATTR.key]: { S: claimKeyOf(versionKey) } },
      UpdateExpression: `SET ${sets.join(', ')}`,
      ConditionExpression: number === 2 ? 'attribute_not_exists(#cv)' : '#cv = :prev',
      ExpressionAttributeNames: { '#cv': ATTR.currentVersion, ...(replacement ? { '#cc': ATTR.contentVersion } : {}), ...(replacement?.hash ? { '#ch': ATTR.claimHash } : {}) },
      ExpressionAttributeValues: {
        ':n': { N: String(number) },
        ...(number === 2 ? {} : { ':prev': { N: String(number - 1) } }),
        ...(replacement?.hash ? { ':hash': { B: Buffer.from(replacement.hash, 'base64') } } : {}),
      },
    });
  }

  /**
   * The correction's last write: the totals after the corrected chain, the totals before its last
   * claim, the marker removed (a full put without it, conditioned on the marker still being this one).
   */
  async finish(memberId: string, year: number, read: VersionedTotals, markerId: string, totals: YearToDate, lastBefore: YearToDate): Promise<boolean> {
    const end = read.last ? { last: read.last, lastBefore, ...(read.lastPrevious ? { lastPrevious: read.lastPrevious } : {}) } : undefined;
    return this.table.putIf({
      Item: asDb(totalsItem(memberId, year, totals, read.version + 1, end)),
      ConditionExpression: '#pci = :id',
      ExpressionAttributeNames: { '#pci': MARKER_ID },
      ExpressionAttributeValues: { ':id': { S: markerId } },
    });
  }
}
