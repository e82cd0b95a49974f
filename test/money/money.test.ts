/**
 * Money in integer fen and ratios in ten-thousandths (R24: one rounding rule, half up).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MoneyFormatError, MoneyRangeError } from '../../shared/money/errors.js';
import {
  type Fen,
  type Ratio,
  MAX_TOTAL_FEN,
  applyRatioRoundHalfUp,
  exactProduct,
  formatMoney,
  formatPercent,
  formatRatio,
  lowerRatio,
  parseMoney,
  parseRatio,
  room,
} from '../../shared/money/money.js';

const fen = (n: number): Fen => n as Fen;
const ratio = (n: number): Ratio => n as Ratio;

describe('applyRatioRoundHalfUp: R24 half up at the half fen', () => {
  it.each([
    // 0.01 × 0.50 = 0.005 → 0.01 (exactly half a fen rounds up)
    [1, 5000, 1],
    // 0.03 × 0.50 = 0.015 → 0.02
    [3, 5000, 2],
    // 0.01 × 0.4999 = 0.004999 → 0.00
    [1, 4999, 0],
    // 0.01 × 0.5001 → 0.01
    [1, 5001, 1],
    // 1,234.50 × 0.75 = 925.875 → 925.88
    [123450, 7500, 92588],
    // 13.34 × 0.75 = 10.005 → 10.01
    [1334, 7500, 1001],
    // 13.33 × 0.75 = 9.9975 → 10.00
    [1333, 7500, 1000],
    // 13.31 × 0.75 = 9.9825 → 9.98
    [1331, 7500, 998],
    // 0 and 1
    [123456, 0, 0],
    [123456, 10000, 123456],
  ])('%i fen × %i/10000 → %i fen', (amount, r, expected) => {
    expect(applyRatioRoundHalfUp(fen(amount), ratio(r))).toBe(expected);
  });

  it('large amounts take the BigInt path and stay exact', () => {
    // Prepare: 999,999,999,999 fen × 0.9999: the product ≈ 9.999e15 is above 2^53 ≈ 9.007e15
    const amount = fen(999_999_999_999);
    // Act
    const got = applyRatioRoundHalfUp(amount, ratio(9999));
    // Assess: 999,999,999,999 × 9,999 = 9,998,999,999,990,001; / 10,000 = 999,899,999,999.0001 → 999,899,999,999
    expect(Number.isSafeInteger(999_999_999_999 * 9999)).toBe(false);
    expect(got).toBe(999_899_999_999);
  });

  it('the BigInt path rounds half up too', () => {
    // 900,719,925,474,099 fen × 0.5 = 450,359,962,737,049.5 → …050
    expect(applyRatioRoundHalfUp(fen(900_719_925_474_099), ratio(5000))).toBe(450_359_962_737_050);
  });

  it('agrees with exact BigInt arithmetic for any amount and ratio', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number(MAX_TOTAL_FEN) }), fc.integer({ min: 0, max: 10_000 }), (a, r) => {
        const product = BigInt(a) * BigInt(r);
        const expected = product / 10_000n + (product % 10_000n >= 5_000n ? 1n : 0n);
        expect(applyRatioRoundHalfUp(fen(a), ratio(r))).toBe(Number(expected));
      }),
    );
  });
});

describe('formatMoney and parseMoney', () => {
  it.each([
    ['0.00', 0],
    ['0.01', 1],
    ['56.4', 5640],
    ['7', 700],
    ['925.88', 92588],
    ['9999999999.99', 999_999_999_999],
  ])('parseMoney(%s) = %i fen', (text, expected) => {
    expect(parseMoney(text)).toBe(expected);
  });

  it.each(['-1.00', '1.001', '1e3', 'abc', '', ' 1.00', '1.', '.5', '+1'])('parseMoney rejects %j', (text) => {
    expect(() => parseMoney(text)).toThrow(MoneyFormatError);
  });

  it('parseMoney rejects amounts above its maximum', () => {
    expect(() => parseMoney('10.01', fen(1000))).toThrow(MoneyRangeError);
    expect(parseMoney('10.00', fen(1000))).toBe(1000);
  });

  it.each([
    [0, '0.00'],
    [1, '0.01'],
    [10, '0.10'],
    [100, '1.00'],
    [92588, '925.88'],
    [999_999_999_999, '9999999999.99'],
    [-150, '-1.50'],
  ])('formatMoney(%i) = %s', (amount, text) => {
    expect(formatMoney(fen(amount))).toBe(text);
  });

  it('round-trips every amount', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number(MAX_TOTAL_FEN) }), (a) => {
        expect(parseMoney(formatMoney(fen(a)))).toBe(a);
      }),
    );
  });
});

describe('parseRatio and formatting', () => {
  it.each([
    ['0', 0],
    ['1', 10000],
    ['1.0000', 10000],
    ['0.75', 7500],
    ['0.0525', 525],
    ['0.1234', 1234],
  ])('parseRatio(%s) = %i', (text, expected) => {
    expect(parseRatio(text)).toBe(expected);
  });

  it.each(['1.0001', '2', '0.12345', '-0.1', '.5', 'abc', ''])('parseRatio rejects %j', (text) => {
    expect(() => parseRatio(text)).toThrow(MoneyFormatError);
  });

  it('formats ratios and percentages without trailing zeros', () => {
    expect(formatRatio(ratio(7500))).toBe('0.75');
    expect(formatRatio(ratio(10000))).toBe('1');
    expect(formatRatio(ratio(525))).toBe('0.0525');
    expect(formatPercent(ratio(7500))).toBe('75%');
    expect(formatPercent(ratio(525))).toBe('5.25%');
  });

  it('exactProduct shows the unrounded product', () => {
    expect(exactProduct(fen(123450), ratio(7500))).toBe('925.875');
    expect(exactProduct(fen(100), ratio(5000))).toBe('0.50');
    expect(exactProduct(fen(1), ratio(5000))).toBe('0.005');
  });

  it('room and lowerRatio never go below zero', () => {
    expect(room(fen(100), fen(150))).toBe(0);
    expect(room(fen(100), fen(40))).toBe(60);
    expect(lowerRatio(ratio(500), ratio(1000))).toBe(0);
    expect(lowerRatio(ratio(7500), ratio(1000))).toBe(6500);
  });
});
