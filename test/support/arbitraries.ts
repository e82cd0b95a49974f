/**
 * fast-check generators of claims in the contract's JSON form (`ClaimInput`), one per policy and care
 * path, plus claims that the readings say must be rejected (with the code they must be rejected with).
 *
 * Every generator here produces a claim that passes `parseClaim`: the property tests rely on that to
 * reach the engine. The generators aim at the edges the readings name (age exactly 14, totals already
 * above a cap, observation exactly 7 and 8 days before admission, waiting days 30 and 31...), so the
 * ranges are biased towards them rather than uniform.
 */
import fc from 'fast-check';
import type { ClaimInput } from '../../shared/contract/claim.js';
import { MEMBER_CATEGORIES } from '../../shared/contract/claim.js';
import type { RejectionCode } from '../../shared/engine/settlement.js';

type Arb<T> = fc.Arbitrary<T>;
type Member = ClaimInput['member'];
type Hospital = ClaimInput['hospital'];
type Visit = ClaimInput['visit'];
type Item = ClaimInput['items'][number];
type YearToDateInput = NonNullable<ClaimInput['yearToDate']>;
type Enrolment = Member['enrolment'];

// ---------------------------------------------------------------------------------------------
// Dates: plain ISO strings; the arithmetic is done on UTC day numbers so no time zone can shift it.

const DAY_MS = 86_400_000;

export function isoOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export function dayOf(iso: string): number {
  return Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / DAY_MS;
}

export const shiftDays = (iso: string, days: number): string => isoOfDay(dayOf(iso) + days);

/** A date between two ISO dates, inclusive. */
export function dateBetween(from: string, to: string): Arb<string> {
  return fc.integer({ min: dayOf(from), max: dayOf(to) }).map(isoOfDay);
}

/** A birth date giving exactly `age` completed years on `onDate` (a birthday on `onDate` itself included). */
function birthDateForAge(onDate: string, age: number): Arb<string> {
  const year = Number(onDate.slice(0, 4)) - age;
  // 29 February has no anniversary in most years: the 28th keeps the age exact.
  const monthDay = onDate.slice(5) === '02-29' ? '02-28' : onDate.slice(5);
  const birthday = `${String(year).padStart(4, '0')}-${monthDay}`;
  // Up to 360 days earlier still leaves the same completed years (the next birthday has not come).
  return fc.integer({ min: 0, max: 360 }).map((back) => shiftDays(birthday, -back));
}

// ---------------------------------------------------------------------------------------------
// Money: decimal strings in yuan with at most two decimals, in every form the contract accepts.

/** Renders fen as yuan, sometimes without trailing zero decimals ("100", "56.4"), which the contract allows. */
function yuanText(fen: number, form: 0 | 1 | 2): string {
  const yuan = Math.floor(fen / 100);
  const cents = fen % 100;
  if (form === 0 && cents === 0) return String(yuan);
  if (form === 1 && cents % 10 === 0) return `${yuan}.${cents / 10}`;
  return `${yuan}.${String(cents).padStart(2, '0')}`;
}

/** An amount up to `maxYuan`, biased to small amounts but reaching the maximum. */
export function money(maxYuan: number): Arb<string> {
  const maxFen = maxYuan * 100;
  const fen = fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: 0, max: Math.min(maxFen, 500_000) }) },
    { weight: 3, arbitrary: fc.integer({ min: 0, max: maxFen }) },
    { weight: 1, arbitrary: fc.constantFrom(0, 1, maxFen) },
  );
  return fc.tuple(fen, fc.constantFrom<0 | 1 | 2>(0, 1, 2, 2)).map(([value, form]) => yuanText(value, form));
}

/** A year-to-date total around a cap: zero, below, exactly at, or already above it. */
function totalAround(capYuan: number): Arb<string> {
  return fc.oneof(
    fc.constant('0.00'),
    money(capYuan),
    fc.constant(yuanText(capYuan * 100, 2)),
    fc.integer({ min: capYuan * 100 - 500, max: capYuan * 100 + 500 }).map((fen) => yuanText(fen, 2)),
    money(capYuan * 2),
  );
}

