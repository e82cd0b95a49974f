/**
 * What each care path of a policy pays: the inpatient tiers with their reliefs and penalty, outpatient
 * rules by tier, special outpatient, childbirth's fixed payments, serious diseases with their
 * assistance and charity shares, the catastrophic segments and general medical assistance.
 */
import * as z from 'zod';
import { MEMBER_CATEGORIES, SERIOUS_DISEASE_GROUPS } from '../contract/claim.js';
import { amountCap, money, otherTiers, ratio, source } from './fields.js';

/** The care paths of the engine, in the words of `policy-readings.md` step 5. */
export const CARE_PATHS = [
  'inpatient',
  'childbirth',
  'serious-disease',
  'emergency-death',
  'special-outpatient',
  'outpatient',
] as const;
export type CarePath = (typeof CARE_PATHS)[number];

export const inpatientTier = z.strictObject({ deductible: money, ratio, ...source });

const deductibleRelief = z.strictObject({
  /** R03: `lowest` applies only the largest single relief; `stack` multiplies them. */
  combine: z.enum(['lowest', 'stack']),
  child: z.strictObject({ maxAge: z.number().int().min(0).max(30), factor: ratio, ...source }).nullable(),
  repeatAdmission: z
    .strictObject({ minPriorAdmissions: z.number().int().min(1).max(100), factor: ratio, ...source })
    .nullable(),
});

const referralPenalty = z.strictObject({
  /** Percentage points taken off the tier ratio (B5 reads "−5%" as points). */
  points: ratio,
  /** R08 / R09: whether an emergency is exempt from the penalty. */
  emergencyExempt: z.boolean(),
  ...source,
});

export const inpatientBenefit = z.strictObject({
  ...source,
  tiers: z.record(z.string(), inpatientTier),
  /** What a catalogued tier without its own row means. */
  otherTiers: otherTiers.default('incomplete'),
  deductibleRelief: deductibleRelief.nullable().default(null),
  referralPenalty: referralPenalty.nullable().default(null),
  /** R11 / R12: the basic fund's annual inpatient payout cap (null: none set). */
  annualCap: amountCap.nullable(),
});

const outpatientRequirement = z.strictObject({
  primaryCare: z.boolean().optional(),
  memberCategory: z.enum(MEMBER_CATEGORIES).optional(),
  ...source,
});

export const outpatientRule = z.strictObject({
  covered: z.literal(true).default(true),
  ratio,
  /** R19: the ratio when the visit was not referred from primary care. */
  ratioWithoutPrimaryReferral: z.strictObject({ ratio, ...source }).optional(),
  /** R22: a deductible borne once a year (tracked in `outpatientDeductibleUsed`). */
  annualDeductible: amountCap.optional(),
  /** A cap of this rule's own; otherwise the benefit's. */
  annualCap: amountCap.optional(),
  /** NOT_COVERED when the visit or member does not meet these. */
  requires: outpatientRequirement.optional(),
  ...source,
});

const notCovered = z.strictObject({ covered: z.literal(false), ...source });

export const outpatientBenefit = z.strictObject({
  ...source,
  annualCap: amountCap,
  /** The rule of every catalogued tier without a row of its own (晋中: one rule for all tiers). */
  default: outpatientRule.optional(),
  tiers: z.record(z.string(), z.union([outpatientRule, notCovered])).default({}),
  otherTiers: otherTiers.default('incomplete'),
});

export const specialOutpatientBenefit = z.strictObject({
  ...source,
  /** R20 / D5: the inpatient deductible once a year, on every settlement, or never. */
  deductible: z.enum(['once-a-year', 'every-settlement', 'none']),
  /** Whether the inpatient referral penalty applies. */
  referralPenalty: z.boolean(),
});

export const childbirthBenefit = z.strictObject({
  ...source,
  /** R13: deliveries paid a fixed standard instead of the inpatient formula. */
  fixedPaymentKinds: z.array(z.enum(['natural', 'caesarean', 'complicated'])).min(1),
  standard: z.strictObject({ primaryCare: money, other: money, ...source }),
  /** R11: whether the fixed payment counts toward (and is limited by) the inpatient annual cap. */
  countsTowardInpatientCap: z.boolean(),
});

const assistanceCategories = z.array(z.enum(MEMBER_CATEGORIES)).min(1);

export const seriousDiseaseBenefit = z.strictObject({
  ...source,
  basicRatio: ratio,
  /** C2: whether the basic payment counts toward the inpatient annual cap (else `seriousDiseasePaid`). */
  countsTowardInpatientCap: z.boolean(),
  assistance: z
    .strictObject({
      ratio,
      groups: z.array(z.enum(SERIOUS_DISEASE_GROUPS)).min(1),
      categories: assistanceCategories,
      ...source,
    })
    .nullable(),
  charity: z
    .strictObject({
      ratio,
      groups: z.array(z.enum(SERIOUS_DISEASE_GROUPS)).min(1),
      categories: assistanceCategories,
      minAge: z.number().int().min(0),
      maxAge: z.number().int().min(0),
      ...source,
    })
    .nullable(),
  /** Cost above the designated hospital's quota is borne by the hospital. */
  hospitalBearsAboveQuota: z.strictObject({ ...source }),
});

const segment = z.strictObject({ from: money, to: money.nullable(), rate: ratio, ...source });

export const catastrophicBenefit = z
  .strictObject({
    ...source,
    /** A8: the care paths whose compliant self-pay feeds the cumulative total. */
    paths: z.array(z.enum(CARE_PATHS)).min(1),
    segments: z.array(segment).min(1),
    annualCap: amountCap.nullable(),
  })
  .superRefine((value, ctx) => {
    value.segments.forEach((current, index) => {
      if (current.to !== null && current.to <= current.from) {
        ctx.addIssue({ code: 'custom', path: ['segments', index, 'to'], message: 'must be above from' });
      }
      const previous = value.segments[index - 1];
      if (previous && (previous.to === null || previous.to > current.from)) {
        ctx.addIssue({ code: 'custom', path: ['segments', index, 'from'], message: 'segments must be in order without overlap' });
      }
    });
  });

/** General medical assistance (医疗救助), which no seed sets: operators supply it. */
export const assistanceBenefit = z.strictObject({
  ...source,
  categories: assistanceCategories,
  paths: z.array(z.enum(CARE_PATHS)).min(1),
  /** Share of the compliant self-pay left after basic and catastrophic. */
  ratio,
  annualCap: amountCap.nullable(),
});
