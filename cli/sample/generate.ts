/**
 * Sample claims that look like a county's year: mostly 晋中 2018, some 平阳 2019, 太原 2015 students
 * at the campus clinic, and a small share of claims the engine must reject.
 *
 * Pure and deterministic: one seeded PRNG (mulberry32) drives every choice, so the same options give
 * the same claims byte for byte, on every machine. Members recur across claims (a few heavy users most
 * of all) so that year-to-date totals accumulate and some cross the catastrophic threshold and the caps.
 * Claims come out in discharge-date order (globally, hence per member), which is the order a replay
 * must settle them in.
 */
import { addDays, daysBetween } from '../../shared/calendar/dates.js';
import type { ClaimInput, MemberCategory } from '../../shared/contract/claim.js';
import { type Fen, formatMoney } from '../../shared/money/money.js';

/** Options of {@link generateClaims}. */
export interface GenerateOptions {
  /** How many claims to generate. */
  readonly count: number;
  /** The PRNG seed; the same seed gives the same claims. Default 1. */
  readonly seed?: number;
  /** How many distinct members the claims are spread over. Default: a quarter of `count`, at least 20. */
  readonly members?: number;
  /** When set, every claim carries exactly this many item lines (for benchmarks). */
  readonly linesPerClaim?: number;
}

/** A seeded PRNG (mulberry32): 32 bits of state, uniform floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The random choices the generator needs, over one PRNG. */
class Dice {
  constructor(readonly next: () => number) {}

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** One of the keys, with probability proportional to its weight. */
  weighted<K extends string>(weights: Readonly<Record<K, number>>): K {
    const entries = Object.entries(weights) as [K, number][];
    let total = 0;
    for (const [, weight] of entries) total += weight;
    let roll = this.next() * total;
    for (const [key, weight] of entries) {
      roll -= weight;
      if (roll < 0) return key;
    }
    return (entries[entries.length - 1] as [K, number])[0];
  }

  /** An amount in fen, log-uniform between two yuan figures: bills are skewed, most are small. */
  yuan(min: number, max: number): Fen {
    const value = Math.exp(Math.log(min) + this.next() * (Math.log(max) - Math.log(min)));
    return Math.round(value * 100) as Fen;
  }
}

type Item = ClaimInput['items'][number];

/** The insurance year each region's sample claims fall in: the year its seed policy is in force. */
/** The regions the sample draws from: each table below must cover every one (the compiler checks). */
type SampleRegion = 'jinzhong' | 'pingyang' | 'taiyuan' | 'shandong' | 'jincheng';
const YEAR_OF: Readonly<Record<SampleRegion, number>> = { jinzhong: 2018, pingyang: 2019, taiyuan: 2015, shandong: 2019, jincheng: 2020 };
const AREA_OF: Readonly<Record<SampleRegion, string>> = { jinzhong: '140702', pingyang: '141000', taiyuan: '140100', shandong: '370000', jincheng: '140500' };
const PREFIX_OF: Readonly<Record<SampleRegion, string>> = { jinzhong: 'JZ', pingyang: 'PY', taiyuan: 'TY', shandong: 'SD', jincheng: 'JC' };

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