/** A selfPayRatio: a decimal from 0 to 1 with at most four decimals. */
const selfPayRatio: Arb<string> = fc.oneof(
  fc.constantFrom('0', '1', '0.1', '0.10', '0.05', '0.2', '1.0000'),
  fc.integer({ min: 0, max: 10_000 }).map((n) => (n === 10_000 ? '1' : `0.${String(n).padStart(4, '0')}`)),
);

// ---------------------------------------------------------------------------------------------
// Items.

export const PARTLY_INCLUDED = ['large-equipment', 'implant-domestic', 'implant-imported', 'disposable-material', 'blood'] as const;

const LINE_MAX_YUAN = 500_000;

function plainItem(category: 'catalogue' | 'out-of-catalogue' | (typeof PARTLY_INCLUDED)[number]): Arb<Item> {
  return fc.record(
    { code: fc.string({ maxLength: 8 }), name: fc.string({ maxLength: 20 }), category: fc.constant(category), amount: money(LINE_MAX_YUAN) },
    { requiredKeys: ['category', 'amount'] },
  );
}

const classBItem: Arb<Item> = fc.record({ category: fc.constant('class-b' as const), amount: money(LINE_MAX_YUAN), selfPayRatio });

/** Emergency observation 0–12 days before admission: 7 is the last merged day (R16), 8 the first not. */
function erObservationItem(admittedOn: string): Arb<Item> {
  return fc.record({
    category: fc.constant('er-observation' as const),
    amount: money(50_000),
    date: fc.oneof(fc.constantFrom(0, 7, 8), fc.integer({ min: 0, max: 12 })).map((back) => shiftDays(admittedOn, -back)),
  });
}

/** A claim's lines: every category, er-observation only where the visit allows it. */
export function itemsFor(visit: Pick<Visit, 'type' | 'admittedOn'>, maxLength = 8): Arb<Item[]> {
  const kinds: Arb<Item>[] = [
    plainItem('catalogue'),
    plainItem('catalogue'),
    classBItem,
    ...PARTLY_INCLUDED.map(plainItem),
    plainItem('out-of-catalogue'),
  ];
  if (visit.type === 'inpatient') kinds.push(erObservationItem(visit.admittedOn));
  return fc.array(fc.oneof(...kinds), { minLength: 1, maxLength });
}

// ---------------------------------------------------------------------------------------------
// Year-to-date totals: random, including totals already above every cap.

export function yearToDate(overrides: Partial<Record<keyof YearToDateInput, Arb<unknown>>> = {}): Arb<YearToDateInput> {
  const fields = {
    admissions: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 4 })),
    basicPaid: totalAround(150_000),
    outpatientPaid: totalAround(800),
    compliantSelfPay: totalAround(326_000),
    catastrophicPaid: totalAround(400_000),
    assistancePaid: money(50_000),
    outpatientDeductibleUsed: fc.integer({ min: 0, max: 4000 }).map((fen) => yuanText(fen, 2)),
    seriousDiseasePaid: money(100_000),
    specialOutpatientDeductibleTaken: fc.boolean(),
    ...overrides,
  };
  // Each field is optional in the contract and defaults to zero/false: leave some out.
  return fc.record(fields as { [K in keyof YearToDateInput]-?: Arb<YearToDateInput[K]> }, { requiredKeys: [] });
}

/** Sometimes no yearToDate at all: the command line then starts from zero. */
const optionalYearToDate = (arb: Arb<YearToDateInput>): Arb<YearToDateInput | undefined> =>
  fc.option(arb, { nil: undefined, freq: 8 });

// ---------------------------------------------------------------------------------------------
// Members, enrolment and the visit's dates.

const categories: Arb<Member['categories']> = fc.subarray([...MEMBER_CATEGORIES]);

