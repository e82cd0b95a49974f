/** A settlement slip (一单制结算单) from the API's Settlement JSON, for the demo's output. */
import type { SettlementJson } from '../shared/engine/settlement.js';

const LABELS: [keyof SettlementJson['amounts'], string][] = [
  ['total', '医疗费总额 total'],
  ['fullOwnPay', '全自费 full own-pay'],
  ['preSelfPay', '先行自付 pre-self-pay'],
  ['policyScope', '政策范围内 policy scope'],
  ['deductible', '起付线 deductible'],
  ['basic', '统筹基金 basic fund'],
  ['catastrophic', '大病保险 catastrophic'],
  ['assistance', '医疗救助 assistance'],
  ['hospitalBorne', '医院负担 hospital'],
  ['patient', '个人负担 patient'],
];

/** Renders a slip: header, amounts, rejection (if any) and the member's totals after the claim. */
export function renderSlip(title: string, settlement: SettlementJson, status: string): string {
  const lines = [
    `── ${title}`,
    `   一单制结算单  claim ${settlement.claimId} · hospital ${settlement.hospitalId} · member ${settlement.memberId}`,
    `   policy ${settlement.policy ?? '-'} · year ${settlement.year} · ${status}${settlement.path ? ` · ${settlement.path}` : ''}`,
  ];
  if (settlement.rejection) lines.push(`   rejected ${settlement.rejection.code}: ${settlement.rejection.message} (${settlement.rejection.clause})`);
  for (const [key, label] of LABELS) {
    // English first and padded: CJK characters are double width, so padding after them would not align.
    const [chinese, ...english] = label.split(' ');
    lines.push(`   ${english.join(' ').padEnd(16)} ${settlement.amounts[key].padStart(12)}  ${chinese}`);
  }
  lines.push(`   basic paid this year ${settlement.yearToDate.basicPaid}, admissions ${settlement.yearToDate.admissions}`);
  return lines.join('\n');
}
