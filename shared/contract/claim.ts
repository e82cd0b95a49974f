/**
 * The claim contract, version 1 (docs/claim-contract.md): a strict zod
 * schema that rejects unknown fields, reads decimal strings into exact fen, checks real calendar dates,
 * and names the field path of every problem.
 *
 * size: the claim contract is one document: the schema and its cross-field checks are read together,
 * field for field, against docs/claim-contract.md.
 */
import * as z from 'zod';
import { isIsoDate } from '../calendar/dates.js';
import { MAX_ID_LENGTH } from './limits.js';
import {
  MAX_LINE_FEN,
  MAX_TOTAL_FEN,
  type Fen,
  type Ratio,
  formatMoney,
  tryParseMoney,
  tryParseRatio,
} from '../money/money.js';
import { InvalidClaimError, type FieldIssue } from './errors.js';
import { CANONICAL_MESSAGE, SPACES_MESSAGE, isCanonicalId } from './ids.js';
import { MONEY_MESSAGE, RATIO_MESSAGE, wrongTypeSays } from './messages.js';

/**
 * A region id: lower-case letters, digits and hyphens, starting with a letter (`jinzhong`). The contract
 * checks only its form; which regions exist is decided by the policies in the book (each names its
 * region) and the registry, so a new policy can bring a new region without a change here. A claim whose
 * region no policy covers is refused when it is settled, naming `member.region`.
 */
export const REGION_PATTERN = /^[a-z][a-z0-9-]{1,31}$/;
/** The zod schema of a region id, shared by the claim contract, the policy format and the registry. */
export const regionSchema = z.string().regex(REGION_PATTERN, 'must be a region id: lower-case letters, digits and hyphens, such as jinzhong');
export const MEMBER_CATEGORIES = [
  'minimum-living',
  'extreme-poverty',
  'registered-poor',
  'low-income',
  'severe-disability',
  'orphan',
  'student',
] as const;
export const ENROLMENT_KINDS = ['regular', 'late', 'newborn', 'mid-year'] as const;
export const VISIT_TYPES = ['inpatient', 'outpatient', 'special-outpatient'] as const;
export const CAUSES = [
  'illness',
  'crime',
  'fighting',
  'drunkenness',
  'self-harm',
  'suicide',
  'traffic-accident',
  'medical-accident',
  'abroad',
  'public-health',
] as const;
export const CHILDBIRTH_KINDS = ['natural', 'caesarean', 'complicated'] as const;
export const SERIOUS_DISEASE_GROUPS = ['child-class1', 'adult-class'] as const;
export const ITEM_CATEGORIES = [
  'catalogue',
  'class-b',
  'large-equipment',
  'implant-domestic',
  'implant-imported',
  'disposable-material',
  'blood',
  'er-observation',
  'out-of-catalogue',
] as const;

/** A region id (see {@link REGION_PATTERN}). */
export type Region = string;
export type MemberCategory = (typeof MEMBER_CATEGORIES)[number];
export type EnrolmentKind = (typeof ENROLMENT_KINDS)[number];
export type VisitType = (typeof VISIT_TYPES)[number];
export type Cause = (typeof CAUSES)[number];
export type ChildbirthKind = (typeof CHILDBIRTH_KINDS)[number];
export type SeriousDiseaseGroup = (typeof SERIOUS_DISEASE_GROUPS)[number];
export type ItemCategory = (typeof ITEM_CATEGORIES)[number];

/** The most lines one claim may carry. */
export const MAX_ITEMS = 5_000;

const identifier = z
  .string()
  .min(1, 'must not be empty')
  .max(MAX_ID_LENGTH, `must be at most ${MAX_ID_LENGTH} characters`)
  .regex(/^[^\s\p{C}]+$/u, SPACES_MESSAGE)
  .refine(isCanonicalId, CANONICAL_MESSAGE);

const isoDate = z.string().refine(isIsoDate, 'must be a real calendar date in YYYY-MM-DD form');


/** A yuan amount as a decimal string, read once into fen (the hot path of validation). */
const moneyUpTo = (max: Fen) =>
  z.string({ error: wrongTypeSays(MONEY_MESSAGE) }).transform((text, ctx): Fen => {
    const fen = tryParseMoney(text);
    if (fen === undefined) ctx.addIssue({ code: 'custom', message: MONEY_MESSAGE });
    else if (fen > max) ctx.addIssue({ code: 'custom', message: `must be at most ${formatMoney(max)}` });
    else return fen;
    return z.NEVER;
  });

