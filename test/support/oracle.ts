/**
 * An independent model of "Settlement, step by step" (policy-readings.md, steps 6–10) for the policies
 * that have numbers: 晋中 2017, 平阳 2019 and 太原 2015 campus outpatient. The numbers are copied from the
 * readings on purpose, not read from the packs: the model checks the packs as well as the engine.
 * Everything is bigint fen; ratios are in ten-thousandths; every payer amount rounds half up (R24).
 */
import type { Claim } from '../../shared/contract/claim.js';

type Fen = bigint;

/** R24: amount × ratio/10000, rounded half up to the fen. */
const times = (amount: Fen, ratio: bigint): Fen => (amount * ratio + 5_000n) / 10_000n;
const minOf = (a: Fen, b: Fen): Fen => (a < b ? a : b);
const maxOf = (a: Fen, b: Fen): Fen => (a > b ? a : b);
const room = (cap: Fen, used: Fen): Fen => maxOf(0n, cap - used);
const yuan = (n: number): Fen => BigInt(n) * 100n;

interface Segment {
  from: Fen;
  to: Fen | null;
  rate: bigint;
}

interface InpatientTier {
  deductible: Fen;
  ratio: bigint;
}

interface Model {
  /** R10: share of a partly included category in scope. */
  inclusion: Record<string, bigint>;
  /** R16: er-observation merged when admittedOn − date is 0…this many days; null: never merged. */
  mergeObservationDays: number | null;
  tiers: Record<string, InpatientTier>;
  /** R03: child ≤ 14 and repeat admission halve the deductible once. */
  relief: boolean;
  penaltyPoints: bigint;
  penaltyEmergencyExempt: boolean;
  inpatientCap: Fen;
  catastrophicPaths: readonly string[];
  segments: Segment[];
  catastrophicCap: Fen | null;
}

const JINZHONG: Model = {
  inclusion: { 'large-equipment': 6000n, 'implant-domestic': 7000n, 'implant-imported': 5000n, 'disposable-material': 6000n, blood: 5000n },
  mergeObservationDays: 7,
  tiers: {
    class3: { deductible: yuan(100), ratio: 8500n },
    'class2-county': { deductible: yuan(400), ratio: 7500n },
    'class2-city': { deductible: yuan(500), ratio: 7000n },
    'class1-city': { deductible: yuan(1000), ratio: 6000n },
    'out-of-province': { deductible: yuan(1500), ratio: 5500n },
  },
  relief: true,
  penaltyPoints: 1000n,
  penaltyEmergencyExempt: true,
  inpatientCap: yuan(70_000),
  catastrophicPaths: ['inpatient', 'childbirth', 'serious-disease'],
  segments: [{ from: yuan(10_000), to: null, rate: 7500n }],
  catastrophicCap: yuan(400_000),
};

const PINGYANG: Model = {
  inclusion: {},
  mergeObservationDays: null,
  tiers: {
    township: { deductible: yuan(600), ratio: 8000n },
    county: { deductible: yuan(900), ratio: 7000n },
    city: { deductible: yuan(1300), ratio: 5000n },
    'out-of-city': { deductible: yuan(1300), ratio: 4000n },
  },
  relief: false,
  penaltyPoints: 500n,
  penaltyEmergencyExempt: false,
  inpatientCap: yuan(150_000),
  catastrophicPaths: ['inpatient', 'emergency-death', 'special-outpatient'],
  segments: [
    { from: yuan(32_600), to: yuan(163_000), rate: 6000n },
    { from: yuan(163_000), to: yuan(326_000), rate: 7000n },
  ],
  catastrophicCap: null,
};

export interface Expected {
  path: string;
  fullOwnPay: Fen;
  preSelfPay: Fen;
  policyScope: Fen;
  deductible: Fen;
  basic: Fen;
  catastrophic: Fen;
  assistance: Fen;
  charity: Fen;
  hospitalBorne: Fen;
}