const id = (prefix: string): Arb<string> => fc.integer({ min: 1, max: 999_999 }).map((n) => `${prefix}-${String(n).padStart(6, '0')}`);

/** An enrolment that covers an admission in `year` under every policy (regular; or late/newborn/mid-year early enough). */
function coveringEnrolment(year: number, admittedOn: string, birthDate: string): Arb<Enrolment> {
  const regular = dateBetween(`${year - 1}-09-01`, `${year}-06-30`).map((paidOn) => ({ year, kind: 'regular' as const, paidOn }));
  const options: Arb<Enrolment>[] = [regular, regular, regular];
  const admittedDay = dayOf(admittedOn);
  // A late payer whose 31 waiting days (晋中) are over by the admission date, and paid within the year.
  const lateFrom = Math.max(dayOf(`${year}-01-01`), dayOf(birthDate));
  if (admittedDay - 31 >= lateFrom) {
    options.push(fc.integer({ min: lateFrom, max: admittedDay - 31 }).map((day) => ({ year, kind: 'late' as const, paidOn: isoOfDay(day) })));
  }
  // A newborn registered in the birth year is covered from birth (R26/R27) when born in `year`.
  if (birthDate.startsWith(`${year}-`)) {
    options.push(dateBetween(birthDate, `${year}-06-30` > birthDate ? `${year}-06-30` : birthDate).map((paidOn) => ({ year, kind: 'newborn' as const, paidOn })));
  }
  // A mid-year joiner covered from the first of the month after paying: paid in an earlier month.
  const firstOfMonth = `${admittedOn.slice(0, 8)}01`;
  if (admittedOn.slice(5, 7) !== '01' && admittedOn.startsWith(`${year}-`)) {
    options.push(dateBetween(`${year}-01-01`, shiftDays(firstOfMonth, -1)).map((paidOn) => ({ year, kind: 'mid-year' as const, paidOn })));
  }
  return fc.oneof(...options);
}

/** Calendar months later, clamped to the month's end (山东's 6 months: 2019-08-31 + 6 → 2020-02-29). */
export function addMonthsClamped(iso: string, months: number): string {
  const index = Number(iso.slice(0, 4)) * 12 + Number(iso.slice(5, 7)) - 1 + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const day = Math.min(Number(iso.slice(8, 10)), lastDay);
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Ages on admission: children around 14 (exactly 14 included), the young, and adults. */
const anyAge: Arb<number> = fc.oneof(fc.constantFrom(0, 1, 13, 14, 15), fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 95 }));

export interface MemberOptions {
  region: Member['region'];
  year: number;
  admittedOn: string;
  age?: Arb<number>;
  categories?: Arb<Member['categories']>;
}

export function member(options: MemberOptions): Arb<Member> {
  return fc
    .tuple(options.age ?? anyAge, options.categories ?? categories, id('M'))
    .chain(([age, cats, memberId]) =>
      birthDateForAge(options.admittedOn, age).chain((birthDate) =>
        coveringEnrolment(options.year, options.admittedOn, birthDate).map(
          (enrolment): Member => ({ id: memberId, region: options.region, birthDate, categories: cats, enrolment }),
        ),
      ),
    );
}

/** Admission and discharge of an inpatient stay discharged in `year`; some stays start in the year before (R06). */
function stayIn(year: number, from = `${year}-01-01`, to = `${year}-12-31`): Arb<{ admittedOn: string; dischargedOn: string }> {
  return fc
    .tuple(dateBetween(from, to), fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 90 })))
    .map(([dischargedOn, length]) => ({ admittedOn: shiftDays(dischargedOn, -length), dischargedOn }));
}

/** One day in `year`: an outpatient visit is admitted and discharged on the same date. */
function dayIn(year: number, from = `${year}-01-01`, to = `${year}-12-31`): Arb<{ admittedOn: string; dischargedOn: string }> {
  return dateBetween(from, to).map((date) => ({ admittedOn: date, dischargedOn: date }));
}

// ---------------------------------------------------------------------------------------------
// Hospitals.

