/**
 * How a person's name and ID number are shown wherever they must appear partly: on a settlement slip,
 * in a report, in a log. One rule everywhere, so a cashier, an analyst and an operator reading a log
 * see the same masked form and can match it against the registry without the record in clear.
 */

/** Masks an ID number, keeping the first 3 and last 2 characters so support can still match a record. */
export function maskIdNumber(value: string): string {
  if (value.length <= 5) return '*'.repeat(value.length);
  return `${value.slice(0, 3)}${'*'.repeat(value.length - 5)}${value.slice(-2)}`;
}

/** Masks a person's name, keeping the first character (the family name in Chinese). */
export function maskName(value: string): string {
  const chars = [...value];
  if (chars.length <= 1) return '*';
  return `${chars[0]}${'*'.repeat(chars.length - 1)}`;
}
