/**
 * The message catalogue of the trace: for every kind of entry the engine records, its English sentence
 * (the contract's `detail`, the arithmetic as the auditors read it) and its Chinese sentence (the rule in
 * plain words, the numbers with thousands separators and the clause, as a cashier explains it). All the
 * wording of the trace lives here; the engine only records numbers (`trace.ts`). Tier names and policy
 * titles come from the policy packs, which carry them in Chinese.
 *
 * size: one catalogue, an English and a Chinese sentence for every kind of trace entry; kept whole so
 * the wording of the trace is read and reviewed in one place.
 */
import type { ChildbirthKind, ItemCategory, MemberCategory, Region, SeriousDiseaseGroup } from '../contract/claim.js';
import { type Fen, type Ratio, exactProduct, formatMoney, formatPercent, formatRatio, sub } from '../money/money.js';
import type { CarePath, Policy, Source } from '../policy/schema.js';
import { ENGINE_CLAUSE_NAMES } from './clauses.js';
import type { RejectionCode } from './settlement.js';
import type { CoverFacts, ReliefReason, ScopeLine, TraceFacts, TraceKind } from './trace.js';

/** The English and the Chinese sentence of one kind of entry. */
interface Message<K extends TraceKind> {
  readonly en: (facts: TraceFacts[K]) => string;
  /** The Chinese sentence without its clause, which {@link renderChinese} appends; tier names come from the policy. */
  readonly zh: (facts: TraceFacts[K], policy: Policy | undefined) => string;
}

const m = formatMoney;

/** Yuan with thousands separators, for the Chinese sentences: 2712333 → "27,123.33". */
export function formatYuanGrouped(amount: Fen): string {
  const text = formatMoney(amount);
  const dot = text.indexOf('.');
  const sign = text.startsWith('-') ? '-' : '';
  const whole = text.slice(sign.length, dot);
  let grouped = '';
  for (let end = whole.length; end > 0; end -= 3) grouped = `${whole.slice(Math.max(0, end - 3), end)}${grouped ? `,${grouped}` : ''}`;
  return `${sign}${grouped}${text.slice(dot)}`;
}

const y = formatYuanGrouped;
const pct = (ratio: Ratio): string => formatPercent(ratio);

const PATH_ZH: Record<CarePath, string> = {
  inpatient: '普通住院',
  childbirth: '住院分娩',
  'serious-disease': '重大疾病（22 种）',
  'emergency-death': '急诊抢救无效死亡',
  'special-outpatient': '门诊慢特病',
  outpatient: '普通门诊',
};

/** What the basic fund's payment on a path is called on a slip. */
const BASIC_LABEL_ZH: Record<CarePath, string> = {
  inpatient: '住院统筹支付',
  childbirth: '住院分娩统筹支付',
  'serious-disease': '重大疾病统筹支付',
  'emergency-death': '住院统筹支付',
  'special-outpatient': '门诊慢特病统筹支付',
  outpatient: '门诊统筹支付',
};

const ITEM_CATEGORY_ZH: Record<ItemCategory, string> = {
  catalogue: '目录内甲类项目',
  'class-b': '乙类项目',
  'large-equipment': '大型医用设备检查治疗',
  'implant-domestic': '国产植入材料',
  'implant-imported': '进口植入材料',
  'disposable-material': '一次性医用材料',
  blood: '血液及血液制品',
  'er-observation': '急诊留观费用',
  'out-of-catalogue': '目录外项目',
};

const MEMBER_CATEGORY_ZH: Record<MemberCategory, string> = {
  'minimum-living': '低保对象',
  'extreme-poverty': '特困供养人员',
  'registered-poor': '建档立卡贫困人口',
  'low-income': '低收入家庭成员',
  'severe-disability': '重度残疾人',
  orphan: '孤儿',
  student: '学生',
};

