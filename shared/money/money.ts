/**
 * Money and ratios, exact.
 *
 * Inside the engine an amount is a whole number of fen (分) held in a JS number. The contract bounds
 * every amount (see {@link MAX_LINE_FEN}) so that every sum the engine forms stays a safe integer;
 * the one operation that can leave that range, amount × ratio, is done in BigInt when it must.
 * Ratios are whole numbers of ten-thousandths (0.75 → 7500), which holds every ratio the contract
 * (`selfPayRatio`, at most 4 decimals) and the policy packs use.
 *
 * Decimal strings from the outside are checked against a strict pattern and read digit group by digit
 * group as integers, so no binary float ever touches an amount. decimal.js does the one operation that
 * integers cannot do exactly: division, for the shares reports print ({@link percentOf}).
 *
 * R24 is the only rounding rule: a payer amount is rounded to the fen, half up, when it is computed
 * ({@link applyRatioRoundHalfUp}). Everything else is integer addition and subtraction.
 */
import { Decimal } from 'decimal.js';
import { MoneyFormatError, MoneyRangeError } from './errors.js';

/** A whole number of fen. */
export type Fen = number & { readonly __unit: 'fen' };
/** A ratio in ten-thousandths: 10000 is 100%. */
export type Ratio = number & { readonly __unit: 'ratio-1e-4' };

export const ZERO = 0 as Fen;
export const RATIO_ONE = 10_000 as Ratio;
export const RATIO_ZERO = 0 as Ratio;

/** The largest amount one claim line may carry: 99,999,999.99 yuan. */
export const MAX_LINE_FEN = 9_999_999_999 as Fen;
/** The largest running total (year-to-date, quota, policy number) accepted: 9,999,999,999.99 yuan. */
export const MAX_TOTAL_FEN = 999_999_999_999 as Fen;

const MONEY_PATTERN = /^\d{1,13}(\.\d{1,2})?$/;
const RATIO_PATTERN = /^\d(\.\d{1,4})?$/;

/** True when `text` is a non-negative decimal string with at most two decimals. */
export function isMoneyString(text: string): boolean {
  return MONEY_PATTERN.test(text);
}

/** True when `text` is a decimal string from 0 to 1 with at most four decimals. */
export function isRatioString(text: string): boolean {
  return tryParseRatio(text) !== undefined;
}

/**
 * Fen from a string already known to match the money pattern: whole digits and up to two decimals,
 * read as integers (at most 13 + 2 digits, far inside the safe-integer range), so the result is exact.
 */
function fenOf(text: string): number {
  const dot = text.indexOf('.');
  if (dot < 0) return Number(text) * 100;
  const decimals = text.slice(dot + 1);
  return Number(text.slice(0, dot)) * 100 + Number(decimals) * (decimals.length === 1 ? 10 : 1);
}

/**
 * Converts a yuan decimal string ("4820.00", "56.4") to fen, or undefined when it is not a
 * non-negative amount with at most two decimals.
 */
export function tryParseMoney(text: string): Fen | undefined {
  return MONEY_PATTERN.test(text) ? (fenOf(text) as Fen) : undefined;
}

/**
 * Converts a yuan decimal string ("4820.00", "56.4") to fen.
 * @throws MoneyFormatError when the text is not a non-negative amount with at most two decimals.
 * @throws MoneyRangeError when it exceeds `max`.
 */
export function parseMoney(text: string, max: Fen = MAX_TOTAL_FEN): Fen {
  const fen = tryParseMoney(text);
  if (fen === undefined) throw new MoneyFormatError(text, 'a non-negative yuan amount with at most two decimals');
  if (fen > max) throw new MoneyRangeError(text, max);
  return fen;
}

/**
 * Converts a ratio decimal string ("0.75", "0.0525") to ten-thousandths, or undefined when it is not
 * a ratio from 0 to 1 with at most four decimals.
 */
export function tryParseRatio(text: string): Ratio | undefined {
  if (!RATIO_PATTERN.test(text)) return undefined;
  const dot = text.indexOf('.');
  const units = Number(text.slice(0, dot < 0 ? undefined : dot)) * 10_000 + (dot < 0 ? 0 : Number(text.slice(dot + 1).padEnd(4, '0')));
  return units <= 10_000 ? (units as Ratio) : undefined;
}

/**
 * Converts a ratio decimal string ("0.75", "0.0525") to ten-thousandths.
 * @throws MoneyFormatError when the text is not a ratio from 0 to 1 with at most four decimals.
 */
