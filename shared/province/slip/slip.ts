/**
 * The one-stop settlement slip (一单制结算单) as data: what a provincial slip shows, gathered from the
 * settlement and whatever else the caller knows (the claim, the registry's member and hospital, the
 * policy), with personal data already masked. The text (`text.ts`) and the printable page (`html.ts`)
 * are two drawings of this one model, so the terminal, the local stack and the API show the same slip.
 *
 * Every amount on the slip is the settlement's own, in fen, written once as digits and once in capital
 * numerals; nothing here computes a payment.
 */
import { daysBetween } from '../../calendar/dates.js';
import type { Claim, EnrolmentKind, MemberCategory, VisitType } from '../../contract/claim.js';
import type { Amounts, Rejection, Settlement } from '../../engine/settlement.js';
import type { TraceStep } from '../../engine/trace.js';
import { capitalAmount } from '../../money/capital.js';
import { type Fen, formatMoney, room } from '../../money/money.js';
import type { CarePath, Policy } from '../../policy/schema.js';
import { maskIdNumber, maskName } from '../../registry/mask.js';
import type { RegistryHospital, RegistryMember } from '../../registry/registry.js';

/** The insurance every slip of this product is for. */
export const INSURANCE_TYPE = '城乡居民基本医疗保险';

const CATEGORY_NAMES: Readonly<Record<MemberCategory, string>> = {
  'minimum-living': '低保对象',
  'extreme-poverty': '特困供养人员',
  'registered-poor': '建档立卡贫困人口',
  'low-income': '低收入人口',
  'severe-disability': '重度残疾人',
  orphan: '孤儿',
  student: '学生',
};

const ENROLMENT_NAMES: Readonly<Record<EnrolmentKind, string>> = {
  regular: '按期参保',
  late: '逾期参保',
  newborn: '新生儿参保',
  'mid-year': '年中参保',
};

const VISIT_NAMES: Readonly<Record<VisitType, string>> = {
  inpatient: '住院',
  outpatient: '普通门诊',
  'special-outpatient': '门诊慢特病',
};

const PATH_NAMES: Readonly<Record<CarePath, string>> = {
  inpatient: '普通住院',
  childbirth: '住院分娩',
  'serious-disease': '重大疾病',
  'emergency-death': '急诊抢救死亡',
  'special-outpatient': '门诊慢特病',
  outpatient: '普通门诊',
};

const CHILDBIRTH_NAMES: Readonly<Record<NonNullable<Claim['visit']['childbirth']>, string>> = {
  natural: '顺产',
  caesarean: '剖宫产',
  complicated: '难产',
};

/**
 * The step's name, for an entry read back without its Chinese sentence (the pipeline stores the trace
 * without them): the cashier still reads what the line is about, then its arithmetic.
 */
const STEP_NAMES: Readonly<Record<TraceStep, string>> = {
  policy: '适用政策',
  eligibility: '参保资格',
  path: '结算类别',
  scope: '费用分类',
  deductible: '起付线',
  ratio: '支付比例',
  basic: '统筹基金支付',
  cap: '年度限额',
  catastrophic: '大病保险',
  assistance: '医疗救助',
  charity: '慈善救助',
  patient: '个人负担',
  rejection: '不予支付',
};

/** One row of amounts: its key in the settlement, its labels, the amount and the amount in capitals. */
export interface SlipAmount {
  readonly key: keyof Amounts;
  readonly zh: string;
  readonly en: string;
  readonly amount: Fen;
  readonly yuan: string;
  readonly capital: string;
}

/** One row of the member's year so far. */
export interface SlipYearRow {
  readonly key: 'basicPaid' | 'capLeft' | 'catastrophicPaid' | 'admissions';
  readonly zh: string;
  readonly en: string;
  /** Yuan with two decimals, a count, or `—` when the policy sets no cap. */
  readonly value: string;
}

/** A label and its value, for the header blocks. */
export interface SlipField {
  readonly zh: string;
  readonly en: string;
  readonly value: string;
}

/** One line of the explanation: the step's Chinese sentence (its Chinese name and English arithmetic when the source has none). */
export interface SlipExplanation {
  readonly step: string;
  readonly text: string;
  readonly amount: string | undefined;
}

