/**
 * Reading amounts back out of a rendered slip, the way a person reads it: in the text, the row of each
 * label; in the page, the element that carries the amount's key. Shared by the slip tests in Node
 * and in the browser.
 */
import { AMOUNT_KEYS, type Amounts } from '../../shared/engine/settlement.js';

/** The `data-amount` cells of a slip page, by key; the `data-capital` cells likewise. */
export function htmlAmounts(html: string): { amounts: Record<string, string>; capitals: Record<string, string> } {
  const amounts: Record<string, string> = {};
  const capitals: Record<string, string> = {};
  for (const m of html.matchAll(/data-amount="([a-zA-Z]+)">([^<]*)</g)) amounts[m[1] as string] = m[2] as string;
  for (const m of html.matchAll(/data-capital="([a-zA-Z]+)">([^<]*)</g)) capitals[m[1] as string] = m[2] as string;
  return { amounts, capitals };
}

/** The labels the text slip puts before each amount. */
export const TEXT_LABELS: Readonly<Record<keyof Amounts, string>> = {
  total: '医疗费总额 Total',
  fullOwnPay: '全自费 Full own-pay',
  preSelfPay: '先行自付 Class-B pre-self-pay',
  policyScope: '政策范围内费用 Policy scope',
  deductible: '起付线 Deductible',
  basic: '统筹基金支付 Basic fund',
  catastrophic: '大病保险支付 Catastrophic insurance',
  assistance: '医疗救助支付 Medical assistance',
  charity: '其他/慈善支付 Other / charity',
  hospitalBorne: '医院负担 Hospital-borne',
  patient: '个人负担 Patient pays',
};

/** The amount and capital numerals on each labelled row of a text slip. */
export function textAmounts(text: string): { amounts: Record<string, string>; capitals: Record<string, string> } {
  const amounts: Record<string, string> = {};
  const capitals: Record<string, string> = {};
  for (const key of AMOUNT_KEYS) {
    const line = text.split('\n').find((l) => l.trimStart().startsWith(`${TEXT_LABELS[key]} `));
    const match = line?.match(/\s(\d+\.\d\d)  (\S+)$/);
    if (match) {
      amounts[key] = match[1] as string;
      capitals[key] = match[2] as string;
    }
  }
  return { amounts, capitals };
}