const lineAmount = moneyUpTo(MAX_LINE_FEN);
const totalAmount = moneyUpTo(MAX_TOTAL_FEN);

const ratio = z.string({ error: wrongTypeSays(RATIO_MESSAGE) }).transform((text, ctx): Ratio => {
  const value = tryParseRatio(text);
  if (value !== undefined) return value;
  ctx.addIssue({ code: 'custom', message: RATIO_MESSAGE });
  return z.NEVER;
});

const itemSchema = z.strictObject({
  code: z.string().max(100).optional(),
  name: z.string().max(200).optional(),
  category: z.enum(ITEM_CATEGORIES),
  amount: lineAmount,
  date: isoDate.optional(),
  selfPayRatio: ratio.optional(),
});

/** The most admissions a year-to-date record may count. */
export const MAX_ADMISSIONS = 100_000;

const yearToDateSchema = z.strictObject({
  admissions: z.number().int().min(0).max(MAX_ADMISSIONS).default(0),
  basicPaid: totalAmount.default(0 as Fen),
  outpatientPaid: totalAmount.default(0 as Fen),
  compliantSelfPay: totalAmount.default(0 as Fen),
  catastrophicPaid: totalAmount.default(0 as Fen),
  assistancePaid: totalAmount.default(0 as Fen),
  outpatientDeductibleUsed: totalAmount.default(0 as Fen),
  seriousDiseasePaid: totalAmount.default(0 as Fen),
  specialOutpatientDeductibleTaken: z.boolean().default(false),
});

const claimShape = z.strictObject({
  claimId: identifier,
  submittedOn: isoDate.optional(),
  member: z.strictObject({
    id: identifier,
    region: regionSchema,
    birthDate: isoDate,
    categories: z.array(z.enum(MEMBER_CATEGORIES)).max(MEMBER_CATEGORIES.length),
    enrolment: z.strictObject({
      year: z.number().int().min(1900).max(2999),
      kind: z.enum(ENROLMENT_KINDS),
      paidOn: isoDate,
    }),
  }),
  hospital: z.strictObject({
    id: identifier,
    tier: z.string().min(1, 'must not be empty').max(64),
    designated: z.boolean(),
    primaryCare: z.boolean(),
    outsidePoolingArea: z.boolean(),
  }),
  visit: z.strictObject({
    type: z.enum(VISIT_TYPES),
    admittedOn: isoDate,
    dischargedOn: isoDate,
    emergency: z.boolean(),
    referral: z.boolean(),
    referredFromPrimary: z.boolean().default(false),
    cause: z.enum(CAUSES),
    childbirth: z.enum(CHILDBIRTH_KINDS).optional(),
    seriousDisease: z
      .strictObject({
        code: z.string().min(1, 'must not be empty').max(64),
        group: z.enum(SERIOUS_DISEASE_GROUPS),
        quota: totalAmount,
      })
      .optional(),
    died: z.boolean().default(false),
  }),
  items: z.array(itemSchema).min(1, 'must list at least one item').max(MAX_ITEMS, `must list at most ${MAX_ITEMS} items`),
  yearToDate: yearToDateSchema.default(() => yearToDateSchema.parse({})),
});

/** A claim as the engine sees it: amounts in fen, ratios in ten-thousandths, defaults filled in. */
export type Claim = z.output<typeof claimShape>;
export type ClaimItem = Claim['items'][number];
export type YearToDate = Claim['yearToDate'];
/** A claim as a HIS writes it (JSON). */
export type ClaimInput = z.input<typeof claimShape>;