/** The slip, ready to draw. */
export interface Slip {
  readonly title: string;
  /** `reversed` when a settled claim was reversed afterwards. */
  readonly status: Settlement['status'] | 'reversed';
  readonly statusText: string;
  readonly patient: readonly SlipField[];
  readonly visit: readonly SlipField[];
  /** 医疗费总额 … 起付线: how the bill divides before anyone pays. */
  readonly scope: readonly SlipAmount[];
  /** Each fund, the hospital and the patient, in the one-stop order; they add up to the total. */
  readonly payers: readonly SlipAmount[];
  readonly year: readonly SlipYearRow[];
  readonly rejection: Rejection | null;
  readonly explanation: readonly SlipExplanation[];
  readonly settlementId: string;
  readonly settledAt: string;
}

/** What a caller knows besides the settlement; each part is optional and shows as `—` when absent. */
export interface SlipInput {
  readonly settlement: Settlement;
  /** The claim it settled: member categories, hospital tier, visit dates and care facts. */
  readonly claim?: Pick<Claim, 'member' | 'hospital' | 'visit'> | undefined;
  /** The hospital's tier key when neither the claim nor the registry is at hand. */
  readonly hospitalTier?: string | undefined;
  /** The discharge date when the claim itself is not at hand (a stored settlement keeps it). */
  readonly dischargedOn?: string | undefined;
  /** The registry's member: name and ID number (masked on the slip), categories, region. */
  readonly member?: RegistryMember | undefined;
  /** The registry's hospital: its name and tier per region. */
  readonly hospital?: RegistryHospital | undefined;
  /** The policy the claim was settled by: the tier's name and the annual cap. */
  readonly policy?: Policy | undefined;
  /** When the settlement was made (ISO 8601); shown in China Standard Time. */
  readonly settledAt?: string | undefined;
  /** When the settlement was reversed (冲销), if it was: the slip then says so. */
  readonly reversedAt?: string | undefined;
  /** The settlement's id; default `hospitalId/claimId`, the key it is stored and fetched by. */
  readonly settlementId?: string | undefined;
}

const DASH = '—';

const SCOPE_LABELS: readonly (readonly [keyof Amounts, string, string])[] = [
  ['total', '医疗费总额', 'Total'],
  ['fullOwnPay', '全自费', 'Full own-pay'],
  ['preSelfPay', '先行自付', 'Class-B pre-self-pay'],
  ['policyScope', '政策范围内费用', 'Policy scope'],
  ['deductible', '起付线', 'Deductible'],
];

const PAYER_LABELS: readonly (readonly [keyof Amounts, string, string])[] = [
  ['basic', '统筹基金支付', 'Basic fund'],
  ['catastrophic', '大病保险支付', 'Catastrophic insurance'],
  ['assistance', '医疗救助支付', 'Medical assistance'],
  ['charity', '其他/慈善支付', 'Other / charity'],
  ['hospitalBorne', '医院负担', 'Hospital-borne'],
  ['patient', '个人负担', 'Patient pays'],
];

const amountRow = (amounts: Amounts, [key, zh, en]: readonly [keyof Amounts, string, string]): SlipAmount => ({
  key,
  zh,
  en,
  amount: amounts[key],
  yuan: formatMoney(amounts[key]),
  capital: capitalAmount(amounts[key]),
});

