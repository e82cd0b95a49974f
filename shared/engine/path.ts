/**
 * Step 5 of the readings: which care path a claim takes under a policy, and whether the policy has the
 * numbers for it at the claim's hospital tier.
 */
import type { Claim } from '../contract/claim.js';
import { InvalidClaimError } from '../contract/errors.js';
import type { CarePath, InpatientTierRule, OutpatientRule, Policy, Source } from '../policy/schema.js';
import { ENGINE_CLAUSES } from './clauses.js';

/** The care path of a claim under a policy. */
export function choosePath(claim: Claim, policy: Policy): CarePath {
  const { visit } = claim;
  if (visit.type === 'inpatient' && visit.seriousDisease && policy.seriousDisease) return 'serious-disease';
  if (visit.type === 'inpatient' && visit.childbirth && policy.childbirth?.fixedPaymentKinds.includes(visit.childbirth)) {
    return 'childbirth';
  }
  if (visit.emergency && visit.died && policy.emergencyDeath) return 'emergency-death';
  return visit.type;
}

/** The inpatient tier row a path uses: the policy's row (deductible in fen, ratio in ten-thousandths) and its tier key. */
export interface TierRow extends InpatientTierRule {
  readonly tier: string;
}

/** What the policy has for a claim's path and tier. */
export type Coverage =
  | { readonly kind: 'covered'; readonly inpatientTier?: TierRow; readonly outpatientRule?: OutpatientRule }
  | { readonly kind: 'not-covered'; readonly message: string; readonly source: Source }
  | { readonly kind: 'incomplete'; readonly message: string; readonly source: Source };

const NO_SOURCE: Source = ENGINE_CLAUSES.noNumber;

function incomplete(policy: Policy, path: CarePath, what: string): Coverage {
  const gap = policy.gaps[path];
  return { kind: 'incomplete', message: `${policy.id} sets no numbers for ${what}${gap ? `: ${gap}` : ''}`, source: NO_SOURCE };
}

/**
 * A tier the policy does not know is an INVALID_CLAIM where the policy catalogues its tiers fully
 * and has numbers for the path; where the catalogue is partial it is POLICY_INCOMPLETE instead.
 */
function checkTierKnown(claim: Claim, policy: Policy, path: CarePath): Coverage | undefined {
  const tier = claim.hospital.tier;
  if (Object.hasOwn(policy.tiers, tier)) return undefined;
  if (policy.tierCatalogue === 'partial') return incomplete(policy, path, `${path} care at tier ${tier}`);
  throw new InvalidClaimError([
    { path: 'hospital.tier', message: `is not a tier of ${policy.id}; its tiers are: ${Object.keys(policy.tiers).join(', ')}` },
  ]);
}

function inpatientCoverage(claim: Claim, policy: Policy, path: CarePath): Coverage {
  const benefit = policy.inpatient;
  if (!benefit) return incomplete(policy, path, `${path} care`);
  const unknown = checkTierKnown(claim, policy, path);
  if (unknown) return unknown;
  const tier = claim.hospital.tier;
  const row = Object.hasOwn(benefit.tiers, tier) ? benefit.tiers[tier] : undefined;
  if (row) return { kind: 'covered', inpatientTier: { tier, ...row } };
  return benefit.otherTiers === 'not-covered'
    ? { kind: 'not-covered', message: `${policy.id} does not pay inpatient care at tier ${tier}`, source: benefit }
    : incomplete(policy, path, `inpatient care at tier ${tier}`);
}

function outpatientCoverage(claim: Claim, policy: Policy): Coverage {
  const benefit = policy.outpatient;
  if (!benefit) return incomplete(policy, 'outpatient', 'outpatient care');
  const unknown = checkTierKnown(claim, policy, 'outpatient');
  if (unknown) return unknown;
  const tier = claim.hospital.tier;
  const rule = (Object.hasOwn(benefit.tiers, tier) ? benefit.tiers[tier] : undefined) ?? benefit.default;
  if (!rule) {
    return benefit.otherTiers === 'not-covered'
      ? { kind: 'not-covered', message: `${policy.id} does not pay outpatient care at tier ${tier}`, source: benefit }
      : incomplete(policy, 'outpatient', `outpatient care at tier ${tier}`);
  }
  if (!rule.covered) return { kind: 'not-covered', message: `${policy.id} does not pay general outpatient care at tier ${tier}`, source: rule };
  const requires = rule.requires;
  if (requires?.primaryCare === true && !claim.hospital.primaryCare) {
    return { kind: 'not-covered', message: 'general outpatient care is paid only at primary-care institutions', source: requires };
  }
  if (requires?.memberCategory !== undefined && !claim.member.categories.includes(requires.memberCategory)) {
    return {
      kind: 'not-covered',
      message: `outpatient care at tier ${tier} is only for members in category ${requires.memberCategory}`,
      source: requires,
    };
  }
  return { kind: 'covered', outpatientRule: rule };
}

/**
 * What the policy has for the claim's path and tier.
 * @throws InvalidClaimError when the hospital tier is unknown to a policy that has the numbers for the path.
 */
export function coverageOf(claim: Claim, policy: Policy, path: CarePath): Coverage {
  switch (path) {
    case 'inpatient':
    case 'emergency-death':
      return inpatientCoverage(claim, policy, path);
    case 'special-outpatient':
      return policy.specialOutpatient ? inpatientCoverage(claim, policy, path) : incomplete(policy, path, 'special-outpatient care');
    case 'childbirth':
    case 'serious-disease':
      return checkTierKnown(claim, policy, path) ?? { kind: 'covered' };
    case 'outpatient':
      return outpatientCoverage(claim, policy);
  }
}