/** Designated, or non-designated in an emergency (R15): both are payable. */
function hospital(tiers: readonly string[], visitIsEmergency: boolean, primaryCare?: Arb<boolean>): Arb<Hospital> {
  return fc.record({
    id: id('H'),
    tier: fc.constantFrom(...tiers),
    designated: visitIsEmergency ? fc.boolean() : fc.constant(true),
    primaryCare: primaryCare ?? fc.boolean(),
    outsidePoolingArea: fc.boolean(),
  });
}

// ---------------------------------------------------------------------------------------------
// Assembling a claim.

/** What varies between paths: the visit (type, flags, optional fields) and the policy's tiers. */
interface PathSpec {
  region: Member['region'];
  year: number;
  tiers: readonly string[];
  dates: Arb<{ admittedOn: string; dischargedOn: string }>;
  type: Visit['type'];
  /** Extra visit fields of the path (childbirth, seriousDisease, died, referredFromPrimary...). */
  extra?: Arb<Partial<Visit>>;
  emergency?: Arb<boolean>;
  primaryCare?: Arb<boolean>;
  age?: Arb<number>;
  categories?: Arb<Member['categories']>;
  yearToDate?: Arb<YearToDateInput>;
  submittedOn?: (dischargedOn: string) => Arb<string | undefined>;
}

function claimOf(spec: PathSpec): Arb<ClaimInput> {
  return fc
    .record({
      dates: spec.dates,
      emergency: spec.emergency ?? fc.boolean(),
      referral: fc.boolean(),
      extra: spec.extra ?? fc.constant({}),
    })
    .chain(({ dates, emergency, referral, extra }) => {
      const visit: Visit = { type: spec.type, ...dates, emergency, referral, cause: 'illness', ...extra };
      return fc
        .record({
          member: member({ region: spec.region, year: spec.year, admittedOn: dates.admittedOn, age: spec.age, categories: spec.categories }),
          hospital: hospital(spec.tiers, emergency, spec.primaryCare),
          items: itemsFor(visit),
          yearToDate: optionalYearToDate(spec.yearToDate ?? yearToDate()),
          submittedOn: spec.submittedOn ? spec.submittedOn(dates.dischargedOn) : fc.constant(undefined),
          claimId: id(`C-${spec.region}`),
        })
        .map(({ claimId, member: m, hospital: h, items, yearToDate: ytd, submittedOn }) => {
          const claim: ClaimInput = { claimId, member: m, hospital: h, visit, items };
          if (submittedOn !== undefined) claim.submittedOn = submittedOn;
          if (ytd !== undefined) claim.yearToDate = ytd;
          return claim;
        });
    });
}

// ---------------------------------------------------------------------------------------------
// 晋中 2017 (claims from 2018 on).

export const JINZHONG_TIERS = ['class3', 'class2-county', 'class2-city', 'class1-city', 'out-of-province'] as const;
const jinzhongYear = fc.integer({ min: 2018, max: 2024 });

function jinzhong(spec: Omit<PathSpec, 'region' | 'year' | 'tiers' | 'dates'> & { dates?: (year: number) => PathSpec['dates'] }): Arb<ClaimInput> {
  const { dates, ...rest } = spec;
  return jinzhongYear.chain((year) => claimOf({ ...rest, region: 'jinzhong', year, tiers: JINZHONG_TIERS, dates: dates ? dates(year) : stayIn(year) }));
}

/** Ordinary inpatient: every tier, children, repeat admissions, referrals, emergencies, caesareans. */
export const jinzhongInpatient: Arb<ClaimInput> = jinzhong({
  type: 'inpatient',
  extra: fc.record({ childbirth: fc.constantFrom('caesarean', 'complicated') }, { requiredKeys: [] }),
});

/** Natural childbirth (R13) at primary care or above. */
export const jinzhongChildbirth: Arb<ClaimInput> = jinzhong({
  type: 'inpatient',
  extra: fc.constant({ childbirth: 'natural' as const }),
  age: fc.integer({ min: 16, max: 45 }),
});

