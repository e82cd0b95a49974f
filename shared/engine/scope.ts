/**
 * Step 6 of the readings: the policy scope of a claim, line by line. Each line's in-scope share is
 * rounded half up to the fen (R24); the rest of the line is pre-self-pay, and out-of-catalogue lines
 * (and emergency observation the policy does not merge) are full own pay.
 */
import { daysBetween } from '../calendar/dates.js';
import type { Claim, ClaimItem, ItemCategory } from '../contract/claim.js';
import { type Fen, type Ratio, RATIO_ONE, applyRatio, complement } from '../money/money.js';
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

interface Tally {
  lines: number;
  amount: number;
  inScope: number;
  details: ScopeLine[];
}

const newTally = (): Tally => ({ lines: 0, amount: 0, inScope: 0, details: [] });

/** The inclusion ratio of a line and where it comes from. */
function inclusionOf(item: ClaimItem, policy: Policy): { ratio: Ratio; source: Source } | undefined {
  switch (item.category) {
    case 'class-b':
      return { ratio: complement(item.selfPayRatio ?? (0 as Ratio)), source: ENGINE_CLAUSES.classBSelfPay };
    case 'large-equipment':
    case 'implant-domestic':
    case 'implant-imported':
    case 'disposable-material':
    case 'blood': {
      const rule = policy.scope.inclusion[item.category];
      return rule ? { ratio: rule.ratio, source: rule } : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * Splits the claim's lines into full own pay, pre-self-pay and policy scope, noting each kind of line
 * in the trace.
 */
export function computeScope(claim: Claim, policy: Policy, trace: Trace): Scope {
  const tallies = new Map<ItemCategory, { tally: Tally; source: Source }>();
  const tallyFor = (key: ItemCategory, source: Source): Tally => {
    let entry = tallies.get(key);
    if (!entry) {
      entry = { tally: newTally(), source };
      tallies.set(key, entry);
    }
    return entry.tally;
  };
  let total = 0;
  let fullOwnPay = 0;
  let preSelfPay = 0;
  let policyScope = 0;
  const merge = policy.scope.erObservation;
  for (const item of claim.items) {
    total += item.amount;
    if (item.category === 'out-of-catalogue') {
      const tally = tallyFor('out-of-catalogue', CONTRACT);
      tally.lines += 1;
      tally.amount += item.amount;
      fullOwnPay += item.amount;
      continue;
    }
    if (item.category === 'er-observation') {
      const days = daysBetween(item.date ?? claim.visit.admittedOn, claim.visit.admittedOn);
      const merged = merge !== null && days >= 0 && days <= merge.mergeWithinDays;
      const tally = tallyFor('er-observation', merge ?? ENGINE_CLAUSES.noObservationMerge);
      tally.lines += 1;
      tally.amount += item.amount;
      if (merged) {
        tally.inScope += item.amount;
        policyScope += item.amount;
      } else fullOwnPay += item.amount;
      tally.details.push({ kind: 'observation', amount: item.amount, date: item.date, days, merged, mergeWithinDays: merged ? merge.mergeWithinDays : undefined });
      continue;
    }
    const inclusion = inclusionOf(item, policy);
    const ratio = inclusion?.ratio ?? RATIO_ONE;
    const inScope = ratio === RATIO_ONE ? item.amount : applyRatio(item.amount, ratio);
    const tally = tallyFor(item.category, inclusion?.source ?? CONTRACT);
    tally.lines += 1;
    tally.amount += item.amount;
    tally.inScope += inScope;
    policyScope += inScope;
    preSelfPay += item.amount - inScope;
    if (ratio !== RATIO_ONE) {
      tally.details.push({ kind: 'included', amount: item.amount, ratio, inScope });
    }
  }
  for (const [category, { tally, source }] of tallies) {
    const inScope = tally.inScope as Fen;
    trace.note('scope.category', source, { category, lines: tally.lines, amount: tally.amount as Fen, inScope, details: tally.details }, inScope);
  }
  const scope = { total: total as Fen, fullOwnPay: fullOwnPay as Fen, preSelfPay: preSelfPay as Fen, policyScope: policyScope as Fen };
  trace.note('scope.total', ENGINE_CLAUSES.amounts, scope, scope.policyScope);
  return scope;
}

