/**
 * The contract's own words for amounts and ratios, used wherever one is read (claims, policy documents),
 * so that an amount sent as a JSON number is told what the contract says rather than a generic type error.
 */

/** An amount of the claim contract: a decimal string of yuan. */
export const MONEY_MESSAGE = 'must be a non-negative yuan amount with at most two decimals, as a string';

/** A ratio of the claim contract (and of a policy document): a decimal string from 0 to 1. */
export const RATIO_MESSAGE = 'must be a ratio from 0 to 1 with at most four decimals, as a string';

/**
 * A zod error map for a string field that answers a value of the wrong type (a number, a boolean…)
 * with `message`. A missing value is left to the caller's map ("is required").
 */
export const wrongTypeSays =
  (message: string) =>
  (issue: { input?: unknown }): string | undefined =>
    issue.input === undefined ? undefined : message;