const DAY_MS = 86_400_000;
const daysBetween = (from: string, to: string): number => (Date.parse(to) - Date.parse(from)) / DAY_MS;

/** R04: completed years on the admission date. */
function ageOn(birthDate: string, onDate: string): number {
  const years = Number(onDate.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return onDate.slice(5) >= birthDate.slice(5) ? years : years - 1;
}

/** Step 6: the scope pieces of the claim's lines. */
function scopeOf(claim: Claim, model: Model): { fullOwnPay: Fen; preSelfPay: Fen; policyScope: Fen } {
  let fullOwnPay = 0n;
  let preSelfPay = 0n;
  let policyScope = 0n;
  for (const item of claim.items) {
    const amount = BigInt(item.amount);
    let inScope: Fen;
    if (item.category === 'out-of-catalogue') inScope = 0n;
    else if (item.category === 'er-observation') {
      const days = daysBetween(item.date as string, claim.visit.admittedOn);
      inScope = model.mergeObservationDays !== null && days >= 0 && days <= model.mergeObservationDays ? amount : 0n;
    } else if (item.category === 'class-b') inScope = times(amount, 10_000n - BigInt(item.selfPayRatio as number));
    else inScope = times(amount, model.inclusion[item.category] ?? 10_000n);
    const excluded = amount - inScope;
    if (item.category === 'out-of-catalogue' || item.category === 'er-observation') fullOwnPay += excluded;
    else preSelfPay += excluded;
    policyScope += inScope;
  }
  return { fullOwnPay, preSelfPay, policyScope };
}

/** Step 8 (R02): the increase of cumulative compliant self-pay, segment by segment, within the cap left. */
function catastrophicOf(claim: Claim, model: Model, path: string, compliant: Fen): Fen {
  if (!model.catastrophicPaths.includes(path)) return 0n;
  const c0 = BigInt(claim.yearToDate.compliantSelfPay);
  const c1 = c0 + compliant;
  let paid = 0n;
  for (const { from, to, rate } of model.segments) {
    const low = maxOf(c0, from);
    const high = to === null ? c1 : minOf(c1, to);
    if (high > low) paid += times(high - low, rate);
  }
  return model.catastrophicCap === null ? paid : minOf(paid, room(model.catastrophicCap, BigInt(claim.yearToDate.catastrophicPaid)));
}

const ASSISTANCE_CATEGORIES = ['minimum-living', 'extreme-poverty', 'registered-poor', 'low-income', 'severe-disability'];

/** R14: the 22 serious diseases under 晋中. */
function serious(claim: Claim): Expected {
  const disease = claim.visit.seriousDisease as NonNullable<Claim['visit']['seriousDisease']>;
  const total = claim.items.reduce((acc, item) => acc + BigInt(item.amount), 0n);
  const base = minOf(total, BigInt(disease.quota));
  const basic = times(base, 7000n);
  const compliant = base - basic;
  const catastrophic = catastrophicOf(claim, JINZHONG, 'serious-disease', compliant);
  const inCategory = claim.member.categories.some((category) => ASSISTANCE_CATEGORIES.includes(category));
  let left = compliant - catastrophic;
  const assistance = disease.group === 'adult-class' && inCategory ? minOf(times(base, 2000n), left) : 0n;
  left -= assistance;
  const age = ageOn(claim.member.birthDate, claim.visit.admittedOn);
  const charity = disease.group === 'child-class1' && inCategory && age >= 1 && age <= 14 ? minOf(times(base, 3000n), left) : 0n;
  return {
    path: 'serious-disease',
    fullOwnPay: 0n,
    preSelfPay: 0n,
    policyScope: base,
    deductible: 0n,
    basic,
    catastrophic,
    assistance,
    charity,
    hospitalBorne: total - base,
  };
}

/** Steps 6–8 for the inpatient-like paths: ordinary inpatient, childbirth, emergency death, special-outpatient. */
function inpatientLike(claim: Claim, model: Model, path: string): Expected {
  const scope = scopeOf(claim, model);
  const { hospital, visit, yearToDate } = claim;
  let deductible = 0n;
  let basic: Fen;
  if (path === 'childbirth') {
    basic = minOf(hospital.primaryCare ? yuan(1000) : yuan(1200), scope.policyScope);
  } else {
    const tier = model.tiers[hospital.tier] as InpatientTier;
    const relieved = model.relief && (ageOn(claim.member.birthDate, visit.admittedOn) <= 14 || yearToDate.admissions >= 1);
    const standard = path === 'special-outpatient' && yearToDate.specialOutpatientDeductibleTaken ? 0n : relieved ? tier.deductible / 2n : tier.deductible;
    deductible = minOf(standard, scope.policyScope);
    const nonDesignatedEmergency = !hospital.designated && visit.emergency;
    const penalised = hospital.outsidePoolingArea && !visit.referral && !nonDesignatedEmergency && !(model.penaltyEmergencyExempt && visit.emergency);
    const ratio = penalised ? tier.ratio - model.penaltyPoints : tier.ratio;
    basic = times(scope.policyScope - deductible, ratio);
  }
  basic = minOf(basic, room(model.inpatientCap, BigInt(yearToDate.basicPaid)));
  const catastrophic = catastrophicOf(claim, model, path, scope.policyScope - basic);
  return { path, ...scope, deductible, basic, catastrophic, assistance: 0n, charity: 0n, hospitalBorne: 0n };
}

/** Step 10: outpatient under 晋中 (R18), 平阳 (R19) and 太原 students (R22). */
function outpatient(claim: Claim, model: Model, rule: { ratio: bigint; cap: Fen; annualDeductible: Fen }): Expected {
  const scope = scopeOf(claim, model);
  const deductible = minOf(room(rule.annualDeductible, BigInt(claim.yearToDate.outpatientDeductibleUsed)), scope.policyScope);
  const basic = minOf(times(scope.policyScope - deductible, rule.ratio), room(rule.cap, BigInt(claim.yearToDate.outpatientPaid)));
  return { path: 'outpatient', ...scope, deductible, basic, catastrophic: 0n, assistance: 0n, charity: 0n, hospitalBorne: 0n };
}

const TAIYUAN: Model = { ...PINGYANG, inclusion: {}, mergeObservationDays: null, catastrophicPaths: ['inpatient'] };

/**
 * What the readings say a settled claim of a payable path pays, or undefined for paths the model
 * does not cover. `path` is the engine's path, which the model checks separately.
 */
export function expectedSettlement(claim: Claim, path: string): Expected | undefined {
  switch (claim.member.region) {
    case 'jinzhong':
      if (path === 'serious-disease') return serious(claim);
      if (path === 'outpatient') return outpatient(claim, JINZHONG, { ratio: 6000n, cap: yuan(200), annualDeductible: 0n });
      return inpatientLike(claim, JINZHONG, path);
    case 'pingyang':
      if (path === 'outpatient') {
        const ratio = claim.hospital.tier === 'township' ? 5000n : claim.visit.referredFromPrimary ? 2000n : 1500n;
        return outpatient(claim, PINGYANG, { ratio, cap: yuan(800), annualDeductible: 0n });
      }
      return inpatientLike(claim, PINGYANG, path);
    case 'taiyuan':
      return path === 'outpatient' ? outpatient(claim, TAIYUAN, { ratio: 8000n, cap: yuan(400), annualDeductible: yuan(30) }) : undefined;
    default:
      return undefined;
  }
}

/** Step 5: the path the readings give a payable claim. */
export function expectedPath(claim: Claim): string {
  const { visit, member } = claim;
  if (member.region === 'jinzhong' && visit.type === 'inpatient' && visit.seriousDisease) return 'serious-disease';
  if (member.region === 'jinzhong' && visit.type === 'inpatient' && visit.childbirth === 'natural') return 'childbirth';
  if (member.region === 'pingyang' && visit.emergency && visit.died) return 'emergency-death';
  return visit.type;
}
