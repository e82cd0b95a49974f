/**
 * The sample's members: where they are insured, their age, categories and enrolment, and the few heavy
 * users and grave illnesses that carry year-to-date totals over the catastrophic threshold and the caps.
 */
import { addDays, daysBetween } from '../../shared/calendar/dates.js';
import type { MemberCategory } from '../../shared/contract/claim.js';
import type { Dice } from './dice.js';

/** The regions the sample draws from: each table below must cover every one (the compiler checks). */
export type SampleRegion = 'jinzhong' | 'pingyang' | 'taiyuan' | 'shandong' | 'jincheng';
/** The insurance year each region's sample claims fall in: the year its seed policy is in force. */
export const YEAR_OF: Readonly<Record<SampleRegion, number>> = { jinzhong: 2018, pingyang: 2019, taiyuan: 2015, shandong: 2019, jincheng: 2020 };
/** The administrative area code each region's ids carry. */
export const AREA_OF: Readonly<Record<SampleRegion, string>> = { jinzhong: '140702', pingyang: '141000', taiyuan: '140100', shandong: '370000', jincheng: '140500' };
/** The claim-id prefix of each region. */
export const PREFIX_OF: Readonly<Record<SampleRegion, string>> = { jinzhong: 'JZ', pingyang: 'PY', taiyuan: 'TY', shandong: 'SD', jincheng: 'JC' };

const ASSISTANCE_CATEGORIES: readonly MemberCategory[] = ['minimum-living', 'extreme-poverty', 'registered-poor', 'low-income', 'severe-disability'];

/** Serious diseases of the 22-disease programme, with a plausible designated-hospital quota (yuan). */
const CHILD_DISEASES: readonly (readonly [string, number])[] = [
  ['atrial-septal-defect', 38_000],
  ['ventricular-septal-defect', 38_000],
  ['patent-ductus-arteriosus', 30_000],
  ['tetralogy-of-fallot', 60_000],
  ['acute-lymphoblastic-leukaemia', 80_000],
  ['acute-promyelocytic-leukaemia', 80_000],
  ['cleft-lip-palate', 10_000],
];
const ADULT_DISEASES: readonly (readonly [string, number])[] = [
  ['lung-cancer', 30_000],
  ['breast-cancer', 30_000],
  ['cervical-cancer', 25_000],
  ['gastric-cancer', 40_000],
  ['oesophageal-cancer', 40_000],
  ['colorectal-cancer', 40_000],
  ['end-stage-renal-disease', 60_000],
  ['haemophilia', 50_000],
  ['multidrug-resistant-tuberculosis', 30_000],
  ['acute-myocardial-infarction', 40_000],
  ['cerebral-infarction', 25_000],
];

/** A member as the generator follows it through the year. */
export interface Member {
  readonly id: string;
  readonly region: SampleRegion;
  readonly birthDate: string;
  readonly categories: MemberCategory[];
  readonly enrolment: { year: number; kind: 'regular' | 'late' | 'newborn'; paidOn: string };
  /** Heavy users (chronic or grave illness) are billed more and more often. */
  readonly heavy: boolean;
  readonly female: boolean;
  /** 平阳 dialysis patients come back for special-outpatient sessions. */
  readonly dialysis: boolean;
  readonly disease: { code: string; group: 'child-class1' | 'adult-class'; quota: number } | undefined;
  /** The last discharge date: a new admission never starts before it. */
  lastDischarge: string;
}

/** A new member's region: a 晋中 county with members insured in some neighbouring schemes. */
function regionOf(dice: Dice): SampleRegion {
  return dice.weighted<SampleRegion>({ jinzhong: 80, pingyang: 12, taiyuan: 7, shandong: 1, jincheng: 0 });
}

/** A new member, insured in a region drawn by {@link regionOf}, whose first claim falls on `dayOfYear`. */
export function newMember(dice: Dice, index: number, dayOfYear: number): Member {
  const region = regionOf(dice);
  const year = YEAR_OF[region];
  const firstDate = addDays(`${year}-01-01`, dayOfYear);
  const id = `M-${AREA_OF[region]}-${String(index + 1).padStart(6, '0')}`;
  const categories: MemberCategory[] = [];
  let birthDate: string;
  let kind: Member['enrolment']['kind'] = 'regular';
  let paidOn = `${year - 1}-${String(dice.int(9, 12)).padStart(2, '0')}-${String(dice.int(1, 28)).padStart(2, '0')}`;
  const female = dice.chance(0.5);

  if (region === 'taiyuan') {
    birthDate = `${year - dice.int(18, 23)}-${String(dice.int(1, 12)).padStart(2, '0')}-${String(dice.int(1, 28)).padStart(2, '0')}`;
    categories.push('student');
  } else {
    const ageBand = dice.weighted({ newborn: 2, child: 14, adult: 52, elder: 32 });
    const age = ageBand === 'child' ? dice.int(1, 14) : ageBand === 'adult' ? dice.int(15, 59) : dice.int(60, 88);
    if (ageBand === 'newborn') {
      // Born this year before the first claim, registered in the birth year: covered from birth (R26).
      const earliest = `${year}-01-01`;
      const born = addDays(firstDate, -dice.int(3, 60));
      birthDate = born < earliest ? earliest : born;
      kind = 'newborn';
      const registered = addDays(birthDate, dice.int(1, 20));
      paidOn = registered > `${year}-12-31` ? `${year}-12-31` : registered;
    } else {
      birthDate = `${year - age}-${String(dice.int(1, 12)).padStart(2, '0')}-${String(dice.int(1, 28)).padStart(2, '0')}`;
      if (birthDate > firstDate) birthDate = `${year - age - 1}-01-15`;
    }
    if (dice.chance(0.12)) categories.push(dice.pick(ASSISTANCE_CATEGORIES));
    if (ageBand === 'child' && dice.chance(0.02)) categories.push('orphan');
    if (region === 'jinzhong' && kind === 'regular' && dice.chance(0.03)) {
      // 补缴 after the window, shortly before the first claim: some fall in the 31-day wait (R17).
      kind = 'late';
      const paid = addDays(firstDate, -dice.int(20, 110));
      paidOn = paid < `${year - 1}-12-01` ? `${year - 1}-12-01` : paid;
    }
  }
  const adult = daysBetween(birthDate, firstDate) > 15 * 365;
  const heavy = dice.chance(0.06);
  const grave = region === 'jinzhong' && dice.chance(0.05);
  let disease: Member['disease'];
  if (grave) {
    const childAge = !adult && daysBetween(birthDate, firstDate) >= 366;
    const [code, quota] = childAge ? dice.pick(CHILD_DISEASES) : dice.pick(ADULT_DISEASES);
    disease = { code, group: childAge ? 'child-class1' : 'adult-class', quota };
  }
  return {
    id,
    region,
    birthDate,
    categories,
    enrolment: { year, kind, paidOn },
    heavy,
    female,
    dialysis: region === 'pingyang' && adult && dice.chance(0.04),
    disease,
    lastDischarge: `${year}-01-01`,
  };
}
