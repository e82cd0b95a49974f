/**
 * The registry file (members and hospitals) and how the registry overrides what a claim says about
 * them. The registry is authoritative: a hospital cannot raise its tier, or a member's categories,
 * by writing them into a claim.
 */
import * as z from 'zod';
import { isIsoDate, yearOf } from '../calendar/dates.js';
import { type Claim, ENROLMENT_KINDS, MEMBER_CATEGORIES, checkClaim, regionSchema } from '../contract/claim.js';
import { InvalidClaimError } from '../contract/errors.js';

const identifier = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[^\s\p{C}]+$/u, 'must not contain spaces or control characters');
const isoDate = z.string().refine(isIsoDate, 'must be a real calendar date in YYYY-MM-DD form');

const enrolmentSchema = z.strictObject({
  year: z.number().int().min(1900).max(2999),
  kind: z.enum(ENROLMENT_KINDS),
  paidOn: isoDate,
});

export const registryMemberSchema = z.strictObject({
  id: identifier,
  /** Personal data: stored, never logged in clear. */
  name: z.string().min(1).max(100).optional(),
  idNumber: z.string().min(1).max(32).optional(),
  region: regionSchema,
  /** The member's pooling area (统筹区); a hospital outside it is `outsidePoolingArea`. */
  poolingArea: z.string().min(1).max(64),
  birthDate: isoDate,
  categories: z.array(z.enum(MEMBER_CATEGORIES)).max(MEMBER_CATEGORIES.length).default([]),
  /** One enrolment per insurance year; the claim is settled on its discharge year's. */
  enrolments: z.array(enrolmentSchema).min(1),
});

export const registryHospitalSchema = z.strictObject({
  id: identifier,
  name: z.string().min(1).max(200).optional(),
  poolingArea: z.string().min(1).max(64),
  designated: z.boolean(),
  primaryCare: z.boolean(),
  /** The hospital's tier key in each region's policy (a member's region chooses the policy). */
  tiers: z.record(regionSchema, z.string().min(1).max(64)),
});

export const registryOperatorSchema = z.strictObject({
  id: identifier,
  name: z.string().min(1).max(100).optional(),
});

/** The registry file: `claims registry load FILE` validates it with this schema. */
export const registryFileSchema = z.strictObject({
  hospitals: z.array(registryHospitalSchema).default([]),
  members: z.array(registryMemberSchema).default([]),
  operators: z.array(registryOperatorSchema).default([]),
});

export type RegistryMember = z.output<typeof registryMemberSchema>;
export type RegistryHospital = z.output<typeof registryHospitalSchema>;
export type RegistryOperator = z.output<typeof registryOperatorSchema>;
export type RegistryFile = z.output<typeof registryFileSchema>;
export type RegistryFileInput = z.input<typeof registryFileSchema>;

/** A registry file that does not validate; `issues` name each bad field. */
export class InvalidRegistryError extends Error {
  constructor(
    readonly issues: readonly { path: string; message: string }[],
    options?: ErrorOptions,
  ) {
    super(`invalid registry: ${issues.map((i) => `${i.path || '(file)'} ${i.message}`).join('; ')}`, options);
    this.name = 'InvalidRegistryError';
  }
}

/**
 * Validates a registry file's parsed JSON; ids must be unique within hospitals, members and operators.
 * @throws InvalidRegistryError naming every bad field.
 */
export function parseRegistry(input: unknown): RegistryFile {
  const result = registryFileSchema.safeParse(input);
  if (!result.success) {
    throw new InvalidRegistryError(result.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })));
  }
  const issues: { path: string; message: string }[] = [];
  for (const list of ['hospitals', 'members', 'operators'] as const) {
    const seen = new Set<string>();
    result.data[list].forEach((entry, index) => {
      if (seen.has(entry.id)) issues.push({ path: `${list}.${index}.id`, message: `duplicates id ${entry.id}` });
      seen.add(entry.id);
    });
  }
  if (issues.length > 0) throw new InvalidRegistryError(issues);
  return result.data;
}

/** The enrolment a claim discharged in `year` is settled on: that year's, else the latest before it. */
export function enrolmentFor(member: RegistryMember, year: number): RegistryMember['enrolments'][number] {
  const sorted = [...member.enrolments].sort((a, b) => a.year - b.year);
  return sorted.find((e) => e.year === year) ?? sorted.filter((e) => e.year < year).at(-1) ?? (sorted[0] as RegistryMember['enrolments'][number]);
}

/**
 * The claim with its `member` and `hospital` replaced by the registry's facts, then checked again by
 * the contract's cross-field rules (e.g. admission not before birth), which must hold for the
 * registry's data as for the claim's. The registry's fields were validated when it was loaded.
 * @throws InvalidClaimError when the hospital has no tier for the member's region, or a cross-field
 *   rule fails on the registry's facts.
 */
export function applyRegistry(claim: Claim, member: RegistryMember, hospital: RegistryHospital): Claim {
  const tier = hospital.tiers[member.region];
  if (tier === undefined) {
    throw new InvalidClaimError([
      { path: 'hospital.tier', message: `hospital ${hospital.id} has no tier for region ${member.region} in the registry` },
    ]);
  }
  return checkClaim({
    ...claim,
    member: {
      id: member.id,
      region: member.region,
      birthDate: member.birthDate,
      categories: [...member.categories],
      enrolment: { ...enrolmentFor(member, yearOf(claim.visit.dischargedOn)) },
    },
    hospital: {
      id: hospital.id,
      tier,
      designated: hospital.designated,
      primaryCare: hospital.primaryCare,
      outsidePoolingArea: hospital.poolingArea !== member.poolingArea,
    },
  });
}