const GROUP_ZH: Record<SeriousDiseaseGroup, string> = { 'child-class1': '儿童类（第一类）', 'adult-class': '成人类' };

const CHILDBIRTH_ZH: Record<ChildbirthKind, string> = { natural: '自然分娩', caesarean: '剖宫产', complicated: '难产' };

const REGION_ZH: Partial<Record<Region, string>> = {
  jinzhong: '晋中市',
  taiyuan: '太原市',
  pingyang: '平阳县',
  shandong: '山东省',
  jincheng: '晋城市',
};

/** The Chinese name of each rejection code: why the fund pays nothing. */
export const REJECTION_ZH: Record<RejectionCode, string> = {
  NO_POLICY: '出院日期无适用政策',
  NOT_ENROLLED: '未参保或入院时尚未享受待遇',
  WAITING_PERIOD: '入院时处于待遇等待期',
  LATE_SUBMISSION: '超过结算申报期限',
  EXCLUDED_CAUSE: '属于基金不予支付的情形',
  NON_DESIGNATED: '非定点医疗机构且非急诊',
  NOT_COVERED: '不在本政策支付范围内',
  POLICY_INCOMPLETE: '政策文件未规定该项待遇标准',
};

/** The policy's own (Chinese) name of a tier, else its id, in 【】 since the names carry their own punctuation. */
const tierZh = (tier: string, policy: Policy | undefined): string =>
  `【${policy !== undefined && Object.hasOwn(policy.tiers, tier) ? (policy.tiers[tier]?.name ?? tier) : tier}】`;
const memberCategoryZh = (category: MemberCategory): string => MEMBER_CATEGORY_ZH[category] ?? category;

/** Why the member is covered, in English: also the reason a NOT_ENROLLED or WAITING_PERIOD rejection gives. */
export function coverEnglish(cover: CoverFacts): string {
  switch (cover.kind) {
    case 'regular':
      return `regular enrolment for ${cover.year}`;
    case 'newborn-birth-year': {
      const condition = `registered on ${cover.paidOn}, ${cover.fromBirth ? 'in' : 'after'} the birth year`;
      return cover.fromBirth ? `newborn ${condition}: covered from birth ${cover.birthDate}` : `newborn ${condition}: covered from ${cover.paidOn}`;
    }
    case 'newborn-within-months': {
      const condition = `enrolled on ${cover.paidOn}, ${cover.fromBirth ? 'within' : 'later than'} ${cover.months} months of birth (${cover.limit})`;
      return cover.fromBirth ? `newborn ${condition}: covered from birth ${cover.birthDate}` : `newborn ${condition}: covered from ${cover.paidOn}`;
    }
    case 'mid-year':
      return `mid-year joiner enrolled ${cover.paidOn}: covered from ${cover.start}`;
    case 'late':
      return `late payment on ${cover.paidOn}, no waiting period`;
    case 'late-waiting':
      return `late payment on ${cover.paidOn}: benefits from ${cover.benefitsFrom} (paidOn + ${cover.waitingDays} days)`;
  }
}

function coverChinese(cover: CoverFacts): string {
  switch (cover.kind) {
    case 'regular':
      return `${cover.year} 年度正常参保缴费`;
    case 'newborn-birth-year':
      return `新生儿于 ${cover.paidOn} 登记参保，${cover.fromBirth ? `在出生当年，自出生之日 ${cover.birthDate} 起享受待遇` : `晚于出生当年，自 ${cover.paidOn} 起享受待遇`}`;
    case 'newborn-within-months':
      return `新生儿于 ${cover.paidOn} 参保，${cover.fromBirth ? `在出生后 ${cover.months} 个月内（${cover.limit} 前），自出生之日 ${cover.birthDate} 起享受待遇` : `晚于出生后 ${cover.months} 个月（${cover.limit}），自 ${cover.paidOn} 起享受待遇`}`;
    case 'mid-year':
      return `年度中途参保（${cover.paidOn} 缴费），自 ${cover.start} 起享受待遇`;
    case 'late':
      return `${cover.paidOn} 补缴参保费，无待遇等待期`;
    case 'late-waiting':
      return `${cover.paidOn} 补缴参保费，等待期 ${cover.waitingDays} 天，自 ${cover.benefitsFrom} 起享受待遇`;
  }
}

