/**
 * The policy pack format: one versioned, effective-dated JSON document per policy, validated here at
 * load. Every number carries the clause it comes from (and, where a reading of
 * docs/policy-readings.md decided it, the reading's id), so the engine can name both in the
 * trace. Every reading that could go the other way is a setting in this format, not a branch on a
 * policy id in the engine.
 *
 * A care kind the document leaves to another document is simply absent (and explained in `gaps`):
 * claims of that kind are `POLICY_INCOMPLETE` until an operator supplies the numbers in an overlay.
 */
import * as z from 'zod';
import { isIsoDate } from '../calendar/dates.js';
import { CAUSES, MEMBER_CATEGORIES, SERIOUS_DISEASE_GROUPS, regionSchema } from '../contract/claim.js';
import { RATIO_MESSAGE, wrongTypeSays } from '../contract/messages.js';
import { type Fen, type Ratio, isMoneyString, isRatioString, parseMoney, parseRatio } from '../money/money.js';

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

/** Item categories that a policy may include only in part (晋中 第十五条). */
export const PARTLY_INCLUDED_CATEGORIES = [
  'large-equipment',
  'implant-domestic',
  'implant-imported',
  'disposable-material',
  'blood',
] as const;
export type PartlyIncludedCategory = (typeof PARTLY_INCLUDED_CATEGORIES)[number];

const POLICY_MONEY_MESSAGE = 'must be a yuan amount with at most two decimals, as a string';
const money = z
  .string({ error: wrongTypeSays(POLICY_MONEY_MESSAGE) })
  .refine(isMoneyString, { message: POLICY_MONEY_MESSAGE, abort: true })
  .transform((text): Fen => parseMoney(text));
const ratio = z
  .string({ error: wrongTypeSays(RATIO_MESSAGE) })
  .refine(isRatioString, { message: RATIO_MESSAGE, abort: true })
  .transform((text): Ratio => parseRatio(text));
const isoDate = z.string().refine(isIsoDate, 'must be a real calendar date in YYYY-MM-DD form');
const clause = z.string().min(1, 'must name the clause');
/** A reading id of policy-readings.md (R01…R30, A1…, E4), when one decided the number. */
const reading = z.string().regex(/^[A-Z]\d{1,2}$/, 'must be a reading id such as R07').optional();

/** Where a number comes from. */
const source = { clause, reading };

const tierEntry = z.strictObject({ name: z.string().min(1), ...source });

const inpatientTier = z.strictObject({ deductible: money, ratio, ...source });

const otherTiers = z.enum(['incomplete', 'not-covered']);

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

const amountCap = z.strictObject({ amount: money, ...source });

