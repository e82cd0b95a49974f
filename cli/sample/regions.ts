/**
 * Each region's sample claims, drawn as its policy sees them: 晋中 inpatient, childbirth, serious-disease
 * and outpatient claims, 平阳 dialysis, emergency deaths and late submissions, 太原 students at the campus
 * clinic, 山东 claims the engine cannot settle for want of numbers; and a few claims made to be rejected.
 */
import { addDays, daysBetween } from '../../shared/calendar/dates.js';
import { type Fen, formatMoney } from '../../shared/money/money.js';
import { type Draft, type Item, admissionFor, hospital, inpatientItems, outpatientItems, plainVisit } from './bills.js';
import type { Dice } from './dice.js';
import type { Member } from './members.js';

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

/** A 晋中 member's claim: outpatient, inpatient, childbirth or serious disease, by who the member is. */
export function jinzhongClaim(dice: Dice, member: Member, date: string): Draft {
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

/** A 平阳 member's claim: dialysis sessions, an emergency death, outpatient or inpatient care; a few submitted late. */
export function pingyangClaim(dice: Dice, member: Member, date: string): Draft {
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

/** A 太原 student's visit to the campus clinic. */
export function taiyuanClaim(dice: Dice, _member: Member, date: string): Draft {
  return {
    hospital: hospital('taiyuan', 'campus', dice.int(1, 6), { primaryCare: true }),
    visit: plainVisit('outpatient', date, date),
    items: outpatientItems(dice, dice.yuan(12, 220)),
  };
}

/** A 山东 member's admission. */
export function shandongClaim(dice: Dice, member: Member, date: string): Draft {
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
export function spoil(dice: Dice, draft: Draft): void {
  const roll = dice.next();
  if (roll < 0.008) draft.visit.cause = dice.pick(EXCLUDED_CAUSES);
  else if (roll < 0.015 && draft.visit.type === 'inpatient') {
    draft.hospital.designated = false;
    draft.visit.emergency = false;
  }
}