function scopeLineEnglish(line: ScopeLine): string {
  if (line.kind === 'included') return `${m(line.amount)} × ${formatRatio(line.ratio)} = ${exactProduct(line.amount, line.ratio)} → ${m(line.inScope)}`;
  return `${m(line.amount)} on ${line.date}, ${line.days} days before admission: ${line.merged ? `merged (≤ ${line.mergeWithinDays})` : 'not payable in this claim'}`;
}

function scopeLineChinese(line: ScopeLine): string {
  if (line.kind === 'included') return `${y(line.amount)} × 纳入比例 ${pct(line.ratio)} = ${y(line.inScope)}`;
  return `${line.date} 留观 ${y(line.amount)}，入院前 ${line.days} 天：${line.merged ? `${line.mergeWithinDays} 天内，并入本次住院` : '不在本次结算中支付'}`;
}

function reliefEnglish(reason: ReliefReason): string {
  return reason.kind === 'child' ? `age ${reason.age} on admission ≤ ${reason.maxAge}` : `${reason.admissions} earlier admission(s) this year`;
}

function reliefChinese(reason: ReliefReason): string {
  return reason.kind === 'child' ? `入院时 ${reason.age} 周岁，不超过 ${reason.maxAge} 周岁` : `本年度此前已住院 ${reason.admissions} 次`;
}

/** `(scope − deductible) × ratio = exact → rounded`, the formula of the basic fund. */
function formulaEnglish(policyScope: Fen, deductible: Fen, ratio: Ratio, computed: Fen): string {
  return `(${m(policyScope)} − ${m(deductible)}) × ${formatRatio(ratio)} = ${exactProduct(sub(policyScope, deductible), ratio)} → ${m(computed)}`;
}