const inpatientBenefit = z.strictObject({
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

const outpatientRule = z.strictObject({
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

const outpatientBenefit = z.strictObject({
  ...source,
  annualCap: amountCap,
  /** The rule of every catalogued tier without a row of its own (晋中: one rule for all tiers). */
  default: outpatientRule.optional(),
  tiers: z.record(z.string(), z.union([outpatientRule, notCovered])).default({}),
  otherTiers: otherTiers.default('incomplete'),
});

const specialOutpatientBenefit = z.strictObject({
  ...source,
  /** R20 / D5: the inpatient deductible once a year, on every settlement, or never. */
  deductible: z.enum(['once-a-year', 'every-settlement', 'none']),
  /** Whether the inpatient referral penalty applies. */
  referralPenalty: z.boolean(),
});

const childbirthBenefit = z.strictObject({
  ...source,
  /** R13: deliveries paid a fixed standard instead of the inpatient formula. */
  fixedPaymentKinds: z.array(z.enum(['natural', 'caesarean', 'complicated'])).min(1),
  standard: z.strictObject({ primaryCare: money, other: money, ...source }),
  /** R11: whether the fixed payment counts toward (and is limited by) the inpatient annual cap. */
  countsTowardInpatientCap: z.boolean(),
});

const assistanceCategories = z.array(z.enum(MEMBER_CATEGORIES)).min(1);

const seriousDiseaseBenefit = z.strictObject({
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

const catastrophicBenefit = z
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
const assistanceBenefit = z.strictObject({
  ...source,
  categories: assistanceCategories,
  paths: z.array(z.enum(CARE_PATHS)).min(1),
  /** Share of the compliant self-pay left after basic and catastrophic. */
  ratio,
  annualCap: amountCap.nullable(),
});

const newbornCover = z.discriminatedUnion('when', [
  /** R26: registered (paid) in the birth year → covered from birth. */
  z.strictObject({ when: z.literal('registered-in-birth-year'), ...source }),
  /** R27: enrolled within N months of birth → covered from birth. */
  z.strictObject({ when: z.literal('enrolled-within-months'), months: z.number().int().min(1).max(24), ...source }),
]);

const eligibility = z.strictObject({
  enrolment: z.strictObject({
    ...source,
    /** R17: a late enrolment's benefits start this many days after paidOn (0: on paidOn). */
    late: z.strictObject({ waitingDays: z.number().int().min(0).max(365), ...source }),
    newbornCoveredFromBirth: newbornCover,
    /** E4: mid-year joiners are covered from the first day of the month after they enrol. */
    midYearStarts: z.strictObject({ on: z.literal('first-of-next-month'), ...source }),
  }),
  /** R28: claims submitted later than this many years after discharge are rejected. */
  submissionDeadline: z.strictObject({ years: z.number().int().min(1).max(10), ...source }).nullable(),
  exclusions: z.strictObject({ causes: z.array(z.enum(CAUSES)), ...source }),
  nonDesignated: z.strictObject({
    /** R15: emergency care at a non-designated hospital is paid as at a designated one. */
    emergencyPaidAsDesignated: z.boolean(),
    ...source,
  }),
});

const scope = z.strictObject({
  /** R10: the share of a partly included category that enters the policy scope; absent → wholly. */
  inclusion: z.partialRecord(z.enum(PARTLY_INCLUDED_CATEGORIES), z.strictObject({ ratio, ...source })).default({}),
  /** R16: emergency observation merged into the admission when at most this many days before it. */
  erObservation: z.strictObject({ mergeWithinDays: z.number().int().min(0).max(60), ...source }).nullable(),
});

const hospitalSide = z.strictObject({
  /** 晋中 第二十二条: up to this share of what the fund owes a hospital is withheld until the review. */
  qualityDeposit: z.strictObject({ ratio, ...source }).nullable(),
});

export const policySchema = z
  .strictObject({
    id: z.string().regex(/^[a-z][a-z0-9-]{2,63}$/, 'must be a lower-case id such as jinzhong-2017'),
    version: z.string().regex(/^\d+\.\d+\.\d+$/, 'must be a semantic version such as 1.0.0'),
    region: regionSchema,
    title: z.string().min(1),
    document: z.string().min(1),
    effective: z.strictObject({ from: isoDate, to: isoDate.nullable(), ...source }),
    /** The hospital tier keys claims of this policy use. */
    tiers: z.record(z.string(), tierEntry),
    /** `partial`: the document names only some tiers; a claim at an unknown tier is POLICY_INCOMPLETE, not INVALID_CLAIM. */
    tierCatalogue: z.enum(['complete', 'partial']),
    /** What the document leaves to other documents, by care path. */
    gaps: z.partialRecord(z.enum(CARE_PATHS), z.string()).default({}),
    eligibility,
    scope,
    inpatient: inpatientBenefit.optional(),
    childbirth: childbirthBenefit.optional(),
    seriousDisease: seriousDiseaseBenefit.optional(),
    /** R21: an emergency patient who died is settled as one inpatient admission. */
    emergencyDeath: z.strictObject({ ...source }).optional(),
    specialOutpatient: specialOutpatientBenefit.optional(),
    outpatient: outpatientBenefit.optional(),
    catastrophic: catastrophicBenefit.optional(),
    assistance: assistanceBenefit.optional(),
    hospitalSide: hospitalSide.default({ qualityDeposit: null }),
  })
  .superRefine((policy, ctx) => {
    const known = new Set(Object.keys(policy.tiers));
    const checkTiers = (keys: string[], path: (string | number)[]) => {
      for (const key of keys) {
        if (!known.has(key)) ctx.addIssue({ code: 'custom', path: [...path, key], message: 'is not a tier of this policy (tiers)' });
      }
    };
    if (policy.inpatient) checkTiers(Object.keys(policy.inpatient.tiers), ['inpatient', 'tiers']);
    if (policy.outpatient) checkTiers(Object.keys(policy.outpatient.tiers), ['outpatient', 'tiers']);
    if (policy.effective.to !== null && policy.effective.to < policy.effective.from) {
      ctx.addIssue({ code: 'custom', path: ['effective', 'to'], message: 'must not be before from' });
    }
    const needsInpatient: [keyof typeof policy, string][] = [
      ['emergencyDeath', 'settles as an inpatient admission'],
      ['specialOutpatient', 'uses the inpatient tiers'],
    ];
    for (const [key, why] of needsInpatient) {
      if (policy[key] !== undefined && policy.inpatient === undefined) {
        ctx.addIssue({ code: 'custom', path: [key], message: `${why}, so the policy needs inpatient numbers` });
      }
    }
  });

/** A validated policy: amounts in fen, ratios in ten-thousandths. */
export type Policy = z.output<typeof policySchema>;
/** A policy document as written in JSON. */
export type PolicyDocument = z.input<typeof policySchema>;
export type InpatientBenefit = NonNullable<Policy['inpatient']>;
export type OutpatientBenefit = NonNullable<Policy['outpatient']>;
export type OutpatientRule = z.output<typeof outpatientRule>;
export type CatastrophicBenefit = NonNullable<Policy['catastrophic']>;
export type SeriousDiseaseBenefit = NonNullable<Policy['seriousDisease']>;
/** Where a number comes from. */
export interface Source {
  readonly clause: string;
  readonly reading?: string | undefined;
}
