/**
 * DynamoDB item sizes and write units, computed by AWS's published rules rather than measured:
 * DynamoDB Local reports a fixed ConsumedCapacity whatever the item size, so the write cost per
 * settled claim must come from the items themselves.
 *
 * Rules (DynamoDB developer guide, "Item sizes and formats"): an item's size is the sum of its
 * attribute names' UTF-8 lengths and its values' sizes. A string is its UTF-8 length, a binary its
 * byte length, a number about one byte per two significant digits plus one, a boolean or null one
 * byte, a list or map 3 bytes plus one byte per element plus its elements (map keys count as names).
 * A global secondary index entry is its index keys, the table's primary key, the projected
 * attributes and 100 bytes of overhead.
 */

/** The attribute value shapes of DynamoDB's wire format (structurally the SDK's AttributeValue). */
export type AttrValue =
  | { S: string }
  | { N: string }
  | { B: Uint8Array }
  | { BOOL: boolean }
  | { NULL: true }
  | { M: Record<string, AttrValue> }
  | { L: AttrValue[] }
  | { SS: string[] }
  | { NS: string[] }
  | { BS: Uint8Array[] };

export type Item = Record<string, AttrValue>;

const utf8 = (text: string): number => Buffer.byteLength(text, 'utf8');

/** Size of a number: one byte per two significant digits (leading and trailing zeros trimmed), plus one. */
export function numberSize(text: string): number {
  const digits = text.replace(/^[-+]/, '').replace(/[eE].*$/, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  return Math.ceil(Math.max(digits.length, 1) / 2) + 1;
}

/** Size of one attribute value, without its name. */
export function valueSize(value: AttrValue): number {
  if ('S' in value) return utf8(value.S);
  if ('N' in value) return numberSize(value.N);
  if ('B' in value) return value.B.byteLength;
  if ('BOOL' in value || 'NULL' in value) return 1;
  if ('SS' in value) return value.SS.reduce((size, s) => size + utf8(s), 0);
  if ('NS' in value) return value.NS.reduce((size, n) => size + numberSize(n), 0);
  if ('BS' in value) return value.BS.reduce((size, b) => size + b.byteLength, 0);
  if ('L' in value) return 3 + value.L.reduce((size, element) => size + 1 + valueSize(element), 0);
  return 3 + Object.entries(value.M).reduce((size, [name, element]) => size + 1 + utf8(name) + valueSize(element), 0);
}

/** Size in bytes of an item as DynamoDB bills it. */
export function itemSize(item: Item): number {
  return Object.entries(item).reduce((size, [name, value]) => size + utf8(name) + valueSize(value), 0);
}

/** Size of the entry an item writes into a global secondary index; 0 when the item lacks the index keys (sparse index). */
export function indexEntrySize(item: Item, tableKeys: readonly string[], indexKeys: readonly string[], projected: readonly string[] = []): number {
  if (indexKeys.some((name) => item[name] === undefined)) return 0;
  const names = new Set([...tableKeys, ...indexKeys, ...projected]);
  let size = 100;
  for (const name of names) {
    const value = item[name];
    if (value !== undefined) size += utf8(name) + valueSize(value);
  }
  return size;
}

/** Write units of one item written in a transaction: 2 per started KB. */
export function transactionalWriteUnits(size: number): number {
  return 2 * Math.max(1, Math.ceil(size / 1024));
}

/** Write units of one standard write (also what a GSI entry update costs): 1 per started KB. */
export function standardWriteUnits(size: number): number {
  return Math.max(1, Math.ceil(size / 1024));
}
