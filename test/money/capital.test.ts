/**
 * Capital Chinese numerals for amounts (大写金额): the examples of the People's Bank of China's rules
 * for bills, and properties over every amount the engine can produce.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { capitalAmount } from '../../shared/money/capital.js';
import { MoneyRangeError } from '../../shared/money/errors.js';
import { type Fen, MAX_TOTAL_FEN, parseMoney } from '../../shared/money/money.js';

const DIGIT_VALUES: Readonly<Record<string, number>> = { 零: 0, 壹: 1, 贰: 2, 叁: 3, 肆: 4, 伍: 5, 陆: 6, 柒: 7, 捌: 8, 玖: 9 };
const SMALL_UNITS: Readonly<Record<string, number>> = { 拾: 10, 佰: 100, 仟: 1000 };

/**
 * An independent reader of capital amounts, written the way a person reads them (each digit times the
 * unit after it; 万 and 亿 scale what came before), so that a round trip checks the writer.
 */
function readCapital(text: string): number {
  const [yuanPart, rest] = text.includes('元') ? (text.split('元') as [string, string]) : ['', text];
  let total = 0;
  let group = 0;
  let digit = 0;
  for (const char of yuanPart) {
    if (char in DIGIT_VALUES) digit = DIGIT_VALUES[char] as number;
    else if (char in SMALL_UNITS) {
      group += digit * (SMALL_UNITS[char] as number);
      digit = 0;
    } else if (char === '万') {
      // Amounts stay below 万亿 (MAX_TOTAL_FEN), so 万 scales only the group before it.
      total += (group + digit) * 1e4;
      group = 0;
      digit = 0;
    } else if (char === '亿') {
      total = (total + group + digit) * 1e8;
      group = 0;
      digit = 0;
    } else throw new Error(`unexpected ${char} in ${text}`);
  }
  let fen = (total + group + digit) * 100;
  const jiao = rest.match(/(.)角/);
  const cents = rest.match(/(.)分/);
  if (jiao) fen += (DIGIT_VALUES[jiao[1] as string] as number) * 10;
  if (cents) fen += DIGIT_VALUES[cents[1] as string] as number;
  return fen;
}

describe('capitalAmount', () => {
  it.each([
    // The rules' own examples (one of the forms they allow, where they allow two).
    ['1409.50', '壹仟肆佰零玖元伍角'],
    ['6007.14', '陆仟零柒元壹角肆分'],
    ['1680.32', '壹仟陆佰捌拾元零叁角贰分'],
    ['107000.53', '壹拾万柒仟元零伍角叁分'],
    ['16409.02', '壹万陆仟肆佰零玖元零贰分'],
    ['325.04', '叁佰贰拾伍元零肆分'],
    ['16.00', '壹拾陆元整'],
    // A slip's amounts.
    ['18636.33', '壹万捌仟陆佰叁拾陆元叁角叁分'],
    ['500.00', '伍佰元整'],
    ['100.05', '壹佰元零伍分'],
    ['0.00', '零元整'],
    ['0.05', '伍分'],
    ['0.30', '叁角'],
    ['10.10', '壹拾元零壹角'],
    ['100000050.00', '壹亿零伍拾元整'],
    ['100500000.00', '壹亿零伍拾万元整'],
    ['120000001.00', '壹亿贰仟万零壹元整'],
    ['9999999999.99', '玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分'],
  ])('writes %s as %s', (amount, expected) => {
    // Prepare
    const fen = parseMoney(amount);

    // Act
    const text = capitalAmount(fen);

    // Assess
    expect(text).toBe(expected);
  });

  it('writes a negative amount (a reversal) with 负', () => {
    expect(capitalAmount(-1250 as Fen)).toBe('负壹拾贰元伍角');
  });

  it('refuses a fraction of a fen', () => {
    expect(() => capitalAmount(12.5 as Fen)).toThrow(MoneyRangeError);
  });

  it('reads back to the same amount, for every amount up to the largest total', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_TOTAL_FEN }), (fen) => {
        expect(readCapital(capitalAmount(fen as Fen))).toBe(fen);
      }),
      { numRuns: 5000 },
    );
  });

  it('keeps the zero rules: never two 零 together, never 零 before a unit or at the end, 整 exactly when nothing follows 元', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MAX_TOTAL_FEN }), (fen) => {
        const text = capitalAmount(fen as Fen);
        expect(text).not.toMatch(/零零|零[拾佰仟万亿元角分]|零$|^零/);
        expect(text.endsWith('整')).toBe(fen % 100 === 0);
        expect(text.startsWith('元')).toBe(false);
      }),
      { numRuns: 5000 },
    );
  });
});