export function parseRatio(text: string): Ratio {
  const ratio = tryParseRatio(text);
  if (ratio === undefined) throw new MoneyFormatError(text, 'a ratio from 0 to 1 with at most four decimals');
  return ratio;
}

/**
 * `part / whole` as a percentage string with `decimals` places, rounded half up: for reports (a
 * fund's share of spending). Division is the one place exact decimals need decimal.js.
 */
export function percentOf(part: Fen, whole: Fen, decimals = 1): string {
  if (whole === 0) return '0%';
  return `${new Decimal(part).times(100).dividedBy(whole).toDecimalPlaces(decimals, Decimal.ROUND_HALF_UP).toFixed(decimals)}%`;
}

/** Formats fen as a yuan string with two decimals: 92588 → "925.88". */
export function formatMoney(amount: Fen): string {
  const negative = amount < 0;
  const abs = Math.abs(amount);
  const yuan = Math.trunc(abs / 100);
  const fen = abs % 100;
  return `${negative ? '-' : ''}${yuan}.${fen < 10 ? '0' : ''}${fen}`;
}

/** `digits` without its trailing zeros ("5000" → "5"). */
function trimTrailingZeros(digits: string): string {
  let end = digits.length;
  while (end > 0 && digits.charCodeAt(end - 1) === 48) end -= 1;
  return digits.slice(0, end);
}

/** Formats a ratio as a decimal string without trailing zeros: 7500 → "0.75". */
export function formatRatio(ratio: Ratio): string {
  const whole = Math.trunc(ratio / 10_000);
  const rest = ratio % 10_000;
  if (rest === 0) return String(whole);
  return `${whole}.${trimTrailingZeros(String(rest).padStart(4, '0'))}`;
}

/** Formats a ratio as a percentage: 7500 → "75%", 525 → "5.25%". */
export function formatPercent(ratio: Ratio): string {
  const whole = Math.trunc(ratio / 100);
  const rest = ratio % 100;
  return rest === 0 ? `${whole}%` : `${whole}.${trimTrailingZeros(String(rest).padStart(2, '0'))}%`;
}

/**
 * R24: `amount × ratio`, rounded to the fen, half up. The single rounding rule of the engine.
 * Both operands are non-negative in every use; the product is formed exactly.
 */
export function applyRatioRoundHalfUp(amount: Fen, ratio: Ratio): Fen {
  const product = amount * ratio;
  if (Number.isSafeInteger(product)) {
    const quotient = Math.floor(product / 10_000);
    const remainder = product - quotient * 10_000;
    return (remainder * 2 >= 10_000 ? quotient + 1 : quotient) as Fen;
  }
  const big = BigInt(amount) * BigInt(ratio);
  const quotient = big / 10_000n;
  const remainder = big - quotient * 10_000n;
  return Number(remainder * 2n >= 10_000n ? quotient + 1n : quotient) as Fen;
}

/**
 * The exact, unrounded `amount × ratio` in yuan, for the trace ("925.875").
 */
export function exactProduct(amount: Fen, ratio: Ratio): string {
  const product = amount * ratio; // in 1e-6 yuan
  const text = (Number.isSafeInteger(product) ? String(product) : (BigInt(amount) * BigInt(ratio)).toString()).padStart(7, '0');
  const decimals = trimTrailingZeros(text.slice(-6));
  return `${text.slice(0, -6)}.${decimals.length < 2 ? decimals.padEnd(2, '0') : decimals}`;
}

export const add = (a: Fen, b: Fen): Fen => (a + b) as Fen;
export const sub = (a: Fen, b: Fen): Fen => (a - b) as Fen;
export const min = (a: Fen, b: Fen): Fen => (a < b ? a : b);
export const max = (a: Fen, b: Fen): Fen => (a > b ? a : b);
/** `a − b`, never below zero: room left under a cap, what a layer leaves. */
export const room = (cap: Fen, used: Fen): Fen => (cap > used ? ((cap - used) as Fen) : ZERO);
export const sum = (amounts: readonly Fen[]): Fen => amounts.reduce(add, ZERO);
/** A ratio lowered by some points, never below zero: 0.75 − 0.10 → 0.65. */
export const lowerRatio = (ratio: Ratio, points: Ratio): Ratio => (ratio > points ? ((ratio - points) as Ratio) : RATIO_ZERO);
/** The ratio `1 − r`. */
export const complement = (ratio: Ratio): Ratio => (RATIO_ONE - ratio) as Ratio;
