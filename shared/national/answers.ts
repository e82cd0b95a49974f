/**
 * The read-only answers of the national interface, computed from what the agency holds: 1101 person
 * query (the registry), 5206 cumulative query (the member's stored totals), 3201 / 3202 reconciliation
 * (the hospital's stored settlements), and the facts a settlement record of a visit needs.
 */
import type { YearToDate } from '../contract/claim.js';
import type { Settlement } from '../engine/settlement.js';
import type { Fen } from '../money/money.js';
import { type RegistryMember, enrolmentFor } from '../registry/registry.js';
import { CUM_TYPE_CODE, FIXED_CODES, INSUTYPE_RESIDENT, clrTypeOf } from './codes.js';
import { type NationalPerson, type SettlementFacts, ageOn, medTypeOf, settlementIdOf, yuan } from './setlinfo.js';
import { type VisitState, lineScopeOfVisit } from './visit.js';

/** The claim id of a visit's n-th settlement attempt (1-based): the visit id, then `id-2`, `id-3`…. */
export function claimIdOfAttempt(mdtrtId: string, attempt: number): string {
  return attempt <= 1 ? mdtrtId : `${mdtrtId}-${attempt}`;
}

/** 性别 from an 18-character resident ID number (GB 11643: the 17th digit is odd for men), else null. */
export function genderOfIdNumber(idNumber: string | undefined): string | null {
  if (idNumber === undefined || !/^\d{17}[\dXx]$/.test(idNumber)) return null;
  return Number(idNumber[16]) % 2 === 1 ? FIXED_CODES.gend.male : FIXED_CODES.gend.female;
}

/** 人员类别 of a registry member on a day (codes/psn_type.json). */
export function psnTypeOf(member: RegistryMember, day: string): string {
  if (member.categories.includes('student')) return '1403';
  return ageOn(member.birthDate, day) < 18 ? '1402' : '1401';
}

/**
 * The person fields of a member. `shown` is the name and ID number as they may leave the agency
 * (masked by the adapter); the gender is read from the real number before it is masked.
 */
export function personOf(member: RegistryMember, day: string, shown: { name: string | undefined; certno: string | undefined }, idNumber: string | undefined): NationalPerson {
  return {
    psn_name: shown.name ?? '*',
    psn_cert_type: shown.certno === undefined ? FIXED_CODES.psn_cert_type.other : FIXED_CODES.psn_cert_type.identityCard,
    certno: shown.certno ?? member.id,
    gend: genderOfIdNumber(idNumber),
    naty: null,
    brdy: member.birthDate,
    psn_type: psnTypeOf(member, day),
  };
}

/** A 6-digit administrative division code, or undefined. */
export const divisionCode = (value: string | null | undefined): string | undefined => (value && /^\d{6}$/.test(value) ? value : undefined);

/** 1101 output: baseinfo, insuinfo (the enrolment of the year), idetinfo (none: identities are the registry's categories). */
export function personQueryOutput(member: RegistryMember, person: NationalPerson, day: string, insuplcAdmdvs: string | undefined): Record<string, unknown> {
  const year = Number(day.slice(0, 4));
  const enrolment = enrolmentFor(member, year);
  const enrolled = member.enrolments.some((e) => e.year === year);
  return {
    baseinfo: {
      psn_no: member.id,
      psn_cert_type: person.psn_cert_type,
      certno: person.certno,
      psn_name: person.psn_name,
      gend: person.gend,
      naty: person.naty,
      brdy: person.brdy,
      age: ageOn(member.birthDate, day),
    },
    insuinfo: [
      {
        balc: 0,
        insutype: INSUTYPE_RESIDENT,
        psn_type: person.psn_type,
        // 人员参保状态: 1 正常参保, 4 暂停参保 (no enrolment for the year asked).
        psn_insu_stas: enrolled ? '1' : '4',
        psn_insu_date: enrolment.paidOn,
        paus_insu_date: null,
        cvlserv_flag: FIXED_CODES.cvlserv_flag.no,
        insuplc_admdvs: divisionCode(member.poolingArea) ?? insuplcAdmdvs ?? '000000',
        emp_name: null,
      },
    ],
    idetinfo: member.categories.map((category) => ({ psn_idet_type: category, psn_type_lv: null, memo: '登记的人员身份（registry category）', begntime: null, endtime: null })),
  };
}

