/**
 * The agency's catalogue (医保目录): what each national catalogue code (`med_list_codg`) is under the
 * claim contract (its item category and, for class-b items, the self-pay ratio), and the agency's
 * serious-disease list (the diagnosis codes whose stays are settled on a quota, with the group and
 * quota the contract needs). A HIS sends codes; what they mean is the agency's data, loaded from a file
 * in this format (docs/national-interface.md#the-catalogue-file), validated here.
 *
 * A 2301 fee line is answered from it: a code the catalogue does not hold is wholly own pay with a
 * reason, never a guess.
 */
import * as z from 'zod';
import { ITEM_CATEGORIES, type ItemCategory, SERIOUS_DISEASE_GROUPS, type SeriousDiseaseGroup } from '../contract/claim.js';
import type { FieldIssue } from '../contract/errors.js';
import { type Fen, type Ratio, RATIO_ONE, applyRatioRoundHalfUp, complement, isMoneyString, isRatioString, parseMoney, parseRatio } from '../money/money.js';
import type { Policy } from '../policy/schema.js';

/** Categories a catalogue entry may give: every contract category but emergency observation, which is a fact of the visit, not of an item. */
export const CATALOGUE_CATEGORIES = ITEM_CATEGORIES.filter((category) => category !== 'er-observation') as Exclude<ItemCategory, 'er-observation'>[];

/** 收费项目等级 chrgitm_lv: 01 甲类, 02 乙类, 03 丙类（自费）. */
export const CHRGITM_LV = { a: '01', b: '02', ownPay: '03' } as const;

const ratioText = z.string().refine(isRatioString, 'must be a ratio from 0 to 1 with at most four decimals, such as "0.10"');
const moneyText = z.string().refine(isMoneyString, 'must be a yuan amount with at most two decimals, such as "80000.00"');

const entrySchema = z
  .strictObject({
    med_list_codg: z.string().min(1).max(50),
    name: z.string().min(1).max(200),
    category: z.enum(CATALOGUE_CATEGORIES as [string, ...string[]]),
    /** Class-b only: the share the patient pays first (先行自付比例). */
    selfPayRatio: ratioText.optional(),
    /** 医疗收费项目类别 (01 床位费 … 09 西药费 … 14 其他费); 14 when absent. */
    med_chrgitm_type: z.string().regex(/^\d{2}$/).default('14'),
    /** 收费项目等级: by category when absent (out-of-catalogue 03, class-b 02, the rest 01). */
    chrgitm_lv: z.enum([CHRGITM_LV.a, CHRGITM_LV.b, CHRGITM_LV.ownPay]).optional(),
  })
  .superRefine((entry, ctx) => {
    if (entry.category === 'class-b' && entry.selfPayRatio === undefined) ctx.addIssue({ code: 'custom', path: ['selfPayRatio'], message: 'is required for a class-b entry' });
    if (entry.category !== 'class-b' && entry.selfPayRatio !== undefined) ctx.addIssue({ code: 'custom', path: ['selfPayRatio'], message: 'is allowed only on a class-b entry' });
  });

const seriousDiseaseSchema = z.strictObject({
  /** The diagnosis code a HIS sends (dise_codg / diag_code, ICD-10), matched exactly or by prefix ending in `*`. */
  dise_codg: z.string().min(1).max(30),
  /** The code the policy and the contract name the disease by. */
  code: z.string().min(1).max(64),
  group: z.enum(SERIOUS_DISEASE_GROUPS),
  quota: moneyText,
});

/** The catalogue file: `{ id, version, source, items: [...], seriousDiseases: [...] }`. */
export const catalogueFileSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'must be a lower-case id such as jinzhong-2018'),
  version: z.string().min(1).max(32),
  /** The document the agency's catalogue comes from. */
  source: z.string().min(1).max(500),
  items: z.array(entrySchema).min(1),
  seriousDiseases: z.array(seriousDiseaseSchema).default([]),
});

export type CatalogueFile = z.output<typeof catalogueFileSchema>;
export type CatalogueFileInput = z.input<typeof catalogueFileSchema>;

/** One catalogue entry as the answers use it: ratio in ten-thousandths. */
export interface CatalogueEntry {
  readonly code: string;
  readonly name: string;
  readonly category: Exclude<ItemCategory, 'er-observation'>;
  readonly selfPayRatio: Ratio | undefined;
  readonly medChrgitmType: string;
  readonly chrgitmLv: string;
}

/** A serious disease of the agency's list. */
export interface SeriousDiseaseEntry {
  readonly code: string;
  readonly group: SeriousDiseaseGroup;
  readonly quota: Fen;
}

/** A catalogue file that does not validate; `issues` name each bad field. */
export class InvalidCatalogueError extends Error {
  constructor(
    readonly issues: readonly FieldIssue[],
    options?: ErrorOptions,
  ) {
    super(`invalid catalogue: ${issues.map((i) => `${i.path || '(file)'} ${i.message}`).join('; ')}`, options);
    this.name = 'InvalidCatalogueError';
  }
}

/** A loaded catalogue: entries by code, serious diseases by diagnosis code. */
export class Catalogue {
  private readonly entries: ReadonlyMap<string, CatalogueEntry>;
  private readonly diseases: readonly (SeriousDiseaseEntry & { readonly match: string; readonly prefix: boolean })[];

