/**
 * The fields every part of a policy pack is written with: yuan amounts (read into fen), ratios (into
 * ten-thousandths), dates, and the clause (with the reading, where one decided the number) each
 * number comes from.
 */
import * as z from 'zod';
import { isIsoDate } from '../calendar/dates.js';
import { RATIO_MESSAGE, wrongTypeSays } from '../contract/messages.js';
import { type Fen, type Ratio, isMoneyString, isRatioString, parseMoney, parseRatio } from '../money/money.js';

const POLICY_MONEY_MESSAGE = 'must be a yuan amount with at most two decimals, as a string';
/** A yuan amount as a decimal string, read into integer fen. */
export const money = z
  .string({ error: wrongTypeSays(POLICY_MONEY_MESSAGE) })
  .refine(isMoneyString, { message: POLICY_MONEY_MESSAGE, abort: true })
  .transform((text): Fen => parseMoney(text));
/** A ratio from 0 to 1 as a decimal string, read into ten-thousandths. */
export const ratio = z
  .string({ error: wrongTypeSays(RATIO_MESSAGE) })
  .refine(isRatioString, { message: RATIO_MESSAGE, abort: true })
  .transform((text): Ratio => parseRatio(text));
/** A real calendar date, YYYY-MM-DD. */
export const isoDate = z.string().refine(isIsoDate, 'must be a real calendar date in YYYY-MM-DD form');
/** The clause of the policy document a number comes from. */
export const clause = z.string().min(1, 'must name the clause');
/** A reading id of policy-readings.md (R01…R30, A1…, E4), when one decided the number. */
export const reading = z.string().regex(/^[A-Z]\d{1,2}$/, 'must be a reading id such as R07').optional();

/** Where a number comes from. */
export const source = { clause, reading };

/** What a catalogued tier without its own row means. */
export const otherTiers = z.enum(['incomplete', 'not-covered']);

/** An annual cap or deductible: an amount and its clause. */
export const amountCap = z.strictObject({ amount: money, ...source });