const SERIOUS_CODES = ['lung-cancer', 'congenital-heart-defect', 'leukaemia', 'uremia'] as const;

/** The 22 serious diseases (R14): both groups, quotas above and below the total, ages 0–20. */
export const jinzhongSerious: Arb<ClaimInput> = jinzhong({
  type: 'inpatient',
  extra: fc.record(
    {
      seriousDisease: fc.record({
        code: fc.constantFrom(...SERIOUS_CODES),
        group: fc.constantFrom('child-class1', 'adult-class'),
        quota: fc.oneof(money(1_000), money(100_000), money(500_000)),
      }),
      childbirth: fc.constant('natural' as const),
    },
    { requiredKeys: ['seriousDisease'] },
  ),
  age: fc.integer({ min: 0, max: 20 }),
  // Half of the members in an assistance category, some only orphan/student (no assistance).
  categories: fc.oneof(categories, fc.subarray(['minimum-living', 'extreme-poverty', 'registered-poor', 'low-income', 'severe-disability'] as const, { minLength: 1 })),
});

/** Special-outpatient: its numbers are the province's, not in the document (POLICY_INCOMPLETE). */
export const jinzhongSpecialOutpatient: Arb<ClaimInput> = jinzhong({ type: 'special-outpatient', dates: (year) => dayIn(year) });

/** General outpatient (R18): paid at primary care only. */
export const jinzhongOutpatient: Arb<ClaimInput> = jinzhong({ type: 'outpatient', dates: (year) => dayIn(year) });

export const jinzhongAny: Arb<ClaimInput> = fc.oneof(
  { weight: 4, arbitrary: jinzhongInpatient },
  { weight: 1, arbitrary: jinzhongChildbirth },
  { weight: 2, arbitrary: jinzhongSerious },
  { weight: 2, arbitrary: jinzhongOutpatient },
);

// ---------------------------------------------------------------------------------------------
// 平阳 2019.

export const PINGYANG_TIERS = ['township', 'county', 'city', 'out-of-city'] as const;

/** Submitted within the deadline (R28: inclusive of the anniversary), or not stamped at all. */
const inTimeSubmission = (dischargedOn: string): Arb<string | undefined> =>
  fc.option(
    fc.integer({ min: 0, max: 365 }).map((days) => {
      const anniversary = `${Number(dischargedOn.slice(0, 4)) + 1}${dischargedOn.slice(4)}`;
      const last = anniversary.endsWith('02-29') ? anniversary.replace('02-29', '02-28') : anniversary;
      const candidate = shiftDays(dischargedOn, days);
      return candidate > last ? last : candidate;
    }),
    { nil: undefined },
  );

function pingyang(spec: Omit<PathSpec, 'region' | 'year' | 'tiers'>): Arb<ClaimInput> {
  return claimOf({ region: 'pingyang', year: 2019, tiers: PINGYANG_TIERS, submittedOn: inTimeSubmission, ...spec });
}

/** Inpatient at every tier; outside the pooling area without referral takes the −5 points penalty. */
export const pingyangInpatient: Arb<ClaimInput> = pingyang({
  type: 'inpatient',
  dates: stayIn(2019),
  extra: fc.record({ childbirth: fc.constantFrom('natural', 'caesarean', 'complicated') }, { requiredKeys: [] }),
});

/** Outpatient at each tier, with and without (or missing) referredFromPrimary. */
export const pingyangOutpatient: Arb<ClaimInput> = pingyang({
  type: 'outpatient',
  dates: dayIn(2019),
  emergency: fc.constant(false),
  extra: fc.record({ referredFromPrimary: fc.boolean() }, { requiredKeys: [] }),
});

/** Special-outpatient (R20), the once-a-year deductible already taken or not. */
export const pingyangSpecialOutpatient: Arb<ClaimInput> = pingyang({ type: 'special-outpatient', dates: dayIn(2019) });

