/**
 * What an export can say beyond the Settlement itself. A Settlement JSON line carries no dates, no
 * visit type and no items; when the claim (or the stored record) is at hand, these fill the national
 * fields and the FHIR items that would otherwise be left empty.
 */
import type { Claim, ItemCategory, VisitType } from '../../contract/claim.js';
import type { Fen } from '../../money/money.js';

/** One line of the claim, as the FHIR item adjudication needs it. */
export interface ContextItem {
  readonly category: ItemCategory;
  readonly amount: Fen;
  readonly code?: string | undefined;
  readonly name?: string | undefined;
}

/** Facts about the claim behind a settlement; every field is optional. */
export interface ClaimContext {
  readonly admittedOn?: string | undefined;
  readonly dischargedOn?: string | undefined;
  readonly visitType?: VisitType | undefined;
  /** Whether the hospital is designated (定点): in network for the FHIR explanation of benefit. */
  readonly designated?: boolean | undefined;
  /** When the settlement was made (ISO 8601 instant, as the pipeline stores `settledAt`). */
  readonly settledAt?: string | undefined;
  readonly items?: readonly ContextItem[] | undefined;
  /** The settlement version (2 and on: made by a correction); the exports say which version they are. */
  readonly version?: number | undefined;
}

/** The context a claim gives: its dates, visit type and lines. */
export function contextOfClaim(claim: Claim): ClaimContext {
  return {
    admittedOn: claim.visit.admittedOn,
    dischargedOn: claim.visit.dischargedOn,
    visitType: claim.visit.type,
    designated: claim.hospital.designated,
    items: claim.items.map((item) => ({ category: item.category, amount: item.amount, code: item.code, name: item.name })),
  };
}

/**
 * An ISO 8601 instant as the national platform writes times: `yyyy-MM-dd HH:mm:ss` in China Standard
 * Time (UTC+8, no daylight saving), or undefined when the text is not an instant.
 */
export function toChinaTime(instant: string): string | undefined {
  const millis = Date.parse(instant);
  if (Number.isNaN(millis)) return undefined;
  const shifted = new Date(millis + 8 * 3_600_000).toISOString();
  return `${shifted.slice(0, 10)} ${shifted.slice(11, 19)}`;
}
