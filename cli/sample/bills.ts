/**
 * The pieces of a sample claim: the item lines of a bill, the hospital, the visit, and the draft a
 * region's rules fill in before the generator finishes it.
 */
import { addDays } from '../../shared/calendar/dates.js';
import type { ClaimInput } from '../../shared/contract/claim.js';
import { type Fen, formatMoney } from '../../shared/money/money.js';
import type { Dice } from './dice.js';
import { AREA_OF, type Member, type SampleRegion } from './members.js';

export type Item = ClaimInput['items'][number];
type Visit = ClaimInput['visit'];
type Hospital = ClaimInput['hospital'];

/** A claim as a region's rules draw it, before the generator adds the member and the claim id. */
export interface Draft {
  hospital: Hospital;
  visit: Visit;
  items: Item[];
  submittedOn?: string;
}

/** Item lines of an inpatient bill of about `total`, with the categories a real HIS bill carries. */
export function inpatientItems(dice: Dice, total: Fen, admittedOn: string, observation: boolean): Item[] {
  const items: Item[] = [];
  const share = (ratio: number): Fen => Math.max(100, Math.round(total * ratio)) as Fen;
  items.push({ code: 'D001', name: '甲类药品及诊疗服务', category: 'catalogue', amount: formatMoney(share(0.45 + dice.next() * 0.15)) });
  items.push({ code: 'B010', name: '乙类药品', category: 'class-b', amount: formatMoney(share(0.1 + dice.next() * 0.1)), selfPayRatio: dice.pick(['0.05', '0.10', '0.15', '0.20', '0.30']) });
  if (dice.chance(0.3)) items.push({ code: 'E100', name: 'CT/MRI 大型设备检查', category: 'large-equipment', amount: formatMoney(dice.yuan(300, 2500)) });
  if (dice.chance(0.5)) items.push({ code: 'M200', name: '一次性医用材料', category: 'disposable-material', amount: formatMoney(share(0.03 + dice.next() * 0.07)) });
  if (dice.chance(0.08)) items.push({ code: 'I300', name: '国产植入材料', category: 'implant-domestic', amount: formatMoney(dice.yuan(3000, 30000)) });
  if (dice.chance(0.03)) items.push({ code: 'I310', name: '进口植入材料', category: 'implant-imported', amount: formatMoney(dice.yuan(8000, 60000)) });
  if (dice.chance(0.05)) items.push({ code: 'X400', name: '血液', category: 'blood', amount: formatMoney(dice.yuan(400, 4000)) });
  if (dice.chance(0.4)) items.push({ code: 'Z900', name: '目录外药品 (丙类)', category: 'out-of-catalogue', amount: formatMoney(share(0.02 + dice.next() * 0.1)) });
  if (observation) {
    // Observation within 7 days merges into the admission (R16); earlier observation is not payable here.
    const daysBefore = dice.chance(0.75) ? dice.int(0, 7) : dice.int(8, 14);
    items.push({ category: 'er-observation', name: '急诊留观', amount: formatMoney(dice.yuan(150, 1500)), date: addDays(admittedOn, -daysBefore) });
  }
  return items;
}

/** Item lines of an outpatient visit of about `total`. */
export function outpatientItems(dice: Dice, total: Fen): Item[] {
  const items: Item[] = [{ code: 'D001', name: '甲类药品及诊疗服务', category: 'catalogue', amount: formatMoney(Math.max(100, Math.round(total * 0.8)) as Fen) }];
  if (dice.chance(0.5)) items.push({ code: 'B010', name: '乙类药品', category: 'class-b', amount: formatMoney(Math.max(100, Math.round(total * 0.2)) as Fen), selfPayRatio: '0.10' });
  if (dice.chance(0.15)) items.push({ code: 'Z900', name: '目录外药品 (丙类)', category: 'out-of-catalogue', amount: formatMoney(dice.yuan(5, 80)) });
  return items;
}

/** Exactly `count` lines: extra catalogue lines split off the first line, or the tail cut off. */
export function fitLines(items: Item[], count: number): Item[] {
  if (items.length >= count) return items.slice(0, count);
  const [first, ...rest] = items as [Item, ...Item[]];
  const extra = count - items.length;
  const firstFen = Math.round(Number(first.amount) * 100);
  const part = Math.max(1, Math.floor(firstFen / (extra + 1)));
  const lines: Item[] = [{ ...first, amount: formatMoney((firstFen - part * extra) as Fen) }];
  for (let i = 0; i < extra; i += 1) {
    lines.push({ code: `D${String(i + 2).padStart(3, '0')}`, name: '甲类药品及诊疗服务', category: 'catalogue', amount: formatMoney(part as Fen) });
  }
  return [...lines, ...rest];
}

/** A designated hospital of `region` at `tier`, its id numbered within the tier. */
export const hospital = (region: SampleRegion, tier: string, number: number, extra: Partial<Hospital> = {}): Hospital => ({
  id: `H-${AREA_OF[region]}-${tier}-${number}`,
  tier,
  designated: true,
  primaryCare: false,
  outsidePoolingArea: false,
  ...extra,
});

/** A visit with no flags set: not an emergency, not referred, caused by illness. */
export const plainVisit = (type: Visit['type'], admittedOn: string, dischargedOn: string): Visit => ({
  type,
  admittedOn,
  dischargedOn,
  emergency: false,
  referral: false,
  cause: 'illness',
});

/** The admission date of a stay of `days` ending on `discharge`, never before the previous discharge or the year. */
export function admissionFor(member: Member, discharge: string, days: number): string {
  let admitted = addDays(discharge, -days);
  const floor = [member.lastDischarge, `${member.enrolment.year}-01-01`, member.birthDate].reduce((a, b) => (a > b ? a : b));
  if (admitted < floor) admitted = floor > discharge ? discharge : floor;
  return admitted;
}
