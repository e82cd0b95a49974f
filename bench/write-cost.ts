/**
 * The write cost of the pipeline's operations, from item sizes (see item-size.ts for the rules):
 * a transactional write costs 2 units per item per started KB; each keys-only index entry written
 * alongside costs 1 unit per started KB (index writes are not transactional writes).
 */
import { type Item, indexEntrySize, itemSize, standardWriteUnits, transactionalWriteUnits } from '../functions/storage/item-size.js';
import { ACCEPTED_INDEX, ATTR, HOSPITAL_SETTLED_INDEX, MEMBER_YEAR_INDEX } from '../functions/storage/table.js';

export interface WriteCost {
  /** Bytes of each item written in the transaction. */
  readonly itemBytes: readonly number[];
  /** Bytes of each index entry written. */
  readonly indexBytes: readonly number[];
  readonly units: number;
}

const INDEXES = [MEMBER_YEAR_INDEX, HOSPITAL_SETTLED_INDEX];

function indexEntries(item: Item): number[] {
  return INDEXES.map((index) => indexEntrySize(item, [ATTR.key], [index.partition, index.sort])).filter((size) => size > 0);
}

/** Cost of settling a claim: the settlement put, the totals put (none for a rejected claim) and the settlement's index entries. */
export function settlementWriteCost(settlement: Item, totals?: Item): WriteCost {
  const items = totals ? [settlement, totals] : [settlement];
  const itemBytes = items.map(itemSize);
  const indexBytes = indexEntries(settlement);
  const units = itemBytes.reduce((sum, size) => sum + transactionalWriteUnits(size), 0) + indexBytes.reduce((sum, size) => sum + standardWriteUnits(size), 0);
  return { itemBytes, indexBytes, units };
}

/**
 * Cost of a reversal: the settlement update (billed on the larger of the item before and after) and
 * the totals put. The index keys do not change, and keys-only indexes project nothing else, so no
 * index entry is written.
 */
export function reversalWriteCost(settlementAfter: Item, totals: Item): WriteCost {
  const itemBytes = [itemSize(settlementAfter), itemSize(totals)];
  return { itemBytes, indexBytes: [], units: itemBytes.reduce((sum, size) => sum + transactionalWriteUnits(size), 0) };
}

/**
 * Cost of accepting a claim at the door (docs/storage.md, "Accepted claims and the sweeper"): the
 * accepted record's conditional put and its entry in the keys-only acceptance index.
 */
export function acceptedWriteCost(accepted: Item): WriteCost {
  const itemBytes = [itemSize(accepted)];
  const indexBytes = [indexEntrySize(accepted, [ATTR.key], [ACCEPTED_INDEX.partition, ACCEPTED_INDEX.sort])].filter((size) => size > 0);
  const units = standardWriteUnits(itemBytes[0] as number) + indexBytes.reduce((sum, size) => sum + standardWriteUnits(size), 0);
  return { itemBytes, indexBytes, units };
}

/**
 * Cost of settling a claim over its accepted record: the settlement is an update of that item, billed
 * on the larger of the item before (the accepted record, with the compressed claim) and after (the
 * settlement, which keeps the acceptance keys), plus the totals put and the settlement's index entries.
 */
export function settleOverAcceptedWriteCost(accepted: Item, settlement: Item, totals?: Item): WriteCost {
  const after = { ...settlement, [ATTR.acceptedAt]: accepted[ATTR.acceptedAt], [ATTR.acceptedBucket]: accepted[ATTR.acceptedBucket], [ATTR.claimHash]: accepted[ATTR.claimHash] } as Item;
  const updateBytes = Math.max(itemSize(accepted), itemSize(after));
  const itemBytes = totals ? [updateBytes, itemSize(totals)] : [updateBytes];
  const indexBytes = indexEntries(settlement);
  const units = itemBytes.reduce((sum, size) => sum + transactionalWriteUnits(size), 0) + indexBytes.reduce((sum, size) => sum + standardWriteUnits(size), 0);
  return { itemBytes, indexBytes, units };
}