interface Member {
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

function newMember(dice: Dice, index: number, dayOfYear: number): Member {
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

/** Item lines of an inpatient bill of about `total`, with the categories a real HIS bill carries. */
function inpatientItems(dice: Dice, total: Fen, admittedOn: string, observation: boolean): Item[] {
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

function outpatientItems(dice: Dice, total: Fen): Item[] {
  const items: Item[] = [{ code: 'D001', name: '甲类药品及诊疗服务', category: 'catalogue', amount: formatMoney(Math.max(100, Math.round(total * 0.8)) as Fen) }];
  if (dice.chance(0.5)) items.push({ code: 'B010', name: '乙类药品', category: 'class-b', amount: formatMoney(Math.max(100, Math.round(total * 0.2)) as Fen), selfPayRatio: '0.10' });
  if (dice.chance(0.15)) items.push({ code: 'Z900', name: '目录外药品 (丙类)', category: 'out-of-catalogue', amount: formatMoney(dice.yuan(5, 80)) });
  return items;
}

/** Exactly `count` lines: extra catalogue lines split off the first line, or the tail cut off. */
function fitLines(items: Item[], count: number): Item[] {
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

type Visit = ClaimInput['visit'];
type Hospital = ClaimInput['hospital'];

interface Draft {
  hospital: Hospital;
  visit: Visit;
  items: Item[];
  submittedOn?: string;
}

const hospital = (region: SampleRegion, tier: string, number: number, extra: Partial<Hospital> = {}): Hospital => ({
  id: `H-${AREA_OF[region]}-${tier}-${number}`,
  tier,
  designated: true,
  primaryCare: false,
  outsidePoolingArea: false,
  ...extra,
});

const plainVisit = (type: Visit['type'], admittedOn: string, dischargedOn: string): Visit => ({
  type,
  admittedOn,
  dischargedOn,
  emergency: false,
  referral: false,
  cause: 'illness',
});

/** The admission date of a stay of `days` ending on `discharge`, never before the previous discharge or the year. */
function admissionFor(member: Member, discharge: string, days: number): string {
  let admitted = addDays(discharge, -days);
  const floor = [member.lastDischarge, `${member.enrolment.year}-01-01`, member.birthDate].reduce((a, b) => (a > b ? a : b));
  if (admitted < floor) admitted = floor > discharge ? discharge : floor;
  return admitted;
}

function jinzhongInpatient(dice: Dice, member: Member, date: string): Draft {
  const tier = dice.weighted({ class3: 34, 'class2-county': 36, 'class2-city': 15, 'class1-city': 12, 'out-of-province': 3 });
  const days = dice.int(2, tier === 'class3' ? 9 : 18);
  const admittedOn = admissionFor(member, date, days);
  const base = { class3: [800, 6000], 'class2-county': [2000, 15000], 'class2-city': [3000, 25000], 'class1-city': [6000, 50000], 'out-of-province': [10000, 80000] }[tier] as [number, number];
  const total = dice.yuan(base[0] * (member.heavy ? 3 : 1), base[1] * (member.heavy ? 3 : 1));
  const outside = tier === 'out-of-province' || (tier === 'class1-city' && dice.chance(0.3));
  const visit = plainVisit('inpatient', admittedOn, date);
  visit.emergency = dice.chance(0.08);
  visit.referral = outside && dice.chance(0.7);
  const designated = !visit.emergency || dice.chance(0.9);
  return {
    hospital: hospital('jinzhong', tier, dice.int(1, tier === 'class3' ? 12 : 4), { outsidePoolingArea: outside, designated }),
    visit,
    items: inpatientItems(dice, total, admittedOn, dice.chance(0.12)),
  };
}

function jinzhongChildbirth(dice: Dice, member: Member, date: string): Draft {
  const caesarean = dice.chance(0.35);
  const primaryCare = !caesarean && dice.chance(0.3);
  const tier = primaryCare ? 'class3' : dice.pick(['class3', 'class2-county', 'class2-city']);
  const admittedOn = admissionFor(member, date, caesarean ? dice.int(5, 8) : dice.int(2, 4));
  const visit = plainVisit('inpatient', admittedOn, date);
  visit.childbirth = caesarean ? 'caesarean' : 'natural';
  const total = caesarean ? dice.yuan(4500, 9000) : dice.yuan(1200, 3500);
  const items: Item[] = [
    { code: 'D001', name: '分娩及诊疗服务', category: 'catalogue', amount: formatMoney(total) },
    { code: 'B010', name: '乙类药品', category: 'class-b', amount: formatMoney(dice.yuan(100, 800)), selfPayRatio: '0.10' },
  ];
  if (dice.chance(0.3)) items.push({ code: 'Z900', name: '目录外药品 (丙类)', category: 'out-of-catalogue', amount: formatMoney(dice.yuan(50, 600)) });
  return { hospital: hospital('jinzhong', tier, dice.int(1, 4), { primaryCare }), visit, items };
}

function jinzhongSerious(dice: Dice, member: Member, date: string): Draft {
  const disease = member.disease as NonNullable<Member['disease']>;
  const admittedOn = admissionFor(member, date, dice.int(5, 25));
  const visit = plainVisit('inpatient', admittedOn, date);
  visit.seriousDisease = { code: disease.code, group: disease.group, quota: formatMoney((disease.quota * 100) as Fen) };
  // Bills run around the quota: above it the hospital bears the excess (R14).
  const total = dice.yuan(disease.quota * 0.5, disease.quota * 1.3);
  const tier = dice.pick(['class2-city', 'class1-city']);
  return { hospital: hospital('jinzhong', tier, dice.int(1, 3)), visit, items: inpatientItems(dice, total, admittedOn, false) };
}

function jinzhongOutpatient(dice: Dice, member: Member, date: string): Draft {
  const visit = plainVisit('outpatient', date, date);
  const tier = 'class3';
  return {
    hospital: hospital('jinzhong', tier, dice.int(20, 60), { primaryCare: true }),
    visit,
    items: outpatientItems(dice, dice.yuan(15, member.heavy ? 600 : 260)),
  };
}

function jinzhongClaim(dice: Dice, member: Member, date: string): Draft {
  const adultAge = daysBetween(member.birthDate, date) / 365.25;
  const kinds: Record<string, number> = { outpatient: 45, inpatient: member.heavy ? 70 : 40 };
  if (member.female && adultAge >= 20 && adultAge <= 40) kinds['childbirth'] = 12;
  if (member.disease) kinds['serious'] = 60;
  const kind = dice.weighted(kinds);
  if (kind === 'outpatient') return jinzhongOutpatient(dice, member, date);
  if (kind === 'childbirth') return jinzhongChildbirth(dice, member, date);
  if (kind === 'serious') return jinzhongSerious(dice, member, date);
  return jinzhongInpatient(dice, member, date);
}

function pingyangClaim(dice: Dice, member: Member, date: string): Draft {
  const submittedOn = dice.chance(0.003) ? addDays(date, dice.int(367, 420)) : addDays(date, dice.int(0, 20));
  if (member.dialysis && dice.chance(0.7)) {
    return {
      hospital: hospital('pingyang', 'county', 1),
      visit: { ...plainVisit('special-outpatient', date, date) },
      items: [
        { code: 'HD01', name: '血液透析', category: 'catalogue', amount: formatMoney(dice.yuan(1600, 3200)) },
        { code: 'B020', name: '乙类药品', category: 'class-b', amount: formatMoney(dice.yuan(100, 600)), selfPayRatio: '0.10' },
      ],
      submittedOn,
    };
  }
  const kind = dice.weighted({ outpatient: 45, inpatient: member.heavy ? 70 : 42, death: 0.6 });
  if (kind === 'death') {
    const visit = plainVisit('outpatient', date, date);
    visit.emergency = true;
    visit.died = true;
    return {
      hospital: hospital('pingyang', dice.pick(['county', 'city']), dice.int(1, 3)),
      visit,
      items: [
        { code: 'D001', name: '抢救药品及诊疗', category: 'catalogue', amount: formatMoney(dice.yuan(3000, 40000)) },
        { category: 'out-of-catalogue', amount: formatMoney(dice.yuan(100, 3000)) },
      ],
      submittedOn,
    };
  }
  if (kind === 'outpatient') {
    const tier = dice.weighted({ township: 70, county: 30 });
    const visit = plainVisit('outpatient', date, date);
    visit.referredFromPrimary = tier === 'county' && dice.chance(0.5);
    return {
      hospital: hospital('pingyang', tier, dice.int(1, 20), { primaryCare: tier === 'township' }),
      visit,
      items: outpatientItems(dice, dice.yuan(20, 400)),
      submittedOn,
    };
  }
  const tier = dice.weighted({ township: 30, county: 45, city: 18, 'out-of-city': 7 });
  const base = { township: [600, 4000], county: [2000, 14000], city: [4000, 30000], 'out-of-city': [8000, 70000] }[tier] as [number, number];
  const total = dice.yuan(base[0] * (member.heavy ? 3 : 1), base[1] * (member.heavy ? 3 : 1));
  const admittedOn = admissionFor(member, date, dice.int(2, 15));
  const outside = tier === 'out-of-city';
  const visit = plainVisit('inpatient', admittedOn, date);
  visit.referral = outside && dice.chance(0.6);
  visit.emergency = dice.chance(0.06);
  if (member.female && dice.chance(0.04)) visit.childbirth = dice.pick(['natural', 'caesarean'] as const);
  return {
    hospital: hospital('pingyang', tier, dice.int(1, 5), { outsidePoolingArea: outside, primaryCare: tier === 'township' }),
    visit,
    items: inpatientItems(dice, total, admittedOn, false),
    submittedOn,
  };
}

function taiyuanClaim(dice: Dice, _member: Member, date: string): Draft {
  return {
    hospital: hospital('taiyuan', 'campus', dice.int(1, 6), { primaryCare: true }),
    visit: plainVisit('outpatient', date, date),
    items: outpatientItems(dice, dice.yuan(12, 220)),
  };
}

function shandongClaim(dice: Dice, member: Member, date: string): Draft {
  // The provincial notice sets no numbers: every such claim is POLICY_INCOMPLETE (R23).
  const admittedOn = admissionFor(member, date, dice.int(3, 10));
  return {
    hospital: hospital('shandong', 'city-grade3', 1),
    visit: plainVisit('inpatient', admittedOn, date),
    items: inpatientItems(dice, dice.yuan(3000, 20000), admittedOn, false),
  };
}

const EXCLUDED_CAUSES = ['traffic-accident', 'fighting', 'drunkenness', 'self-harm', 'crime', 'medical-accident'] as const;

/** A few claims that must be rejected, made so by the claim rather than the member. */
function spoil(dice: Dice, draft: Draft): void {
  const roll = dice.next();
  if (roll < 0.008) draft.visit.cause = dice.pick(EXCLUDED_CAUSES);
  else if (roll < 0.015 && draft.visit.type === 'inpatient') {
    draft.hospital.designated = false;
    draft.visit.emergency = false;
  }
}

/**
 * Generates a year of sample claims, in discharge-date order.
 * @param options count, seed, members, linesPerClaim.
 */
export function* generateClaims(options: GenerateOptions): Generator<ClaimInput> {
  const count = Math.max(0, Math.floor(options.count));
  const dice = new Dice(mulberry32(options.seed ?? 1));
  const memberCount = Math.max(1, Math.floor(options.members ?? Math.max(20, Math.round(count / 4))));
  const members = new Map<number, Member>();
  const serial = new Map<SampleRegion, number>();

  for (let index = 0; index < count; index += 1) {
    // Skewed towards low member numbers: a few members come back often, most once or twice.
    const memberIndex = Math.min(memberCount - 1, Math.floor(memberCount * dice.next() ** 1.6));
    const dayOfYear = Math.floor((index * 365) / Math.max(1, count));
    let member = members.get(memberIndex);
    if (!member) {
      member = newMember(dice, memberIndex, dayOfYear);
      members.set(memberIndex, member);
    }
    const date = addDays(`${member.enrolment.year}-01-01`, dayOfYear);
    const draft =
      member.region === 'jinzhong'
        ? jinzhongClaim(dice, member, date)
        : member.region === 'pingyang'
          ? pingyangClaim(dice, member, date)
          : member.region === 'taiyuan'
            ? taiyuanClaim(dice, member, date)
            : shandongClaim(dice, member, date);
    spoil(dice, draft);
    if (member.birthDate > draft.visit.admittedOn) draft.visit.admittedOn = member.birthDate;
    if (draft.visit.type !== 'inpatient') draft.visit.admittedOn = draft.visit.dischargedOn;
    for (const item of draft.items) {
      if (item.date !== undefined && item.date > draft.visit.admittedOn) item.date = draft.visit.admittedOn;
    }
    member.lastDischarge = draft.visit.dischargedOn;
    const number = (serial.get(member.region) ?? 0) + 1;
    serial.set(member.region, number);
    const claim: ClaimInput = {
      claimId: `${PREFIX_OF[member.region]}-${member.enrolment.year}-${String(number).padStart(7, '0')}`,
      member: {
        id: member.id,
        region: member.region,
        birthDate: member.birthDate,
        categories: [...member.categories],
        enrolment: { ...member.enrolment },
      },
      hospital: draft.hospital,
      visit: draft.visit,
      items: options.linesPerClaim === undefined ? draft.items : fitLines(draft.items, options.linesPerClaim),
    };
    if (draft.submittedOn !== undefined) claim.submittedOn = draft.submittedOn;
    yield claim;
  }
}