  constructor(readonly file: CatalogueFile) {
    this.entries = new Map(file.items.map((item) => [item.med_list_codg, entryOf(item)] as const));
    this.diseases = file.seriousDiseases.map((d) => ({
      code: d.code,
      group: d.group,
      quota: parseMoney(d.quota),
      match: d.dise_codg.replace(/\*$/, ''),
      prefix: d.dise_codg.endsWith('*'),
    }));
  }

  /** The entry of a national catalogue code, or undefined. */
  entry(code: string): CatalogueEntry | undefined {
    return this.entries.get(code);
  }

  /** The serious disease a diagnosis code is on the agency's list as, or undefined (the longest prefix wins). */
  seriousDisease(diagnosis: string): SeriousDiseaseEntry | undefined {
    let best: (typeof this.diseases)[number] | undefined;
    for (const d of this.diseases) {
      const hit = d.prefix ? diagnosis.startsWith(d.match) : diagnosis === d.match;
      if (hit && (best === undefined || d.match.length > best.match.length)) best = d;
    }
    return best;
  }

  get size(): number {
    return this.entries.size;
  }
}

function entryOf(item: CatalogueFile['items'][number]): CatalogueEntry {
  const category = item.category as CatalogueEntry['category'];
  return {
    code: item.med_list_codg,
    name: item.name,
    category,
    selfPayRatio: item.selfPayRatio === undefined ? undefined : parseRatio(item.selfPayRatio),
    medChrgitmType: item.med_chrgitm_type,
    chrgitmLv: item.chrgitm_lv ?? (category === 'out-of-catalogue' ? CHRGITM_LV.ownPay : category === 'class-b' ? CHRGITM_LV.b : CHRGITM_LV.a),
  };
}

/**
 * Validates a catalogue file's parsed JSON; codes must be unique.
 * @throws InvalidCatalogueError naming every bad field.
 */
export function parseCatalogue(input: unknown): Catalogue {
  const result = catalogueFileSchema.safeParse(input);
  if (!result.success) throw new InvalidCatalogueError(result.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })));
  const issues: FieldIssue[] = [];
  const seen = new Set<string>();
  result.data.items.forEach((item, index) => {
    if (seen.has(item.med_list_codg)) issues.push({ path: `items.${index}.med_list_codg`, message: `duplicates ${item.med_list_codg}` });
    seen.add(item.med_list_codg);
  });
  if (issues.length > 0) throw new InvalidCatalogueError(issues);
  return new Catalogue(result.data);
}

/** How one fee line divides, as 2301 answers it (fen, ratio in ten-thousandths). */
export interface LineAnswer {
  readonly category: ItemCategory;
  readonly selfPayRatio: Ratio | undefined;
  readonly fullOwnPay: Fen;
  readonly preSelfPay: Fen;
  readonly inScope: Fen;
  /** 自付比例: the share of the line outside the policy scope. */
  readonly selfPayShare: Ratio;
  readonly chrgitmLv: string;
  readonly medChrgitmType: string;
  /** Why the line is answered as it is, in Chinese, when that is not plain (unknown code, partly included). */
  readonly memo: string | null;
}

/**
 * A fee line answered from its catalogue entry and the policy in force: the same per-line arithmetic as
 * the engine's scope step (R10, R24), so the lines' answers add up to the settlement's split.
 */
export function answerLine(code: string, amount: Fen, entry: CatalogueEntry | undefined, policy: Policy | undefined): LineAnswer {
  if (entry === undefined) {
    return {
      category: 'out-of-catalogue',
      selfPayRatio: undefined,
      fullOwnPay: amount,
      preSelfPay: 0 as Fen,
      inScope: 0 as Fen,
      selfPayShare: RATIO_ONE,
      chrgitmLv: CHRGITM_LV.ownPay,
      medChrgitmType: '14',
      memo: `医保目录中无编码${code}，按全自费处理（not in the agency catalogue: wholly own pay）`,
    };
  }
  const base = { category: entry.category, selfPayRatio: entry.selfPayRatio, chrgitmLv: entry.chrgitmLv, medChrgitmType: entry.medChrgitmType };
  if (entry.category === 'out-of-catalogue') {
    return { ...base, fullOwnPay: amount, preSelfPay: 0 as Fen, inScope: 0 as Fen, selfPayShare: RATIO_ONE, memo: '目录外项目，全自费（out of catalogue）' };
  }
  let included: Ratio = RATIO_ONE;
  let memo: string | null = null;
  if (entry.category === 'class-b') {
    included = complement(entry.selfPayRatio ?? (0 as Ratio));
    memo = `乙类，先行自付比例${(entry.selfPayRatio ?? 0) / 100}%`;
  } else if (entry.category !== 'catalogue') {
    const rule = policy?.scope.inclusion[entry.category as keyof Policy['scope']['inclusion']];
    if (rule) {
      included = rule.ratio;
      memo = `${rule.clause}：纳入比例${rule.ratio / 100}%`;
    }
  }
  const inScope = included === RATIO_ONE ? amount : applyRatioRoundHalfUp(amount, included);
  return { ...base, fullOwnPay: 0 as Fen, preSelfPay: (amount - inScope) as Fen, inScope, selfPayShare: complement(included), memo };
}
