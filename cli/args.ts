/** Reading option values of the command line. */
import { UsageError } from './errors.js';

/**
 * A whole number option, or `fallback` when the option is absent.
 * @throws UsageError when the value is not a whole number within [min, max].
 */
export function integerOption(name: string, value: string | undefined, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, not ${JSON.stringify(value)}`);
  }
  return Number(value);
}

/** An optional whole number option. */
export function optionalInteger(name: string, value: string | undefined, min = 0, max = Number.MAX_SAFE_INTEGER): number | undefined {
  return value === undefined ? undefined : integerOption(name, value, 0, min, max);
}
