/**
 * The trace: every amount the engine sets, with its rule and arithmetic.
 *
 * The engine records each step as data (the step, the clause it applies, the numbers in fen and
 * ratios it used, the amount it set) and nothing else: no text is written while a claim is settled.
 * The English and Chinese sentences are rendered from that data by the message catalogue
 * (`messages.ts`) only when an entry is read: when a settlement is serialized or shown. Settling a
 * province's claims in a replay therefore pays for arithmetic, not for prose nobody reads.
 */
import type { CarePath, Policy, Source } from '../policy/schema.js';
import type { ChildbirthKind, ItemCategory, MemberCategory, SeriousDiseaseGroup } from '../contract/claim.js';
import { type Fen, type Ratio, formatMoney } from '../money/money.js';
import { renderEnglish, renderChinese } from './messages.js';
import { type Amounts, type RejectionCode, type TraceEntry, type TraceEntryJson, traceEntryToJson } from './settlement.js';

/** Every step a trace entry can belong to, in the order the engine takes them. */
export const TRACE_STEPS = [
  'policy',
  'eligibility',
  'path',
  'scope',
  'deductible',
  'ratio',
  'basic',
  'cap',
  'catastrophic',
  'assistance',
  'charity',
  'patient',
  'rejection',
] as const;
/** The step of a trace entry: what exports and slips select entries by. */
export type TraceStep = (typeof TRACE_STEPS)[number];

/** Why the member is covered on the admission date (or, in a rejection, why not). */
export type CoverFacts =
  | { readonly kind: 'regular'; readonly year: number }
  | { readonly kind: 'newborn-birth-year'; readonly paidOn: string; readonly birthDate: string; readonly fromBirth: boolean }
  | {
      readonly kind: 'newborn-within-months';
      readonly paidOn: string;
      readonly birthDate: string;
      readonly fromBirth: boolean;
      readonly months: number;
      /** The last day of the months after birth. */
      readonly limit: string;
    }
  | { readonly kind: 'mid-year'; readonly paidOn: string; readonly start: string }
  | { readonly kind: 'late'; readonly paidOn: string }
  | { readonly kind: 'late-waiting'; readonly paidOn: string; readonly benefitsFrom: string; readonly waitingDays: number };

/** One line of a category's scope split worth showing: a partly included line or an observation line. */
export type ScopeLine =
  | { readonly kind: 'included'; readonly amount: Fen; readonly ratio: Ratio; readonly inScope: Fen }
  | {
      readonly kind: 'observation';
      readonly amount: Fen;
      readonly date: string | undefined;
      readonly days: number;
      readonly merged: boolean;
      readonly mergeWithinDays: number | undefined;
    };

/** A reason the deductible is relieved (R03–R05). */
export type ReliefReason = { readonly kind: 'child'; readonly age: number; readonly maxAge: number } | { readonly kind: 'repeat'; readonly admissions: number };

/**
 * The numbers behind each kind of trace entry. The key is the entry's kind, `step.variant`; its
 * step is the part before the dot. Every kind has an English and a Chinese sentence in the catalogue.
 */
/** What the assistance and charity layers of a serious disease record alike: the share of the base paid within what was left. */
interface SeriousDiseaseShare {
  readonly group: SeriousDiseaseGroup;
  readonly category: MemberCategory;
  readonly base: Fen;
  readonly ratio: Ratio;
  readonly share: Fen;
  readonly left: Fen;
  readonly paid: Fen;
}

