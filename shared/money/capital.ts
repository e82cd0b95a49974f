/**
 * Amounts in capital Chinese numerals (中文大写金额), as receipts and settlement slips carry them so
 * that a figure cannot be altered by a stroke: 18,636.33 → 壹万捌仟陆佰叁拾陆元叁角叁分.
 *
 * The writing follows the rules for bills and settlement vouchers of the People's Bank of China
 * (《支付结算办法》, 正确填写票据和结算凭证的基本规定), choosing one of the forms they allow where they
 * allow two, always the same one:
 * - digits 零壹贰叁肆伍陆柒捌玖, units 拾佰仟 within a group of four, 万 and 亿 between groups; ten is
 *   壹拾 (¥16.00 is 壹拾陆元整);
 * - zeros inside the yuan part are written as one 零 however many there are (¥6,007.14 陆仟零柒元壹角肆分),
 *   trailing zeros of a group are not written, and a group below a thousand after a higher group is
 *   preceded by 零 (¥100,000,050 壹亿零伍拾元); a zero ten-thousands digit before a non-zero thousands digit
 *   takes no 零 (¥107,000.53 壹拾万柒仟元零伍角叁分);
 * - when the yuan digit is 0 and the amount goes on to jiao or fen, 零 follows 元 (¥1,680.32
 *   壹仟陆佰捌拾元零叁角贰分); a zero jiao before a non-zero fen is 零 (¥325.04 叁佰贰拾伍元零肆分);
 * - an amount that ends at 元 ends with 整; one with 角 or 分 takes no 整 (¥1,409.50 壹仟肆佰零玖元伍角);
 * - less than a yuan is written from its jiao or fen (¥0.05 伍分), nothing at all is 零元整.
 */
import { MoneyRangeError } from './errors.js';
import type { Fen } from './money.js';

const DIGITS = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'] as const;
const UNITS = ['', '拾', '佰', '仟'] as const;
/** The name of each group of four digits, from the lowest: 10^16 yuan and beyond is not written. */
const GROUPS = ['', '万', '亿', '万亿'] as const;
/** The largest amount written: 9,999,999,999,999,999.99 yuan would lose exactness in a JS number, so the bound is the safe-integer range. */
const MAX_WRITTEN_FEN = Number.MAX_SAFE_INTEGER;

/** One group of four digits (1…9999) with its inner zeros, no leading or trailing 零. */
function groupText(group: number): string {
  let text = '';
  let zero = false;
  for (let position = 3; position >= 0; position -= 1) {
    const digit = Math.trunc(group / 10 ** position) % 10;
    if (digit === 0) {
      if (text !== '') zero = true;
      continue;
    }
    if (zero) text += '零';
    zero = false;
    text += `${DIGITS[digit]}${UNITS[position]}`;
  }
  return text;
}

/** The yuan part (≥ 1) in capital numerals, without 元. */
function yuanText(yuan: number): string {
  const groups: number[] = [];
  for (let rest = yuan; rest > 0; rest = Math.trunc(rest / 10_000)) groups.push(rest % 10_000);
  let text = '';
  let zero = false;
  for (let index = groups.length - 1; index >= 0; index -= 1) {
    const group = groups[index] as number;
    if (group === 0) {
      if (text !== '') zero = true;
      continue;
    }
    if (text !== '' && group < 1000) zero = true;
    if (zero) text += '零';
    zero = false;
    text += `${groupText(group)}${GROUPS[index]}`;
  }
  return text;
}

/**
 * Writes an amount of fen in capital Chinese numerals, as a receipt's 大写金额: 1863633 →
 * 壹万捌仟陆佰叁拾陆元叁角叁分, 50000 → 伍佰元整, 0 → 零元整. A negative amount (a reversal) is
 * preceded by 负.
 * @throws MoneyRangeError when the amount is not a whole number of fen within the safe-integer range.
 */
export function capitalAmount(amount: Fen): string {
  if (!Number.isSafeInteger(amount) || Math.abs(amount) > MAX_WRITTEN_FEN) throw new MoneyRangeError(String(amount), MAX_WRITTEN_FEN);
  if (amount < 0) return `负${capitalAmount(-amount as Fen)}`;
  const yuan = Math.trunc(amount / 100);
  const jiao = Math.trunc(amount / 10) % 10;
  const fen = amount % 10;
  if (amount === 0) return '零元整';
  let text = yuan > 0 ? `${yuanText(yuan)}元` : '';
  if (jiao === 0 && fen === 0) return `${text}整`;
  // The yuan digit 0 before jiao or fen, or a zero jiao before the fen: one 零 marks the gap.
  if (yuan > 0 && (yuan % 10 === 0 || jiao === 0)) text += '零';
  if (jiao > 0) text += `${DIGITS[jiao]}角`;
  if (fen > 0) text += `${DIGITS[fen]}分`;
  return text;
}
