/**
 * Step 6 of the readings: the policy scope of a claim, line by line. Each line's in-scope share is
 * rounded half up to the fen (R24); the rest of the line is pre-self-pay, and out-of-catalogue lines
 * (and emergency observation the policy does not merge) are full own pay.
 */
import { daysBetween } from '../calendar/dates.js';
import type { Claim, ClaimItem, ItemCategory } from '../contract/claim.js';
import { type Fen, type Ratio, RATIO_ONE, applyRatioRoundHalfUp, complement } from '../money/money.js';
import { type Policy, type Source } from '../policy/schema.js';
import { ENGINE_CLAUSES } from './clauses.js';
import type { ScopeLine, Trace } from './trace.js';

/** How a claim's total divides before any payer is considered. */
export interface Scope {
  readonly total: Fen;
  readonly fullOwnPay: Fen;
  readonly preSelfPay: Fen;
  readonly policyScope: Fen;
}

const CONTRACT: Source = ENGINE_CLAUSES.itemCategories;

/** The sum of the claim's lines. */
export function claimTotal(claim: Claim): Fen {
  let total = 0;
  for (const item of claim.items) total += item.amount;
  return total as Fen;
}

/** What the lines of one category add up to. */
interface Tally {
  readonly category: ItemCategory;
  readonly source: Source;
  lines: number;
  amount: number;
  inScope: number;
  /** The lines worth showing one by one; created on the first. */
  details: ScopeLine[] | undefined;
}

const NO_DETAILS: readonly ScopeLine[] = [];

/** The tally of a category, in the order categories first appear (at most nine: a scan beats a map). */
function tallyOf(tallies: Tally[], category: ItemCategory, source: Source): Tally {
  for (const tally of tallies) if (tally.category === category) return tally;
  const tally: Tally = { category, source, lines: 0, amount: 0, inScope: 0, details: undefined };
  tallies.push(tally);
  return tally;
}

function addDetail(tally: Tally, line: ScopeLine): void {
  if (tally.details === undefined) tally.details = [line];
  else tally.details.push(line);
}

/** The policy's inclusion rule for a partly included category, when it sets one. */
function inclusionRule(item: ClaimItem, policy: Policy): (Source & { readonly ratio: Ratio }) | undefined {
  switch (item.category) {
    case 'large-equipment':
    case 'implant-domestic':
    case 'implant-imported':
    case 'disposable-material':
    case 'blood':
      return policy.scope.inclusion[item.category];
    default:
      return undefined;
  }
}

/**
 * Splits the claim's lines into full own pay, pre-self-pay and policy scope, noting each kind of line
 * in the trace.
 */
export function computeScope(claim: Claim, policy: Policy, trace: Trace): Scope {
  const tallies: Tally[] = [];
  let total = 0;
  let fullOwnPay = 0;
  let preSelfPay = 0;
  let policyScope = 0;
  const merge = policy.scope.erObservation;
  for (const item of claim.items) {
    total += item.amount;
    if (item.category === 'out-of-catalogue') {
      const tally = tallyOf(tallies, 'out-of-catalogue', CONTRACT);
      tally.lines += 1;
      tally.amount += item.amount;
      fullOwnPay += item.amount;
      continue;
    }
    if (item.category === 'er-observation') {
      const days = daysBetween(item.date ?? claim.visit.admittedOn, claim.visit.admittedOn);
      const merged = merge !== null && days >= 0 && days <= merge.mergeWithinDays;
      const tally = tallyOf(tallies, 'er-observation', merge ?? ENGINE_CLAUSES.noObservationMerge);
      tally.lines += 1;
      tally.amount += item.amount;
      if (merged) {
        tally.inScope += item.amount;
        policyScope += item.amount;
      } else fullOwnPay += item.amount;
      addDetail(tally, { kind: 'observation', amount: item.amount, date: item.date, days, merged, mergeWithinDays: merged ? merge.mergeWithinDays : undefined });
      continue;
    }
    let ratio = RATIO_ONE;
    let source = CONTRACT;
    if (item.category === 'class-b') {
      ratio = complement(item.selfPayRatio ?? (0 as Ratio));
      source = ENGINE_CLAUSES.classBSelfPay;
    } else {
      const rule = inclusionRule(item, policy);
      if (rule) {
        ratio = rule.ratio;
        source = rule;
      }
    }
    const inScope = ratio === RATIO_ONE ? item.amount : applyRatioRoundHalfUp(item.amount, ratio);
    const tally = tallyOf(tallies, item.category, source);
    tally.lines += 1;
    tally.amount += item.amount;
    tally.inScope += inScope;
    policyScope += inScope;
    preSelfPay += item.amount - inScope;
    if (ratio !== RATIO_ONE) addDetail(tally, { kind: 'included', amount: item.amount, ratio, inScope });
  }
  for (const { category, source, lines, amount, inScope, details } of tallies) {
    trace.note('scope.category', source, { category, lines, amount: amount as Fen, inScope: inScope as Fen, details: details ?? NO_DETAILS }, inScope as Fen);
  }
  const scope = { total: total as Fen, fullOwnPay: fullOwnPay as Fen, preSelfPay: preSelfPay as Fen, policyScope: policyScope as Fen };
  trace.note('scope.total', ENGINE_CLAUSES.amounts, scope, scope.policyScope);
  return scope;
}