/** 5206 累计类别代码 written here, each with the stored total it reports (codes/cum_type_code.json, which names its source). */
export const CUM_TYPES = CUM_TYPE_CODE.codes.map((entry) => ({
  code: entry.code,
  name: entry.name,
  // A count is written as a number of two decimals like the amounts (1 admission: 1.00).
  of: (t: YearToDate): number => (entry.totals === 'admissions' ? t.admissions * 100 : t[entry.totals]),
}));

/** 5206 output `cuminfo[]` from the member's stored totals of a year. */
export function cumulativeOutput(totals: YearToDate, year: number, cumYm: string | null): Record<string, unknown> {
  return {
    cuminfo: CUM_TYPES.map((type) => ({ insutype: INSUTYPE_RESIDENT, year: String(year), cum_ym: cumYm, cum_type_code: type.code, cum: yuan(type.of(totals)) })),
  };
}

/** The facts of a visit's settlement record: ids, person, line split, dates. */
export function factsOfVisit(visit: VisitState, claimId: string, msgid: string, person: NationalPerson, extra: Pick<SettlementFacts, 'settledAt' | 'basicCapRoom' | 'clrOptins'> = {}): SettlementFacts {
  return {
    mdtrtId: visit.mdtrtId,
    setlId: settlementIdOf(visit.hospitalId, claimId),
    medinsSetlId: msgid,
    person,
    admittedOn: visit.admittedOn,
    dischargedOn: visit.dischargedOn ?? undefined,
    visitType: visit.visitType,
    medType: visit.medType,
    mdtrtCertType: visit.mdtrtCertType,
    lineScope: lineScopeOfVisit(visit),
    hospitalId: visit.hospitalId,
    ...extra,
  };
}

/** One stored settlement as 3201 / 3202 count it. */
export interface ReconcileRow {
  readonly settlement: Settlement;
  readonly status: 'settled' | 'rejected' | 'reversed';
}

/** The 3201 totals of one insutype × clr_type over the hospital's settlements (settled, not reversed). */
export function reconcileTotals(rows: Iterable<ReconcileRow>, clrType: string): { count: number; medfee: Fen; fund: Fen; cash: Fen } {
  let count = 0;
  let medfee = 0;
  let fund = 0;
  let cash = 0;
  for (const { settlement, status } of rows) {
    if (status !== 'settled' || settlement.status !== 'settled') continue;
    if (clrTypeOf(medTypeOf(settlement).medType) !== clrType) continue;
    const a = settlement.amounts;
    count += 1;
    medfee += a.total;
    fund += a.basic + a.catastrophic + a.assistance + a.charity + a.hospitalBorne;
    cash += a.patient;
  }
  return { count, medfee: medfee as Fen, fund: fund as Fen, cash: cash as Fen };
}

/** 3201 output `stmtinfo`: 0 平 (agrees) or 1 不平, with both sides in the description. */
export function totalsReconcileOutput(ours: { count: number; medfee: Fen; fund: Fen }, theirs: { count: number; medfee: Fen; fund: Fen }, setlOptins: string | null): Record<string, unknown> {
  const agrees = ours.count === theirs.count && ours.medfee === theirs.medfee && ours.fund === theirs.fund;
  const side = (s: typeof ours) => `笔数${s.count}，医疗费总额${yuan(s.medfee).toFixed(2)}，基金支付总额${yuan(s.fund).toFixed(2)}`;
  return {
    stmtinfo: {
      setl_optins: setlOptins,
      stmt_rslt: agrees ? '0' : '1',
      stmt_rslt_dscr: agrees ? `对账相符：${side(ours)}` : `对账不符：经办机构${side(ours)}；医药机构${side(theirs)}`,
    },
  };
}
