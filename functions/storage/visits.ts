/**
 * The national interface's state: visits built up over separate calls (admission, fee lines,
 * discharge), the message log that answers a resend with the same msgid and tells a 冲正 what to undo,
 * uploaded files, and the agency catalogue (signed-request nonces are the key store's). Visits and message records are JSON
 * (visits deflate-compressed: a stay can have thousands of lines), each write conditioned on what was
 * read, so two calls about one visit can never both win.
 */
import { BatchWriteItemCommand, ConditionalCheckFailedException, type DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { CatalogueFile } from '../../shared/national/catalogue.js';
import type { VisitState } from '../../shared/national/visit.js';
import { TtlCache } from './cache.js';
import { compressJson, decompressJson } from './compression.js';
import { type DbItem, Table, jsonOf } from './dynamo.js';
import { CATALOGUE_HEADER_KEY, catalogueEntryKey, messageKey, nationalFileKey, visitKey } from './keys.js';
import { ATTR } from './table.js';

/** A visit and the version its next write must find. */
export interface VersionedVisit {
  readonly visit: VisitState;
  readonly version: number;
}

/** What the log keeps of one message. */
export interface MessageRecord {
  readonly infno: string;
  /** A digest of the request's input: the same msgid with another input is refused. */
  readonly digest: string;
  /** pending: being answered; done: `output` is the answer; settling: a 2304 waiting for the pipeline; reversed: undone by 2601. */
  readonly state: 'pending' | 'done' | 'settling' | 'reversed';
  readonly output?: Record<string, unknown>;
  /** What the message did, for a 冲正: the visit, the claim of a settlement. */
  readonly mdtrtId?: string;
  readonly claimId?: string;
  readonly at: string;
}

/** Catalogue entries are read per upload; a container keeps them this long. */
const CATALOGUE_CACHE_MS = 60_000;

const conditionFailed = (error: unknown): boolean => error instanceof ConditionalCheckFailedException || (error as { name?: string })?.name === 'ConditionalCheckFailedException';

export class NationalStore {
  private readonly table: Table;
  private readonly entries = new TtlCache<CatalogueFile['items'][number]>(CATALOGUE_CACHE_MS, 50_000);
  private readonly header = new TtlCache<Omit<CatalogueFile, 'items'>>(CATALOGUE_CACHE_MS, 1);

  constructor(db: DynamoDBClient, tableName: string) {
    this.table = new Table(db, tableName);
  }

  /** A visit, read consistently, or undefined. */
  async getVisit(hospitalId: string, mdtrtId: string): Promise<VersionedVisit | undefined> {
    const item = await this.table.get(visitKey(hospitalId, mdtrtId), true);
    const payload = item?.[ATTR.payload]?.B;
    if (!item || !payload) return undefined;
    return { visit: decompressJson<VisitState>(payload), version: Number(item[ATTR.version]?.N ?? '0') };
  }

  /**
   * Writes a visit if its version is still `readVersion` (0: the visit must not exist yet).
   * @returns false when another call changed the visit first (nothing written).
   */
  async putVisit(visit: VisitState, readVersion: number): Promise<boolean> {
    const item: DbItem = {
      [ATTR.key]: { S: visitKey(visit.hospitalId, visit.mdtrtId) },
      [ATTR.version]: { N: String(readVersion + 1) },
      [ATTR.payload]: { B: compressJson(visit) },
    };
    return this.conditionalPut(item, readVersion === 0 ? 'attribute_not_exists(#k)' : '#v = :read', readVersion === 0 ? { '#k': ATTR.key } : { '#v': ATTR.version }, readVersion === 0 ? undefined : { ':read': { N: String(readVersion) } });
  }

  /** The log record of a message, or undefined. */
  async getMessage(hospitalId: string, msgid: string): Promise<MessageRecord | undefined> {
    return this.table.getJson<MessageRecord>(messageKey(hospitalId, msgid), true);
  }

  /**
   * Claims a msgid for a request (state pending), unless the log has it already.
   * @returns undefined when claimed, else the record found.
   */
  async claimMessage(hospitalId: string, msgid: string, record: MessageRecord): Promise<MessageRecord | undefined> {
    const item: DbItem = { [ATTR.key]: { S: messageKey(hospitalId, msgid) }, data: { S: JSON.stringify(record) } };
    // A released claim (a request that failed) may be claimed again.
    if (await this.conditionalPut(item, 'attribute_not_exists(#k) OR contains(#d, :released)', { '#k': ATTR.key, '#d': 'data' }, { ':released': { S: '"state":"released"' } })) return undefined;
    return (await this.getMessage(hospitalId, msgid)) ?? record;
  }

  /** Records what became of a message. */
  async putMessage(hospitalId: string, msgid: string, record: MessageRecord | { state: 'released'; at: string }): Promise<void> {
    await this.table.putJson(messageKey(hospitalId, msgid), record);
  }

  /** A file uploaded with 9101. */
  async putFile(hospitalId: string, fileQueryNo: string, name: string, content: string): Promise<void> {
    await this.table.put({ [ATTR.key]: { S: nationalFileKey(hospitalId, fileQueryNo) }, [ATTR.payload]: { B: compressJson({ name, content }) } });
  }

  async getFile(hospitalId: string, fileQueryNo: string): Promise<{ name: string; content: string } | undefined> {
    const payload = (await this.table.get(nationalFileKey(hospitalId, fileQueryNo), true))?.[ATTR.payload]?.B;
    return payload === undefined ? undefined : decompressJson<{ name: string; content: string }>(payload);
  }

  /** The catalogue entries of some codes (cached per container), by code; codes the catalogue lacks are absent. */
  async catalogueEntries(codes: readonly string[]): Promise<Map<string, CatalogueFile['items'][number]>> {
    const unique = [...new Set(codes)];
    const found = new Map<string, CatalogueFile['items'][number]>();
    const missing: string[] = [];
    for (const code of unique) {
      const hit = await this.entries.get(code, async () => undefined);
      if (hit) found.set(code, hit);
      else missing.push(code);
    }
    if (missing.length > 0) {
      const items = await this.table.batchGet(missing.map(catalogueEntryKey));
      for (const code of missing) {
        const entry = jsonOf<CatalogueFile['items'][number]>(items.get(catalogueEntryKey(code)));
        if (entry) {
          found.set(code, entry);
          await this.entries.get(code, async () => entry);
        }
      }
    }
    return found;
  }

  /** The catalogue's header (id, version, source, serious diseases), or undefined when none is loaded. */
  catalogueHeader(): Promise<Omit<CatalogueFile, 'items'> | undefined> {
    return this.header.get('header', () => this.table.getJson<Omit<CatalogueFile, 'items'>>(CATALOGUE_HEADER_KEY));
  }

  /** Loads a validated catalogue: its header and one item per entry, 25 per batch write. */
  async loadCatalogue(file: CatalogueFile): Promise<void> {
    const { items, ...header } = file;
    await this.table.putJson(CATALOGUE_HEADER_KEY, header);
    for (let i = 0; i < items.length; i += 25) {
      let request: Record<string, { PutRequest: { Item: DbItem } }[]> | undefined = {
        [this.table.name]: items.slice(i, i + 25).map((entry) => ({ PutRequest: { Item: { [ATTR.key]: { S: catalogueEntryKey(entry.med_list_codg) }, data: { S: JSON.stringify(entry) } } } })),
      };
      for (let round = 0; request && Object.keys(request).length > 0; round++) {
        if (round > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 20 * 2 ** round)));
        const out = await this.table.db.send(new BatchWriteItemCommand({ RequestItems: request }));
        request = out.UnprocessedItems as typeof request;
      }
    }
  }

  private async conditionalPut(item: DbItem, condition: string, names: Record<string, string>, values?: DbItem): Promise<boolean> {
    try {
      await this.table.db.send(new PutItemCommand({ TableName: this.table.name, Item: item, ConditionExpression: condition, ExpressionAttributeNames: names, ...(values ? { ExpressionAttributeValues: values } : {}) }));
      return true;
    } catch (error) {
      if (conditionFailed(error)) return false;
      throw error;
    }
  }
}