/** Emergency death (R21): one inpatient admission whatever the visit type says. */
export const pingyangEmergencyDeath: Arb<ClaimInput> = fc
  .constantFrom('inpatient', 'outpatient', 'special-outpatient' as const)
  .chain((type) =>
    pingyang({
      type: type as Visit['type'],
      dates: type === 'inpatient' ? stayIn(2019) : dayIn(2019),
      emergency: fc.constant(true),
      extra: fc.constant({ died: true }),
    }),
  );

export const pingyangAny: Arb<ClaimInput> = fc.oneof(pingyangInpatient, pingyangOutpatient, pingyangSpecialOutpatient, pingyangEmergencyDeath);

// ---------------------------------------------------------------------------------------------
// 太原 2015, 山东 2018, 晋城 2020.

/** Campus outpatient (R22): students get 80% after a 30-a-year deductible; others are not covered. */
export const taiyuanCampusOutpatient: Arb<ClaimInput> = claimOf({
  region: 'taiyuan',
  year: 2015,
  tiers: ['campus'],
  type: 'outpatient',
  dates: dayIn(2015),
  emergency: fc.constant(false),
  age: fc.integer({ min: 16, max: 30 }),
  categories: fc.oneof(fc.constant<Member['categories']>(['student']), categories),
  yearToDate: yearToDate({
    outpatientDeductibleUsed: fc.integer({ min: 0, max: 40 }).chain((yuan) => fc.constantFrom(`${yuan}.00`, `${yuan}`, `${yuan}.5`)),
    outpatientPaid: totalAround(400),
  }),
});

/** Anything else under 太原: inpatient and special-outpatient, whose numbers the notice leaves out (R23). */
export const taiyuanOther: Arb<ClaimInput> = fc.constantFrom('inpatient', 'special-outpatient' as const).chain((type) =>
  claimOf({ region: 'taiyuan', year: 2015, tiers: ['campus', 'city-hospital'], type: type as Visit['type'], dates: type === 'inpatient' ? stayIn(2015) : dayIn(2015) }),
);

/** 山东 and 晋城 leave their numbers to other documents: every path and any tier name. */
function incompletePolicy(region: 'shandong' | 'jincheng', year: number, from: string, to: string): Arb<ClaimInput> {
  return fc.constantFrom('inpatient', 'outpatient', 'special-outpatient' as const).chain((type) =>
    claimOf({
      region,
      year,
      tiers: ['county', 'city', 'township', 'class1-city'],
      type: type as Visit['type'],
      dates: type === 'inpatient' ? stayIn(year, from, to) : dayIn(year, from, to),
      extra: fc.record({ childbirth: fc.constant('natural' as const), died: fc.boolean() }, { requiredKeys: [] }),
    }),
  );
}

export const shandongAny: Arb<ClaimInput> = fc
  .integer({ min: 2019, max: 2022 })
  .chain((year) => incompletePolicy('shandong', year, `${year}-01-01`, `${year}-12-31`));

export const jinchengAny: Arb<ClaimInput> = incompletePolicy('jincheng', 2020, '2020-01-01', '2020-12-31');

// ---------------------------------------------------------------------------------------------
// Claims that must be rejected, each with the code the order of checks gives it.

export interface MustReject {
  code: RejectionCode;
  claim: ClaimInput;
}

const withCode = (code: RejectionCode, claims: Arb<ClaimInput>): Arb<MustReject> => claims.map((claim) => ({ code, claim }));

/** Drops submittedOn so that 平阳's deadline cannot decide first. */
const payable: Arb<ClaimInput> = fc.oneof(jinzhongInpatient, jinzhongSerious, jinzhongChildbirth, pingyangInpatient, pingyangSpecialOutpatient);

/** Enrolled for another year than the discharge year. */
const enrolmentYearMismatch = withCode(
  'NOT_ENROLLED',
  fc.tuple(payable, fc.integer({ min: 1, max: 3 }), fc.boolean()).map(([claim, by, earlier]) => {
    const year = claim.member.enrolment.year + (earlier ? -by : by);
    return { ...claim, member: { ...claim.member, enrolment: { ...claim.member.enrolment, year } } };
  }),
);