/** An ISO 8601 instant as `YYYY-MM-DD HH:MM:SS` in China Standard Time (UTC+8, no daylight saving). */
export function chinaTime(iso: string): string {
  const millis = Date.parse(iso);
  if (Number.isNaN(millis)) return iso;
  return new Date(millis + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}

function patientFields(input: SlipInput): SlipField[] {
  const { settlement, claim, member } = input;
  const categories = member?.categories ?? claim?.member.categories ?? [];
  const enrolment = claim?.member.enrolment.kind ?? member?.enrolments.find((e) => e.year === settlement.year)?.kind;
  const category = categories.length === 0 ? '普通居民' : categories.map((c) => CATEGORY_NAMES[c]).join('、');
  return [
    { zh: '姓名', en: 'Name', value: member?.name ? maskName(member.name) : DASH },
    { zh: '身份证号', en: 'ID number', value: member?.idNumber ? maskIdNumber(member.idNumber) : DASH },
    { zh: '参保人编号', en: 'Member', value: settlement.memberId },
    { zh: '险种类型', en: 'Insurance', value: INSURANCE_TYPE },
    { zh: '人员类别', en: 'Category', value: enrolment ? `${category}（${ENROLMENT_NAMES[enrolment]}）` : category },
    {
      zh: '执行政策',
      en: 'Policy',
      value: settlement.policy === null ? '无（无有效政策）' : `${input.policy?.document ?? settlement.policy} ${settlement.policy}${settlement.policyVersion ? ` ${settlement.policyVersion}` : ''}`,
    },
  ];
}

function visitFields(input: SlipInput): SlipField[] {
  const { settlement, claim, hospital, member, policy } = input;
  const region = claim?.member.region ?? member?.region ?? policy?.region;
  // The registry is authoritative for a hospital's tier, as it is when the claim is settled.
  const tier = (region === undefined ? undefined : hospital?.tiers[region]) ?? claim?.hospital.tier ?? input.hospitalTier;
  const tierName = tier === undefined ? undefined : policy?.tiers[tier]?.name;
  const visit = claim?.visit;
  const dischargedOn = visit?.dischargedOn ?? input.dischargedOn;
  const days = visit && visit.type === 'inpatient' ? String(Math.max(1, daysBetween(visit.admittedOn, visit.dischargedOn))) : DASH;
  const care: string[] = [];
  if (settlement.path !== null) care.push(PATH_NAMES[settlement.path]);
  if (visit?.seriousDisease) care.push(`病种 ${visit.seriousDisease.code}`);
  if (visit?.childbirth) care.push(CHILDBIRTH_NAMES[visit.childbirth]);
  if (visit?.emergency) care.push('急诊');
  if (visit?.referral) care.push('转诊');
  return [
    { zh: '医疗机构', en: 'Hospital', value: hospital?.name ? `${hospital.name}（${settlement.hospitalId}）` : settlement.hospitalId },
    { zh: '医院等级', en: 'Level', value: tier === undefined ? DASH : tierName ? `${tierName}（${tier}）` : tier },
    { zh: '就诊类型', en: 'Visit', value: visit ? VISIT_NAMES[visit.type] : DASH },
    { zh: '入院日期', en: 'Admitted', value: visit?.admittedOn ?? DASH },
    { zh: '出院日期', en: 'Discharged', value: dischargedOn ?? DASH },
    { zh: '住院天数', en: 'Days', value: days },
    { zh: '诊断/就医路径', en: 'Care path', value: care.length > 0 ? care.join('，') : DASH },
  ];
}

/** The room left under the annual cap of the fund's counter this claim moved (inpatient or outpatient). */
function capLeft(settlement: Settlement, policy: Policy | undefined): string {
  if (!policy) return DASH;
  const ytd = settlement.yearToDate;
  if (settlement.path === 'outpatient') {
    const cap = policy.outpatient?.annualCap;
    return cap ? formatMoney(room(cap.amount, ytd.outpatientPaid)) : DASH;
  }
  const cap = policy.inpatient?.annualCap;
  return cap ? formatMoney(room(cap.amount, ytd.basicPaid)) : DASH;
}

/** Gathers the slip of a settlement from what the caller knows. */
export function buildSlip(input: SlipInput): Slip {
  const { settlement } = input;
  const ytd = settlement.yearToDate;
  const outpatient = settlement.path === 'outpatient';
  return {
    title: `${INSURANCE_TYPE}一站式结算单`,
    status: input.reversedAt ? 'reversed' : settlement.status,
    statusText: input.reversedAt ? `已冲销（${chinaTime(input.reversedAt)}）` : settlement.status === 'settled' ? '已结算' : '拒付',
    patient: patientFields(input),
    visit: visitFields(input),
    scope: SCOPE_LABELS.map((label) => amountRow(settlement.amounts, label)),
    payers: PAYER_LABELS.map((label) => amountRow(settlement.amounts, label)),
    year: [
      outpatient
        ? { key: 'basicPaid', zh: '本年门诊统筹已支付', en: 'Outpatient fund paid this year', value: formatMoney(ytd.outpatientPaid) }
        : { key: 'basicPaid', zh: '本年统筹基金已支付', en: 'Basic fund paid this year', value: formatMoney(ytd.basicPaid) },
      { key: 'capLeft', zh: '年度限额剩余', en: 'Cap room left', value: capLeft(settlement, input.policy) },
      { key: 'catastrophicPaid', zh: '本年大病保险已支付', en: 'Catastrophic paid this year', value: formatMoney(ytd.catastrophicPaid) },
      { key: 'admissions', zh: '本年住院次数', en: 'Admissions this year', value: String(ytd.admissions) },
    ],
    rejection: settlement.rejection,
    explanation: settlement.trace.map((entry) => ({ step: entry.step, text: entry.zh ?? `${STEP_NAMES[entry.step]}：${entry.detail}（${entry.clause}）`, amount: entry.amount })),
    settlementId: input.settlementId ?? `${settlement.hospitalId}/${settlement.claimId}`,
    settledAt: input.settledAt ? chinaTime(input.settledAt) : DASH,
  };
}