/** Rules that relate fields to each other; each issue names the field that is wrong. */
function checkCrossFieldRules(claim: Claim, issues: FieldIssue[]): void {
  const { visit, member, items } = claim;
  if (visit.dischargedOn < visit.admittedOn) {
    issues.push({ path: 'visit.dischargedOn', message: `must not be before admittedOn (${visit.admittedOn})` });
  }
  if (visit.type !== 'inpatient' && visit.dischargedOn !== visit.admittedOn) {
    issues.push({ path: 'visit.dischargedOn', message: `must equal admittedOn for a ${visit.type} visit` });
  }
  if (visit.admittedOn < member.birthDate) {
    issues.push({ path: 'visit.admittedOn', message: `must not be before the member's birthDate (${member.birthDate})` });
  }
  if (new Set(member.categories).size !== member.categories.length) {
    issues.push({ path: 'member.categories', message: 'must not list a category twice' });
  }
  items.forEach((item, index) => {
    const at = `items.${index}`;
    if (item.category === 'er-observation') {
      if (item.date === undefined) issues.push({ path: `${at}.date`, message: 'is required for an er-observation item' });
      else if (item.date > visit.admittedOn) {
        issues.push({ path: `${at}.date`, message: `must not be after admittedOn (${visit.admittedOn})` });
      }
      if (visit.type !== 'inpatient') {
        issues.push({ path: `${at}.category`, message: 'er-observation is allowed only on an inpatient claim' });
      }
    } else if (item.date !== undefined) {
      issues.push({ path: `${at}.date`, message: 'is allowed only on an er-observation item' });
    }
    if (item.category === 'class-b') {
      if (item.selfPayRatio === undefined) issues.push({ path: `${at}.selfPayRatio`, message: 'is required for a class-b item' });
    } else if (item.selfPayRatio !== undefined) {
      issues.push({ path: `${at}.selfPayRatio`, message: 'is allowed only on a class-b item' });
    }
  });
}

function pathOf(segments: readonly PropertyKey[]): string {
  return segments.map(String).join('.');
}

function toFieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.flatMap((issue): FieldIssue[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: pathOf([...issue.path, key]), message: 'is not a field of the claim contract' }));
    }
    return [{ path: pathOf(issue.path), message: issue.message }];
  });
}

// A missing field is "is required" whatever its type: zod reports a missing enum as `invalid_value`
// (not `invalid_type`), which would otherwise read as a bad option of a field the HIS never sent.
const requiredMessage = (issue: { code: string; input?: unknown }): string | undefined =>
  (issue.code === 'invalid_type' || issue.code === 'invalid_value') && issue.input === undefined ? 'is required' : undefined;

/**
 * Validates a parsed JSON value against the claim contract.
 * @returns the claim with amounts in fen and defaults filled in.
 * @throws InvalidClaimError listing every problem with its field path.
 */
export function parseClaim(input: unknown): Claim {
  const result = claimShape.safeParse(input, { error: requiredMessage });
  if (!result.success) throw new InvalidClaimError(toFieldIssues(result.error));
  return checkClaim(result.data);
}

/**
 * The contract's cross-field rules (discharge not before admission, admission not before birth, item
 * dates and ratios where they belong…) on a claim that is already typed: what `parseClaim` checks after
 * the fields, and what a claim must pass again once the registry's facts replace its member and hospital.
 * @returns the same claim.
 * @throws InvalidClaimError naming each field that breaks a rule.
 */
export function checkClaim(claim: Claim): Claim {
  const issues: FieldIssue[] = [];
  checkCrossFieldRules(claim, issues);
  if (issues.length > 0) throw new InvalidClaimError(issues);
  return claim;
}

/**
 * Parses JSON text and validates it as a claim. Text that is not JSON is an `INVALID_CLAIM` with path "".
 */
export function parseClaimJson(text: string): Claim {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new InvalidClaimError([{ path: '', message: `is not JSON: ${(cause as Error).message}` }], { cause });
  }
  return parseClaim(value);
}

/**
 * The year-to-date fields a settlement's totals must keep within the contract's bounds, so that the
 * totals after one claim can always be carried into the member's next claim.
 */
export function yearToDateOutOfRange(ytd: YearToDate): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (ytd.admissions > MAX_ADMISSIONS) issues.push({ path: 'yearToDate.admissions', message: `would exceed ${MAX_ADMISSIONS} after this claim` });
  for (const key of YEAR_TO_DATE_AMOUNTS) {
    if (ytd[key] > MAX_TOTAL_FEN) issues.push({ path: `yearToDate.${key}`, message: `would exceed ${formatMoney(MAX_TOTAL_FEN)} after this claim` });
  }
  return issues;
}

/** The money fields of a year-to-date record. */
export const YEAR_TO_DATE_AMOUNTS = [
  'basicPaid',
  'outpatientPaid',
  'compliantSelfPay',
  'catastrophicPaid',
  'assistancePaid',
  'outpatientDeductibleUsed',
  'seriousDiseasePaid',
] as const satisfies readonly (keyof YearToDate)[];

/** An empty year-to-date record: the member's totals before the first claim of the year. */
export function emptyYearToDate(): YearToDate {
  return yearToDateSchema.parse({});
}