/** The catalogue: one English and one Chinese sentence for every kind of trace entry. */
export const MESSAGES: { readonly [K in TraceKind]: Message<K> } = {
  'policy.in-force': {
    en: ({ policy, dischargedOn, year, sources }) =>
      `${policy.id} ${policy.version} (${policy.document}), in force ${policy.effective.from}…${policy.effective.to ?? ''} for ${policy.region} on the discharge date ${dischargedOn}; settled in ${year}${sources.length > 1 ? `; built from ${sources.join(' + ')}` : ''}`,
    zh: ({ policy, dischargedOn, year, sources }) =>
      `适用政策：${policy.title}（${policy.document}，${policy.id} ${policy.version}），${policy.effective.from} 起施行${policy.effective.to === null ? '' : `，至 ${policy.effective.to}`}；${REGION_ZH[policy.region] ?? policy.region}参保人出院日期 ${dischargedOn}，结算年度 ${year}${sources.length > 1 ? `；政策由 ${sources.join(' + ')} 合成` : ''}`,
  },
  'eligibility.covered': {
    en: ({ cover, admitted }) => `${coverEnglish(cover)}; admitted ${admitted}: covered`,
    zh: ({ cover, admitted }) => `参保资格：${coverChinese(cover)}；${admitted} 入院，享受待遇`,
  },
  'path.chosen': {
    en: ({ path }) => `care path: ${path}`,
    zh: ({ path }) => `结算类别：${PATH_ZH[path]}`,
  },
  'scope.category': {
    en: ({ category, lines, amount, inScope, details }) => {
      const outOfScope = amount - inScope;
      const head = `${category}: ${lines} line${lines === 1 ? '' : 's'}, ${m(amount)}`;
      const split =
        category === 'out-of-catalogue'
          ? 'full own pay'
          : outOfScope === 0
            ? 'wholly in policy scope'
            : `in scope ${m(inScope)}, ${category === 'er-observation' ? 'full own pay' : 'pre-self-pay'} ${m(outOfScope as Fen)}`;
      return `${head}, ${split}${details.length ? ` (${details.map(scopeLineEnglish).join('; ')})` : ''}`;
    },
    zh: ({ category, lines, amount, inScope, details }) => {
      const outOfScope = (amount - inScope) as Fen;
      const split =
        category === 'out-of-catalogue'
          ? '全部为全自费'
          : outOfScope === 0
            ? '全部计入政策范围内费用'
            : `计入政策范围内费用 ${y(inScope)}，${category === 'er-observation' ? '全自费' : '先行自付'} ${y(outOfScope)}`;
      return `费用分类：${ITEM_CATEGORY_ZH[category] ?? category} ${lines} 项，金额 ${y(amount)}，${split}${details.length ? `（${details.map(scopeLineChinese).join('；')}）` : ''}`;
    },
  },
  'scope.total': {
    en: ({ total, fullOwnPay, preSelfPay, policyScope }) =>
      `total ${m(total)} = full own pay ${m(fullOwnPay)} + pre-self-pay ${m(preSelfPay)} + policy scope ${m(policyScope)}`,
    zh: ({ total, fullOwnPay, preSelfPay, policyScope }) =>
      `费用构成：医疗费总额 ${y(total)} = 全自费 ${y(fullOwnPay)} + 先行自付 ${y(preSelfPay)} + 政策范围内费用 ${y(policyScope)}`,
  },
  'scope.serious-disease': {
    en: ({ code, group, total, quota, base, hospitalBorne }) =>
      `serious disease ${code} (${group}): base = min(total ${m(total)}, quota ${m(quota)}) = ${m(base)}; the hospital bears ${m(hospitalBorne)}; no deductible, no partial inclusion`,
    zh: ({ code, group, total, quota, base, hospitalBorne }) =>
      `重大疾病 ${code}（${GROUP_ZH[group]}）：结算基数 = min(医疗费总额 ${y(total)}, 定额标准 ${y(quota)}) = ${y(base)}；超出定额的 ${y(hospitalBorne)} 由医院负担；不设起付线，不分项计入`,
  },
  'deductible.table': {
    en: ({ standard, tier }) => `table standard ${m(standard)} (${tier})`,
    zh: ({ standard, tier }, policy) => `起付线：${tierZh(tier, policy)}起付标准 ${y(standard)}`,
  },
  'deductible.relieved': {
    en: ({ standard, tier, factors, reduced, reasons, combine }) =>
      `table standard ${m(standard)} (${tier})${factors.map((f) => ` × ${formatRatio(f)}`).join('')} = ${m(reduced)}: ${reasons.map(reliefEnglish).join(' and ')}${reasons.length > 1 ? ` (${combine === 'stack' ? 'stacked' : 'not stacked'}, R03)` : ''}`,
    zh: ({ standard, tier, factors, reduced, reasons, combine }, policy) =>
      `起付线：${tierZh(tier, policy)}起付标准 ${y(standard)}${factors.map((f) => ` × ${pct(f)}`).join('')} = ${y(reduced)}，因${reasons.map(reliefChinese).join('且')}${reasons.length > 1 ? `（${combine === 'stack' ? '减免叠加' : '减免不叠加，按最低'}）` : ''}`,
  },
  'deductible.special-none': {
    en: () => 'special-outpatient care takes no deductible',
    zh: () => '起付线：门诊慢特病不设起付线，本次起付线 0.00',
  },
  'deductible.special-taken': {
    en: () => 'the inpatient deductible was already taken on an earlier special-outpatient settlement this year',
    zh: () => '起付线：本年度已在此前的门诊慢特病结算中扣除住院起付线，本次起付线 0.00',
  },
  'deductible.special-standard': {
    en: ({ standard, tier, onceAYear }) => `inpatient table standard ${m(standard)} (${tier}), ${onceAYear ? 'once a year' : 'on every settlement'}`,
    zh: ({ standard, tier, onceAYear }, policy) => `起付线：按${tierZh(tier, policy)}住院起付标准 ${y(standard)}，${onceAYear ? '每年扣除一次' : '每次结算均扣除'}`,
  },
  'deductible.below-scope': {
    en: ({ policyScope }) => `policy scope ${m(policyScope)} is below the deductible: the deductible applied is the policy scope`,
    zh: ({ policyScope }) => `起付线：政策范围内费用 ${y(policyScope)} 低于起付标准，实际扣除的起付线为 ${y(policyScope)}`,
  },
  'deductible.outpatient-annual': {
    en: ({ annual, used, left, applied }) => `annual outpatient deductible ${m(annual)} − used ${m(used)} = ${m(left)}; applied ${m(applied)}`,
    zh: ({ annual, used, left, applied }) => `门诊起付线：年度起付标准 ${y(annual)} − 本年已扣除 ${y(used)} = ${y(left)}；本次扣除 ${y(applied)}`,
  },
  'ratio.tier': {
    en: ({ ratio, tier }) => `tier ratio ${pct(ratio)} (${tier})`,
    zh: ({ ratio, tier }, policy) => `支付比例：${tierZh(tier, policy)}${pct(ratio)}`,
  },
  'ratio.non-designated-emergency': {
    en: ({ ratio }) => `tier ratio ${pct(ratio)}: an emergency at a non-designated hospital takes no referral penalty`,
    zh: ({ ratio }) => `支付比例：${pct(ratio)}；非定点医疗机构急诊抢救，不降低支付比例`,
  },
  'ratio.emergency-exempt': {
    en: ({ ratio }) => `tier ratio ${pct(ratio)}: outside the pooling area without referral, but emergencies are exempt`,
    zh: ({ ratio }) => `支付比例：${pct(ratio)}；统筹区外就医未办理转诊，但急诊不降低支付比例`,
  },
  'ratio.referral-penalty': {
    en: ({ ratio, tier, points, emergency, lowered }) =>
      `tier ratio ${pct(ratio)} (${tier}) − ${pct(points)} referral penalty (outside the pooling area, no referral${emergency ? ', emergency not exempt' : ''}) = ${pct(lowered)}`,
    zh: ({ ratio, tier, points, emergency, lowered }, policy) =>
      `支付比例：${tierZh(tier, policy)}${pct(ratio)} − 未办理转诊降低 ${pct(points)} = ${pct(lowered)}（统筹区外就医未办理转诊${emergency ? '，急诊不予豁免' : ''}）`,
  },
  'ratio.outpatient': {
    en: ({ ratio, tier, notReferred }) => `outpatient ratio ${pct(ratio)} (${tier}${notReferred ? ', not referred from primary care' : ''})`,
    zh: ({ ratio, tier, notReferred }, policy) => `门诊支付比例：${tierZh(tier, policy)}${pct(ratio)}${notReferred ? '（未经基层医疗机构转诊）' : ''}`,
  },
  'basic.formula': {
    en: ({ policyScope, deductible, ratio, computed }) => formulaEnglish(policyScope, deductible, ratio, computed),
    zh: ({ path, policyScope, deductible, ratio, computed }) =>
      `${BASIC_LABEL_ZH[path]}：(政策范围内费用 ${y(policyScope)} − 起付线 ${y(deductible)}) × 支付比例 ${pct(ratio)} = ${y(computed)}`,
  },
  'basic.serious-disease': {
    en: ({ base, ratio, computed }) => `base ${m(base)} × ${formatRatio(ratio)} = ${m(computed)}`,
    zh: ({ base, ratio, computed }) => `重大疾病统筹支付：结算基数 ${y(base)} × 支付比例 ${pct(ratio)} = ${y(computed)}`,
  },
  'basic.childbirth': {
    en: ({ delivery, primaryCare, standard, policyScope }) =>
      `${delivery} delivery at ${primaryCare ? 'a primary-care institution' : 'county level or above'}: fixed ${m(standard)}, at most the policy scope ${m(policyScope)}, no deductible`,
    zh: ({ delivery, primaryCare, standard, policyScope, paid }) =>
      `住院分娩定额支付：${delivery === undefined ? '分娩' : CHILDBIRTH_ZH[delivery]}，${primaryCare ? '基层医疗机构' : '县级及以上医疗机构'}定额 ${y(standard)}，不超过政策范围内费用 ${y(policyScope)}，不设起付线，支付 ${y(paid)}`,
  },
  'cap.basic': {
    en: ({ counter, cap, used, left, computed }) => `annual cap ${m(cap)} − ${counter} ${m(used)} = room ${m(left)} < ${m(computed)}: paid ${m(left)}`,
    zh: ({ counter, cap, used, left, computed }) =>
      `${counter === 'basic paid' ? '统筹基金年度最高支付限额' : '门诊统筹年度最高支付限额'}：${y(cap)} − 本年已支付 ${y(used)} = 剩余 ${y(left)}，低于计算金额 ${y(computed)}，本次支付 ${y(left)}`,
  },
  'cap.catastrophic': {
    en: ({ cap, paid, left, computed }) => `catastrophic annual cap ${m(cap)} − paid ${m(paid)} = room ${m(left)} < ${m(computed)}: paid ${m(left)}`,
    zh: ({ cap, paid, left, computed }) =>
      `大病保险年度最高支付限额：${y(cap)} − 本年已支付 ${y(paid)} = 剩余 ${y(left)}，低于计算金额 ${y(computed)}，本次支付 ${y(left)}`,
  },
  'catastrophic.segment': {
    en: ({ from, to, rate, before, after, overlap, pay }) =>
      `segment ${m(from)}–${to === null ? '∞' : m(to)} at ${pct(rate)}: cumulative compliant self-pay ${m(before)} → ${m(after)} overlaps ${m(overlap)}; × ${formatRatio(rate)} = ${exactProduct(overlap, rate)} → ${m(pay)}`,
    zh: ({ from, to, rate, before, after, overlap, pay }) =>
      `大病保险：本年合规自付费用累计 ${y(before)} → ${y(after)}，其中 ${to === null ? `${y(from)} 以上` : `${y(from)}–${y(to)}`} 分段 ${y(overlap)} × 支付比例 ${pct(rate)} = ${y(pay)}`,
  },
  'catastrophic.none': {
    en: ({ before, after }) => `cumulative compliant self-pay ${m(before)} → ${m(after)} reaches no paying segment`,
    zh: ({ before, after }) => `大病保险：本年合规自付费用累计 ${y(before)} → ${y(after)}，未达到支付分段，不予支付`,
  },
  'assistance.general': {
    en: ({ category, left, ratio, computed, paid, room }) =>
      `member category ${category}: compliant self-pay left ${m(left)} × ${formatRatio(ratio)} = ${exactProduct(left, ratio)} → ${m(computed)}${paid < computed ? `, limited to the annual room ${m(room)}` : ''}`,
    zh: ({ category, left, ratio, computed, paid, room }) =>
      `医疗救助：救助对象（${memberCategoryZh(category)}）剩余合规自付费用 ${y(left)} × 救助比例 ${pct(ratio)} = ${y(computed)}${paid < computed ? `，以年度剩余救助额度 ${y(room)} 为限` : ''}`,
  },
  'assistance.serious-disease': {
    en: ({ group, category, base, ratio, share, left }) =>
      `${group}, member category ${category}: base ${m(base)} × ${formatRatio(ratio)} = ${m(share)}, at most what is left ${m(left)}`,
    zh: ({ group, category, base, ratio, share, left, paid }) =>
      `医疗救助：${GROUP_ZH[group]}重大疾病，救助对象（${memberCategoryZh(category)}）结算基数 ${y(base)} × 救助比例 ${pct(ratio)} = ${y(share)}，不超过剩余自付 ${y(left)}，支付 ${y(paid)}`,
  },
  'assistance.serious-disease-none': {
    en: ({ group, categories }) => `${group}: the member is in no assistance category (${categories.join(', ')})`,
    zh: ({ group, categories }) => `医疗救助：${GROUP_ZH[group]}重大疾病，患者不属于救助对象（${categories.map(memberCategoryZh).join('、')}），不予支付`,
  },
  'charity.serious-disease': {
    en: ({ group, age, category, base, ratio, share, left }) =>
      `${group}, age ${age}, member category ${category}: base ${m(base)} × ${formatRatio(ratio)} = ${m(share)}, at most what is left ${m(left)}`,
    zh: ({ group, age, category, base, ratio, share, left, paid }) =>
      `慈善救助：${GROUP_ZH[group]}重大疾病，${age} 周岁，救助对象（${memberCategoryZh(category)}）结算基数 ${y(base)} × 救助比例 ${pct(ratio)} = ${y(share)}，不超过剩余自付 ${y(left)}，支付 ${y(paid)}`,
  },
  'charity.serious-disease-none': {
    en: ({ group, minAge, maxAge, age, hasCategory }) =>
      `${group}: charity needs age ${minAge}–${maxAge} (age ${age}) and an assistance category${hasCategory ? '' : ' (none)'}`,
    zh: ({ group, minAge, maxAge, age, hasCategory }) =>
      `慈善救助：${GROUP_ZH[group]}重大疾病需 ${minAge}–${maxAge} 周岁（患者 ${age} 周岁）且属于救助对象${hasCategory ? '' : '（患者不属于）'}，不予支付`,
  },
  'patient.remainder': {
    en: ({ total, basic, catastrophic, assistance, charity, hospitalBorne, patient }) =>
      `total ${m(total)} − basic ${m(basic)} − catastrophic ${m(catastrophic)} − assistance ${m(assistance)} − charity ${m(charity)} − hospital ${m(hospitalBorne)} = ${m(patient)}`,
    zh: ({ total, basic, catastrophic, assistance, charity, hospitalBorne, patient }) =>
      `个人负担：医疗费总额 ${y(total)} − 统筹基金 ${y(basic)} − 大病保险 ${y(catastrophic)} − 医疗救助 ${y(assistance)} − 慈善 ${y(charity)} − 医院负担 ${y(hospitalBorne)} = ${y(patient)}`,
  },
  'rejection.refused': {
    en: ({ code, message }) => `${code}: ${message}; the patient pays the total`,
    zh: ({ code, total }) => `不予支付：${REJECTION_ZH[code]}（${code}），医疗费总额 ${y(total)} 全部由个人负担`,
  },
};

/** The English sentence of an entry (the contract's `detail`). */
export function renderEnglish<K extends TraceKind>(kind: K, facts: TraceFacts[K]): string {
  return (MESSAGES[kind] as Message<K>).en(facts);
}

/** How a Chinese sentence names its clause: the document's clause, or the engine's own with its name. */
function clauseChinese(source: Source): string {
  const name = ENGINE_CLAUSE_NAMES.get(source.clause);
  return name === undefined ? source.clause : `${name}，${source.clause}`;
}

/** The Chinese sentence of an entry, its clause in brackets at the end. */
export function renderChinese<K extends TraceKind>(kind: K, facts: TraceFacts[K], source: Source, policy: Policy | undefined): string {
  return `${(MESSAGES[kind] as Message<K>).zh(facts, policy)}（${clauseChinese(source)}）`;
}
