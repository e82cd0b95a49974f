/**
 * Key builders of the pipeline's single DynamoDB table. Every identifier is percent-encoded before it
 * is joined with `#`, so a hospital id or claim id that itself contains `#` can never make two
 * different claims share a key (the idempotency key must be unambiguous).
 */

const part = (text: string): string => encodeURIComponent(text);

/**
 * Every kind of item in the table, by the prefix of its partition key (`pk` starts `<prefix>#`). The
 * functions' IAM grants are written from these prefixes (`dynamodb:LeadingKeys`, see
 * {@link leadingKeyPattern} and {@link SETTLE_WRITES}), so a new item kind is one line here plus the
 * writer that owns it: a kind no writer lists can be written by no function, only by an operator.
 */
export const ITEM_KINDS = {
  settlement: 'C',
  failure: 'F',
  totals: 'T',
  member: 'M',
  hospital: 'H',
  apiKey: 'K',
  /** Key id → the hash of its API key (`claims keys`). */
  keyId: 'KI',
  /** The counter that numbers key ids. */
  keyCounter: 'KN',
  /** The national gateway's signing secret, which institution tokens derive from (functions/gateway/signing.ts). */
  signingSecret: 'KS',
  /** A visit of the national interface (就诊), by hospital and mdtrt_id. */
  visit: 'V',
  /** A national-interface message by msgid: its answer for a resend, what a 冲正 undoes. */
  nationalMessage: 'X',
  /** A nonce of a signed national request, kept against replays. */
  nonce: 'N',
  /** An entry (or the header) of the agency catalogue. */
  catalogue: 'L',
  /** A file a hospital uploaded with 9101 for 明细对账. */
  nationalFile: 'U',
  /** The sweeper's watermark (functions/storage/accepted.ts). */
  sweeper: 'S',
  /** A settlement version made by a correction (version 2 on; version 1 is the claim's own item). */
  revision: 'R',
} as const;

export type ItemKind = keyof typeof ITEM_KINDS;

/** The `pk` prefix of an item kind, `#` included (`C#`). */
export function prefixOf(kind: ItemKind): string {
  return `${ITEM_KINDS[kind]}#`;
}

/**
 * The `dynamodb:LeadingKeys` pattern (`ForAllValues:StringLike`) of an item kind: `C#*`. The `#` is part
 * of the pattern, so `K#*` does not match `KI#…` items.
 */
export function leadingKeyPattern(kind: ItemKind): string {
  return `${prefixOf(kind)}*`;
}

/**
 * The item kinds the settle function writes (functions/lib/settler.ts): the settlement and the totals
 * of the member-year chain, the versions a correction makes (it finishes pending corrections), and
 * the failure reason of a claim it cannot settle. The intake's come from its
 * routes (`writes` in functions/intake/routes.ts). Registry and key items are written by operators only.
 */
export const SETTLE_WRITES = ['settlement', 'totals', 'revision', 'failure'] as const satisfies readonly ItemKind[];

/** The settlement of one claim; the idempotency key is hospital id + claim id. */
export function settlementKey(hospitalId: string, claimId: string): string {
  return `${prefixOf('settlement')}${part(hospitalId)}#${part(claimId)}`;
}

/** Splits a settlement key back into its hospital id and claim id. */
export function parseSettlementKey(key: string): { hospitalId: string; claimId: string } {
  const [prefix, hospital, claim] = key.split('#');
  if (prefix !== ITEM_KINDS.settlement || hospital === undefined || claim === undefined) throw new RangeError(`not a settlement key: ${key}`);
  return { hospitalId: decodeURIComponent(hospital), claimId: decodeURIComponent(claim) };
}

/** Why a claim (known by hospital and claim id) could not be settled. */
export function claimFailureKey(hospitalId: string, claimId: string): string {
  return `${prefixOf('failure')}${part(hospitalId)}#${part(claimId)}`;
}

/** Why a queue message that names no claim (e.g. not JSON) could not be settled. */
export function messageFailureKey(messageId: string): string {
  return `${prefixOf('failure')}msg#${part(messageId)}`;
}