/** 晋中 late payment (R17): admitted 0–30 days after paying, the 31 waiting days are not over. */
const latePayment: Arb<MustReject> = fc
  .tuple(jinzhongInpatient, fc.oneof(fc.constantFrom(0, 30), fc.integer({ min: 0, max: 30 })))
  .filter(([claim, days]) => shiftDays(claim.visit.admittedOn, -days) >= claim.member.birthDate)
  .map(([claim, days]) => {
    const paidOn = shiftDays(claim.visit.admittedOn, -days);
    const year = Number(claim.visit.dischargedOn.slice(0, 4));
    return { code: 'WAITING_PERIOD' as const, claim: { ...claim, member: { ...claim.member, enrolment: { year, kind: 'late' as const, paidOn } } } };
  });

/**
 * Cover that starts after the admission (step 2): a mid-year joiner paying on the admission day is
 * covered from the next month (E4); a newborn registered after its birth year, after the admission, is
 * covered from the registration (R26).
 */
const notYetCovered: Arb<MustReject> = fc
  .tuple(fc.oneof(jinzhongInpatient, pingyangInpatient, pingyangOutpatient), fc.constantFrom('newborn', 'mid-year' as const), fc.integer({ min: 1, max: 40 }))
  .map(([claim, kind, after]) => {
    const year = Number(claim.visit.dischargedOn.slice(0, 4));
    const { admittedOn } = claim.visit;
    const paidOn = kind === 'mid-year' ? admittedOn : shiftDays(admittedOn, after);
    // Born two years before the discharge year, so that the registration is never in the birth year.
    const birthDate = kind === 'newborn' ? `${year - 2}-06-15` : claim.member.birthDate;
    return { code: 'NOT_ENROLLED' as const, claim: { ...claim, member: { ...claim.member, birthDate, enrolment: { year, kind, paidOn } } } };
  });

const EXCLUDED = ['crime', 'fighting', 'drunkenness', 'self-harm', 'suicide', 'traffic-accident', 'medical-accident', 'abroad', 'public-health'] as const;

const excludedCause = withCode(
  'EXCLUDED_CAUSE',
  fc.tuple(fc.oneof(jinzhongAny, pingyangAny, taiyuanCampusOutpatient), fc.constantFrom(...EXCLUDED)).map(([claim, cause]) => ({ ...claim, visit: { ...claim.visit, cause } })),
);

const nonDesignated = withCode(
  'NON_DESIGNATED',
  fc.oneof(jinzhongAny, pingyangAny).map((claim) => ({
    ...claim,
    hospital: { ...claim.hospital, designated: false },
    visit: { ...claim.visit, emergency: false },
  })),
);

/** 平阳: submitted after the anniversary of the discharge (R28). */
const lateSubmission = withCode(
  'LATE_SUBMISSION',
  fc.tuple(pingyangAny, fc.integer({ min: 1, max: 400 })).map(([claim, daysLate]) => {
    const anniversary = `${Number(claim.visit.dischargedOn.slice(0, 4)) + 1}${claim.visit.dischargedOn.slice(4)}`;
    const last = anniversary.endsWith('02-29') ? `${anniversary.slice(0, 8)}28` : anniversary;
    return { ...claim, submittedOn: shiftDays(last, daysLate) };
  }),
);

