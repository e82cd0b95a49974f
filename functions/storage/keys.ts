/**
 * Key builders of the pipeline's single DynamoDB table. Every identifier is percent-encoded before it
 * is joined with `#`, so a hospital id or claim id that itself contains `#` can never make two
 * different claims share a key (the idempotency key must be unambiguous).
 */

const part = (text: string): string => encodeURIComponent(text);

/** The settlement of one claim; the idempotency key is hospital id + claim id. */
export function settlementKey(hospitalId: string, claimId: string): string {
  return `C#${part(hospitalId)}#${part(claimId)}`;
}

/** Splits a settlement key back into its hospital id and claim id. */
export function parseSettlementKey(key: string): { hospitalId: string; claimId: string } {
  const [prefix, hospital, claim] = key.split('#');
  if (prefix !== 'C' || hospital === undefined || claim === undefined) throw new RangeError(`not a settlement key: ${key}`);
  return { hospitalId: decodeURIComponent(hospital), claimId: decodeURIComponent(claim) };
}

/** Why a claim (known by hospital and claim id) could not be settled. */
export function claimFailureKey(hospitalId: string, claimId: string): string {
  return `F#${part(hospitalId)}#${part(claimId)}`;
}

/** Why a queue message that names no claim (e.g. not JSON) could not be settled. */
export function messageFailureKey(messageId: string): string {
  return `F#msg#${part(messageId)}`;
}

/** A member of the registry. */
export function memberKey(memberId: string): string {
  return `M#${part(memberId)}`;
}

/** A hospital of the registry. */
export function hospitalKey(hospitalId: string): string {
  return `H#${part(hospitalId)}`;
}

/** A member's year-to-date totals for one insurance year (the discharge year). */
export function totalsKey(memberId: string, year: number): string {
  return `T#${part(memberId)}#${year}`;
}

/** An API key, stored by the SHA-256 of the key so the table never holds a usable secret. */
export function apiKeyKey(keyHash: string): string {
  return `K#${keyHash}`;
}

/** Partition value of the member-year index: the settlements of one member in one insurance year. */
export function memberYearIndexKey(memberId: string, year: number): string {
  return `${part(memberId)}#${year}`;
}

/** A visit of the national interface (就诊), by hospital and the mdtrt_id issued at admission. */
export function visitKey(hospitalId: string, mdtrtId: string): string {
  return `V#${part(hospitalId)}#${part(mdtrtId)}`;
}

/** A national-interface message of a hospital, by its msgid: the answer a resend gets, and what a 冲正 undoes. */
export function messageKey(hospitalId: string, msgid: string): string {
  return `X#${part(hospitalId)}#${part(msgid)}`;
}

/** A nonce of a signed national request (x-tif-nonce), kept so a captured request cannot be replayed. */
export function nonceKey(paasId: string, nonce: string): string {
  return `N#${part(paasId)}#${part(nonce)}`;
}

/** One entry of the agency catalogue, by national catalogue code (med_list_codg). */
export function catalogueEntryKey(code: string): string {
  return `L#${part(code)}`;
}

/** The agency catalogue's header: id, version, source and the serious-disease list. */
export const CATALOGUE_HEADER_KEY = 'L#!header';

/** A file a hospital uploaded with 9101 (the detail rows of a 3202), by its file_qury_no. */
export function nationalFileKey(hospitalId: string, fileQueryNo: string): string {
  return `U#${part(hospitalId)}#${part(fileQueryNo)}`;
}
