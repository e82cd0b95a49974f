/**
 * The scope split line by line, as a HIS reads it from its 2301 answers: out-of-catalogue lines full
 * own pay, the class-b and partly included lines' own-pay shares pre-self-pay, the rest in scope,
 * whatever care path later settles the claim (a serious-disease quota changes who pays, not what a
 * line was). The engine's own scope step computes it, so the lines and the settlement never disagree.
 */
import type { Claim } from '../contract/claim.js';
import { computeScope } from '../engine/scope.js';
import { Trace } from '../engine/trace.js';
import type { PolicyBook } from '../policy/book.js';
import type { LineScope } from './setlinfo.js';

/** The claim's line-level split under the policy in force on its discharge date, or undefined when none is. */
export function lineScopeOf(claim: Claim, book: PolicyBook): LineScope | undefined {
  const loaded = book.inForce(claim.member.region, claim.visit.dischargedOn);
  if (!loaded) return undefined;
  const { fullOwnPay, preSelfPay, policyScope } = computeScope(claim, loaded.policy, new Trace());
  return { fullOwnPay, preSelfPay, policyScope };
}