/** A member of the registry. */
export function memberKey(memberId: string): string {
  return `${prefixOf('member')}${part(memberId)}`;
}

/** A hospital of the registry. */
export function hospitalKey(hospitalId: string): string {
  return `${prefixOf('hospital')}${part(hospitalId)}`;
}

/** A member's year-to-date totals for one insurance year (the discharge year). */
export function totalsKey(memberId: string, year: number): string {
  return `${prefixOf('totals')}${part(memberId)}#${year}`;
}

/** An API key, stored by the SHA-256 of the key so the table never holds a usable secret. */
export function apiKeyKey(keyHash: string): string {
  return `${prefixOf('apiKey')}${keyHash}`;
}

/** The member-year a settled claim belongs to, as its `my` attribute holds it: `{memberId}#{year}`. */
export function memberYearTag(memberId: string, year: number): string {
  return `${part(memberId)}#${year}`;
}

/** Reads a `my` attribute back. */
export function parseMemberYearTag(tag: string): { memberId: string; year: number } {
  const at = tag.lastIndexOf('#');
  return { memberId: decodeURIComponent(tag.slice(0, at)), year: Number(tag.slice(at + 1)) };
}

/** Version `version` (2 or more) of a claim's settlement, made by a correction. */
export function revisionKey(hospitalId: string, claimId: string, version: number): string {
  return `${prefixOf('revision')}${part(hospitalId)}#${part(claimId)}#${version}`;
}

/** The order index sort key of an item: the time it entered the table, then its key (unique, in order). */
export function orderKey(at: string, key: string): string {
  return `${at}#${key}`;
}

/**
 * The order index partition of pending corrections (on totals items): a value no hospital id can be,
 * since ids have no spaces (the contract's canonical form).
 */
export const CORRECTIONS_PARTITION = ' corrections';

/** The sweeper's list of hospitals: the order index partitions it reads (functions/storage/accepted.ts). */
export const HOSPITAL_DIRECTORY_KEY = `${prefixOf('sweeper')}hospitals`;

/** A visit of the national interface (就诊), by hospital and the mdtrt_id issued at admission. */
export function visitKey(hospitalId: string, mdtrtId: string): string {
  return `${prefixOf('visit')}${part(hospitalId)}#${part(mdtrtId)}`;
}

/** A national-interface message of a hospital, by its msgid: the answer a resend gets, and what a 冲正 undoes. */
export function messageKey(hospitalId: string, msgid: string): string {
  return `${prefixOf('nationalMessage')}${part(hospitalId)}#${part(msgid)}`;
}

/** A nonce of a signed national request (x-tif-nonce), kept so a captured request cannot be replayed. */
export function nonceKey(paasId: string, nonce: string): string {
  return `${prefixOf('nonce')}${part(paasId)}#${part(nonce)}`;
}

/** One entry of the agency catalogue, by national catalogue code (med_list_codg). */
export function catalogueEntryKey(code: string): string {
  return `${prefixOf('catalogue')}${part(code)}`;
}

/** The agency catalogue's header: id, version, source and the serious-disease list. */
export const CATALOGUE_HEADER_KEY = `${prefixOf('catalogue')}!header`;

/** A file a hospital uploaded with 9101 (the detail rows of a 3202), by its file_qury_no. */
export function nationalFileKey(hospitalId: string, fileQueryNo: string): string {
  return `${prefixOf('nationalFile')}${part(hospitalId)}#${part(fileQueryNo)}`;
}

/** The national gateway's signing secret: one item; an institution's token is derived from it, never stored. */
export const SIGNING_SECRET_KEY = `${prefixOf('signingSecret')}national`;

/** The pointer from a key id (`claims keys`) to the hash of its API key. */
export function keyIdKey(keyId: string): string {
  return `${prefixOf('keyId')}${part(keyId)}`;
}

/** The one counter item that numbers key ids. */
export function keyCounterKey(): string {
  return `${prefixOf('keyCounter')}ids`;
}
