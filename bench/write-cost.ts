/**
 * The write cost of the pipeline's operations, from item sizes (see item-size.ts for the rules):
 * a standard write costs 1 unit per started KB (an update is billed on the larger of the item before
 * and after it); each keys-only index entry written with an item costs 1 unit per started KB. No
 * operation of the settle path is a transaction (docs/storage.md, "Settling without a transaction").
 */
import { type Item, indexEntrySize, itemSize, standardWriteUnits } from '../functions/storage/item-size.js';
import { ATTR, ORDER_INDEX } from '../functions/storage/table.js';

export interface WriteCost {
  /** Bytes billed for each item write. */
  readonly itemBytes: readonly number[];
  /** Bytes of each index entry written. */
  readonly indexBytes: readonly number[];
  readonly units: number;
}

const unitsOf = (itemBytes: readonly number[], indexBytes: readonly number[]): number =>
  [...itemBytes, ...indexBytes].reduce((sum, size) => sum + standardWriteUnits(size), 0);

/** The order index entry an item carries, if any (keys only: the table key and the index keys). */
const orderEntry = (item: Item): number[] => [indexEntrySize(item, [ATTR.key], [ORDER_INDEX.partition, ORDER_INDEX.sort])].filter((size) => size > 0);

/**
 * Cost of accepting a claim at the door (docs/storage.md, "Accepted claims and the sweeper"): the
 * accepted record's conditional put and its entry in the keys-only order index.
 */
export function acceptedWriteCost(accepted: Item): WriteCost {
  const itemBytes = [itemSize(accepted)];
  const indexBytes = orderEntry(accepted);
  return { itemBytes, indexBytes, units: unitsOf(itemBytes, indexBytes) };
}

/**
 * Cost of settling a claim over its accepted record: the totals put that adds it to its member-year's
 * chain, then the update of the record into the settlement, billed on the larger of the item before
 * (the accepted record) and after (the record with the settlement's attributes). The order index
 * keys do not change, so no index entry is written.
 */
export function settleOverAcceptedWriteCost(accepted: Item, settlement: Item, totals: Item): WriteCost {
  const after = { ...accepted, ...settlement } as Item;
  const itemBytes = [itemSize(totals), Math.max(itemSize(accepted), itemSize(after))];
  return { itemBytes, indexBytes: [], units: unitsOf(itemBytes, []) };
}

/**
 * Cost of one new version a correction makes: the version's put and its order index entry, and the
 * update that points its claim at it (billed on the claim item's size).
 */
export function versionWriteCost(version: Item, claimItem: Item): WriteCost {
  const itemBytes = [itemSize(version), itemSize(claimItem)];
  const indexBytes = orderEntry(version);
  return { itemBytes, indexBytes, units: unitsOf(itemBytes, indexBytes) };
}

/**
 * Cost of a correction's own bookkeeping on the totals item: the pending mark (an update billed on
 * the totals with the marker, which also enters the order index for the sweeper) and the final put
 * that removes it (and its index entry).
 */
export function correctionMarkWriteCost(totalsWithMarker: Item, totalsAfter: Item): WriteCost {
  const itemBytes = [itemSize(totalsWithMarker), Math.max(itemSize(totalsWithMarker), itemSize(totalsAfter))];
  const entry = orderEntry(totalsWithMarker);
  const indexBytes = [...entry, ...entry];
  return { itemBytes, indexBytes, units: unitsOf(itemBytes, indexBytes) };
}

/** The attributes the settlement adds to a claim's accepted record (items.ts `settlementItem`). */
const SETTLEMENT_ATTRS = [ATTR.payload, ATTR.memberYear, ATTR.discharged, ATTR.previous] as const;

/**
 * Cost of a settled claim all in, from its stored item and its member-year's totals item: the
 * accepted record (the stored item without the settlement's attributes) and its index entry at the
 * door, then the totals put and the record's update (billed on the stored, larger, item).
 */
export function settledClaimWriteCost(stored: Item, totals: Item): WriteCost {
  const accepted = Object.fromEntries(Object.entries(stored).filter(([name]) => !(SETTLEMENT_ATTRS as readonly string[]).includes(name))) as Item;
  const door = acceptedWriteCost(accepted);
  const settle = settleOverAcceptedWriteCost(accepted, stored, totals);
  return { itemBytes: [...door.itemBytes, ...settle.itemBytes], indexBytes: door.indexBytes, units: door.units + settle.units };
}

/**
 * Cost of reversing a claim with no later claim to re-settle, from its stored item and totals: its
 * reversed version (about its own size, with its index entry), the update pointing the claim at it,
 * and the totals' pending mark and final put.
 */
export function reversalWriteCost(stored: Item, totals: Item): WriteCost {
  const version = { [ATTR.key]: stored[ATTR.key], [ATTR.payload]: stored[ATTR.payload], [ATTR.status]: { S: 'reversed' }, [ATTR.order]: stored[ATTR.order], [ATTR.hospital]: stored[ATTR.hospital] } as Item;
  const made = versionWriteCost(version, stored);
  const marked = correctionMarkWriteCost({ ...totals, [ATTR.hospital]: { S: ' corrections' }, [ATTR.order]: stored[ATTR.order], [ATTR.pendingCorrection]: { B: new Uint8Array(120) } } as Item, totals);
  return { itemBytes: [...made.itemBytes, ...marked.itemBytes], indexBytes: [...made.indexBytes, ...marked.indexBytes], units: made.units + marked.units };
}
