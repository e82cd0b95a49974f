/**
 * The clauses the engine cites itself, where no policy document decides: the one-stop order, the
 * pieces of the claim contract, the readings chosen where a document is silent. Each cites the
 * project's own readings document by its anchor (docs/readings.md), a document every user has; the
 * policy packs cite their own documents for everything else. `zh` is the name a Chinese explanation
 * gives the clause.
 */
import type { Source } from '../policy/schema.js';

/** A clause of the engine's own, with its Chinese name. */
export interface EngineClause extends Source {
  readonly zh: string;
}

export const ENGINE_CLAUSES = {
  /** Step 1: the policy in force for the member's region on the discharge date (NO_POLICY when none). */
  policyInForce: { clause: 'docs/readings.md#policy-in-force', zh: '适用政策按出院日期确定' },
  /** R29: basic → catastrophic → assistance → charity → patient. */
  oneStopOrder: { clause: 'docs/readings.md#r29', reading: 'R29', zh: '一站式结算顺序' },
  /** The contract's item categories: catalogue lines wholly in scope, out-of-catalogue lines full own pay. */
  itemCategories: { clause: 'docs/readings.md#item-categories', zh: '费用类别划分' },
  /** R10: a class-b line's `selfPayRatio` is pre-self-pay, the rest in scope. */
  classBSelfPay: { clause: 'docs/readings.md#r10', reading: 'R10', zh: '乙类项目先行自付' },
  /** R16 under a policy with no merge rule: observation before admission is not paid in the claim. */
  noObservationMerge: { clause: 'docs/readings.md#r16', reading: 'R16', zh: '急诊留观费用并入规则' },
  /** The contract's amounts: total = full own pay + pre-self-pay + policy scope (+ hospital-borne). */
  amounts: { clause: 'docs/readings.md#amounts', zh: '医疗费用构成' },
  /** R23: a number the document leaves to another document (POLICY_INCOMPLETE). */
  noNumber: { clause: 'docs/readings.md#r23', reading: 'R23', zh: '政策文件未规定该项待遇' },
} as const satisfies Record<string, EngineClause>;

/** The Chinese name of an engine clause, by its clause text. */
export const ENGINE_CLAUSE_NAMES: ReadonlyMap<string, string> = new Map(Object.values(ENGINE_CLAUSES).map((c) => [c.clause, c.zh]));

/**
 * The readings the engine applies to a policy's own clause, where the document states the number but
 * not how to apply it: the trace cites the policy's clause with one of these reading ids
 * (docs/readings.md).
 */
export const ENGINE_READINGS = {
  /** R02: catastrophic segments on the year's cumulative compliant self-pay, paid on the increase. */
  cumulativeSegments: 'R02',
  /** R24: each payer amount rounded half up to the fen when computed. */
  roundHalfUp: 'R24',
  /** B11: a policy scope below the deductible: the deductible applied is the scope. */
  deductibleCappedAtScope: 'B11',
} as const satisfies Record<string, string>;
