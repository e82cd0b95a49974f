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
import { CAUSES, regionSchema } from '../contract/claim.js';
import {
  CARE_PATHS,
  assistanceBenefit,
  catastrophicBenefit,
  childbirthBenefit,
  inpatientBenefit,
  type inpatientTier,
  outpatientBenefit,
  type outpatientRule,
  seriousDiseaseBenefit,
  specialOutpatientBenefit,
} from './benefits.js';
import { clause, isoDate, ratio, source } from './fields.js';

export { CARE_PATHS, type CarePath } from './benefits.js';

/** Item categories that a policy may include only in part (晋中 第十五条). */
export const PARTLY_INCLUDED_CATEGORIES = [
  'large-equipment',
  'implant-domestic',
  'implant-imported',
  'disposable-material',
  'blood',
] as const;
export type PartlyIncludedCategory = (typeof PARTLY_INCLUDED_CATEGORIES)[number];

const tierEntry = z.strictObject({ name: z.string().min(1), ...source });

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
/** One inpatient tier's numbers: the standard deductible in fen and the basic fund's ratio. */
export type InpatientTierRule = z.output<typeof inpatientTier>;
export type CatastrophicBenefit = NonNullable<Policy['catastrophic']>;
export type SeriousDiseaseBenefit = NonNullable<Policy['seriousDisease']>;
/** Where a number comes from. */
export interface Source {
  readonly clause: string;
  readonly reading?: string | undefined;
}