/** No policy in force on the discharge date (step 1). */
const noPolicy: Arb<MustReject> = fc
  .tuple(
    jinzhongInpatient,
    fc.constantFrom(
      { region: 'jinzhong' as const, from: '2016-01-01', to: '2017-06-30' },
      { region: 'pingyang' as const, from: '2020-01-01', to: '2021-12-31' },
      { region: 'taiyuan' as const, from: '2016-01-01', to: '2018-12-31' },
      { region: 'shandong' as const, from: '2023-10-15', to: '2024-12-31' },
      { region: 'jincheng' as const, from: '2021-01-01', to: '2022-12-31' },
    ),
  )
  .chain(([claim, gap]) =>
    dateBetween(gap.from, gap.to).map((date) => ({
      code: 'NO_POLICY' as const,
      claim: {
        ...claim,
        items: claim.items.filter((item) => item.category !== 'er-observation').concat([{ category: 'catalogue', amount: '1.00' }]),
        member: { ...claim.member, region: gap.region, birthDate: '1980-01-01' },
        visit: { ...claim.visit, admittedOn: date, dischargedOn: date },
      },
    })),
  );

/** Care the policy does not pay (step 5): 晋中 outpatient outside primary care, 平阳 at city/out-of-city, 太原 campus non-students. */
const notCovered = withCode(
  'NOT_COVERED',
  fc.oneof(
    jinzhongOutpatient.map((claim) => ({ ...claim, hospital: { ...claim.hospital, primaryCare: false } })),
    fc.tuple(pingyangOutpatient, fc.constantFrom('city', 'out-of-city')).map(([claim, tier]) => ({ ...claim, hospital: { ...claim.hospital, tier } })),
    taiyuanCampusOutpatient.map((claim) => ({
      ...claim,
      member: { ...claim.member, categories: claim.member.categories.filter((category) => category !== 'student') },
    })),
  ),
);

/** Care whose numbers the document leaves to another document (R23). */
const policyIncomplete = withCode('POLICY_INCOMPLETE', fc.oneof(jinzhongSpecialOutpatient, taiyuanOther, shandongAny, jinchengAny));

/**
 * 山东 newborns (R27): enrolled on or before birth + 6 calendar months (clamped to the month's end),
 * covered from birth, and then the claim reaches POLICY_INCOMPLETE; enrolled a day later, an admission
 * before the enrolment is NOT_ENROLLED.
 */
const shandongNewborn: Arb<MustReject> = fc
  .tuple(
    shandongAny,
    fc.oneof(fc.constantFrom('2019-08-31', '2019-12-31', '2020-08-31', '2021-08-29', '2022-03-31'), dateBetween('2019-01-01', '2022-12-31')),
    fc.boolean(),
    fc.nat(),
  )
  .map(([claim, birthDate, enrolledLate, pick]) => {
    const limit = addMonthsClamped(birthDate, 6);
    const paidOn = enrolledLate ? shiftDays(limit, 1) : limit;
    const admittedOn = shiftDays(birthDate, pick % (dayOf(limit) - dayOf(birthDate) + 1));
    const items = claim.items.filter((item) => item.category !== 'er-observation');
    return {
      code: enrolledLate ? ('NOT_ENROLLED' as const) : ('POLICY_INCOMPLETE' as const),
      claim: {
        ...claim,
        items: items.length > 0 ? items : [{ category: 'catalogue' as const, amount: '1.00' }],
        member: { ...claim.member, birthDate, enrolment: { year: Number(admittedOn.slice(0, 4)), kind: 'newborn' as const, paidOn } },
        visit: { ...claim.visit, admittedOn, dischargedOn: admittedOn },
      },
    };
  });

export const mustReject: Arb<MustReject> = fc.oneof(
  notCovered,
  policyIncomplete,
  shandongNewborn,
  enrolmentYearMismatch,
  latePayment,
  notYetCovered,
  excludedCause,
  nonDesignated,
  lateSubmission,
  noPolicy,
);

/** Every valid claim of every policy and path, payable or not. */
export const anyClaim: Arb<ClaimInput> = fc.oneof(
  { weight: 4, arbitrary: jinzhongAny },
  { weight: 3, arbitrary: pingyangAny },
  { weight: 1, arbitrary: taiyuanCampusOutpatient },
  { weight: 1, arbitrary: taiyuanOther },
  { weight: 1, arbitrary: shandongAny },
  { weight: 1, arbitrary: jinchengAny },
  { weight: 1, arbitrary: mustReject.map(({ claim }) => claim) },
);