export interface TraceFacts {
  'policy.in-force': { readonly policy: Policy; readonly dischargedOn: string; readonly year: number; readonly sources: readonly string[] };
  'eligibility.covered': { readonly cover: CoverFacts; readonly admitted: string };
  'path.chosen': { readonly path: CarePath };
  'scope.category': {
    readonly category: ItemCategory;
    readonly lines: number;
    readonly amount: Fen;
    readonly inScope: Fen;
    readonly details: readonly ScopeLine[];
  };
  'scope.total': { readonly total: Fen; readonly fullOwnPay: Fen; readonly preSelfPay: Fen; readonly policyScope: Fen };
  'scope.serious-disease': {
    readonly code: string;
    readonly group: SeriousDiseaseGroup;
    readonly total: Fen;
    readonly quota: Fen;
    readonly base: Fen;
    readonly hospitalBorne: Fen;
  };
  'deductible.table': { readonly standard: Fen; readonly tier: string };
  'deductible.relieved': {
    readonly standard: Fen;
    readonly tier: string;
    readonly factors: readonly Ratio[];
    readonly reduced: Fen;
    readonly reasons: readonly ReliefReason[];
    readonly combine: 'lowest' | 'stack';
  };
  'deductible.special-none': Record<string, never>;
  'deductible.special-taken': Record<string, never>;
  'deductible.special-standard': { readonly standard: Fen; readonly tier: string; readonly onceAYear: boolean };
  'deductible.below-scope': { readonly policyScope: Fen };
  'deductible.outpatient-annual': { readonly annual: Fen; readonly used: Fen; readonly left: Fen; readonly applied: Fen };
  'ratio.tier': { readonly ratio: Ratio; readonly tier: string };
  'ratio.non-designated-emergency': { readonly ratio: Ratio };
  'ratio.emergency-exempt': { readonly ratio: Ratio };
  'ratio.referral-penalty': { readonly ratio: Ratio; readonly tier: string; readonly points: Ratio; readonly emergency: boolean; readonly lowered: Ratio };
  'ratio.outpatient': { readonly ratio: Ratio; readonly tier: string; readonly notReferred: boolean };
  'basic.formula': { readonly path: CarePath; readonly policyScope: Fen; readonly deductible: Fen; readonly ratio: Ratio; readonly computed: Fen };
  'basic.serious-disease': { readonly base: Fen; readonly ratio: Ratio; readonly computed: Fen };
  'basic.childbirth': { readonly delivery: ChildbirthKind | undefined; readonly primaryCare: boolean; readonly standard: Fen; readonly policyScope: Fen; readonly paid: Fen };
  'cap.basic': { readonly counter: 'basic paid' | 'outpatient paid'; readonly cap: Fen; readonly used: Fen; readonly left: Fen; readonly computed: Fen };
  'cap.catastrophic': { readonly cap: Fen; readonly paid: Fen; readonly left: Fen; readonly computed: Fen };
  'catastrophic.segment': {
    readonly from: Fen;
    readonly to: Fen | null;
    readonly rate: Ratio;
    readonly before: Fen;
    readonly after: Fen;
    readonly overlap: Fen;
    readonly pay: Fen;
  };
  'catastrophic.none': { readonly before: Fen; readonly after: Fen };
  'assistance.general': {
    readonly category: MemberCategory;
    readonly left: Fen;
    readonly ratio: Ratio;
    readonly computed: Fen;
    readonly paid: Fen;
    readonly room: Fen;
  };
  'assistance.serious-disease': SeriousDiseaseShare;
  'assistance.serious-disease-none': { readonly group: SeriousDiseaseGroup; readonly categories: readonly MemberCategory[] };
  'charity.serious-disease': SeriousDiseaseShare & { readonly age: number };
  'charity.serious-disease-none': {
    readonly group: SeriousDiseaseGroup;
    readonly minAge: number;
    readonly maxAge: number;
    readonly age: number;
    readonly hasCategory: boolean;
  };
  'patient.remainder': Pick<Amounts, 'total' | 'basic' | 'catastrophic' | 'assistance' | 'charity' | 'hospitalBorne' | 'patient'>;
  'rejection.refused': { readonly code: RejectionCode; readonly message: string; readonly total: Fen };
}

/** The kind of a trace entry: its step and variant. */
export type TraceKind = keyof TraceFacts;

/** Compile-time check: every kind is `step.variant` with a step of {@link TRACE_STEPS}. */
type KindsNameSteps = TraceKind extends `${TraceStep}.${string}` ? true : never;
const KINDS_NAME_STEPS: KindsNameSteps = true;
void KINDS_NAME_STEPS;

/** The step a kind of entry belongs to. */
export const stepOf = (kind: TraceKind): TraceStep => kind.slice(0, kind.indexOf('.')) as TraceStep;

/**
 * One trace entry as the engine records it: data, with the sentences and the formatted amount
 * rendered on first read. It reads as a {@link TraceEntry}, and serializes (also through
 * `JSON.stringify`) as the contract's trace entry.
 */
export class TraceRecord<K extends TraceKind = TraceKind> implements TraceEntry {
  constructor(
    readonly kind: K,
    readonly source: Source,
    readonly facts: TraceFacts[K],
    /** The amount the step set, in fen, when it set one. */
    readonly fen: Fen | undefined,
    /** The policy the claim is settled under, whose data names tiers in Chinese; undefined before one is found. */
    readonly policy: Policy | undefined,
  ) {}

  get step(): TraceStep {
    return stepOf(this.kind);
  }

  get clause(): string {
    return this.source.clause;
  }

  get reading(): string | undefined {
    return this.source.reading;
  }

  /** The English sentence: the arithmetic, as the contract's `detail`. */
  get detail(): string {
    return renderEnglish(this.kind, this.facts);
  }

  /** The Chinese sentence a cashier reads: the rule, the numbers and the clause. */
  get zh(): string {
    return renderChinese(this.kind, this.facts, this.source, this.policy);
  }

  get amount(): string | undefined {
    return this.fen === undefined ? undefined : formatMoney(this.fen);
  }

  toJSON(): TraceEntryJson {
    return traceEntryToJson(this);
  }
}

/** Collects trace entries in the order the engine computes them. */
export class Trace {
  readonly entries: TraceRecord[] = [];
  /** The policy in force, once found: the Chinese sentences take tier names from it. */
  policy: Policy | undefined = undefined;

  /** Notes a step: its kind, where its rule comes from, the numbers it used, and the amount it set, if any. */
  note<K extends TraceKind>(kind: K, source: Source, facts: TraceFacts[K], amount?: Fen): void {
    this.entries.push(new TraceRecord(kind, source, facts, amount, this.policy) as unknown as TraceRecord);
  }
}
