/**
 * Calendar dates as `YYYY-MM-DD` strings, with the arithmetic the policies need.
 * Day counts go through UTC epoch days, so no time zone or daylight saving can shift a date.
 */

const MS_PER_DAY = 86_400_000;

/** Parts of an ISO date. */
export interface DateParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/** Days in `month` (1–12) of `year`, leap years included. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** The value of the decimal digit at `index` of `text`, or -1 when it is not an ASCII digit. */
function digitAt(text: string, index: number): number {
  const code = text.charCodeAt(index) - 48;
  return code >= 0 && code <= 9 ? code : -1;
}

/**
 * Parses `YYYY-MM-DD` into parts, or undefined when it is not a real calendar date. Read character by
 * character rather than by a regular expression: the engine reads several dates of every claim it settles.
 */
export function parseIsoDate(text: string): DateParts | undefined {
  if (text.length !== 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return undefined;
  const y1 = digitAt(text, 0);
  const y2 = digitAt(text, 1);
  const y3 = digitAt(text, 2);
  const y4 = digitAt(text, 3);
  const m1 = digitAt(text, 5);
  const m2 = digitAt(text, 6);
  const d1 = digitAt(text, 8);
  const d2 = digitAt(text, 9);
  if ((y1 | y2 | y3 | y4 | m1 | m2 | d1 | d2) < 0) return undefined;
  const year = y1 * 1000 + y2 * 100 + y3 * 10 + y4;
  const month = m1 * 10 + m2;
  const day = d1 * 10 + d2;
  if (year < 1900 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return { year, month, day };
}

/** True when `text` is a real calendar date in `YYYY-MM-DD` form (from 1900 on). */
export function isIsoDate(text: string): boolean {
  return parseIsoDate(text) !== undefined;
}

function parts(text: string): DateParts {
  const parsed = parseIsoDate(text);
  if (!parsed) throw new RangeError(`not a calendar date: ${JSON.stringify(text)}`);
  return parsed;
}

function format({ year, month, day }: DateParts): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function epochDay(text: string): number {
  const { year, month, day } = parts(text);
  return Date.UTC(year, month - 1, day) / MS_PER_DAY;
}

/** The year of an ISO date. */
export function yearOf(text: string): number {
  return parts(text).year;
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return epochDay(to) - epochDay(from);
}

/** The date `days` days after `text`. */
export function addDays(text: string, days: number): string {
  const date = new Date((epochDay(text) + days) * MS_PER_DAY);
  return format({ year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() });
}

/**
 * The same day `months` calendar months later, clamped to the month's end:
 * 2019-08-31 + 6 months → 2020-02-29.
 */
export function addMonths(text: string, months: number): string {
  const { year, month, day } = parts(text);
  const index = year * 12 + (month - 1) + months;
  const nextYear = Math.floor(index / 12);
  const nextMonth = (index % 12) + 1;
  return format({ year: nextYear, month: nextMonth, day: Math.min(day, daysInMonth(nextYear, nextMonth)) });
}

/** The same calendar date `years` later, 29 February clamped to the 28th. */
export function addYears(text: string, years: number): string {
  return addMonths(text, years * 12);
}

/** The first day of the month after the one `text` falls in. */
export function firstOfNextMonth(text: string): string {
  const { year, month } = parts(text);
  return month === 12 ? format({ year: year + 1, month: 1, day: 1 }) : format({ year, month: month + 1, day: 1 });
}

/** 1 January of `year`. */
export function startOfYear(year: number): string {
  return format({ year, month: 1, day: 1 });
}

/** Completed years (周岁) from `birthDate` on `onDate`. */
export function completedYears(birthDate: string, onDate: string): number {
  const birth = parts(birthDate);
  const on = parts(onDate);
  const hadBirthday = on.month > birth.month || (on.month === birth.month && on.day >= birth.day);
  return on.year - birth.year - (hadBirthday ? 0 : 1);
}

/** ISO dates compare correctly as strings. */
export const isBefore = (a: string, b: string): boolean => a < b;
export const isAfter = (a: string, b: string): boolean => a > b;
