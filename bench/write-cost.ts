/**
 * The write cost of the pipeline's operations, from item sizes (see item-size.ts for the rules):
 * a transactional write costs 2 units per item per started KB; each keys-only index entry written
 * alongside costs 1 unit per started KB (index writes are not transactional writes).
 */
import { type Item, indexEntrySize, itemSize, standardWriteUnits, transactionalWriteUnits } from '../functions/storage/item-size.js';
import { ATTR, HOSPITAL_SETTLED_INDEX, MEMBER_YEAR_INDEX } from '../functions/storage/table.js';

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
