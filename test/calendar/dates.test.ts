/** Calendar arithmetic behind R17, R26–R28 and E4: months clamp to the month's end, inclusive bounds. */
import { describe, expect, it } from 'vitest';
import { addDays, addMonths, addYears, completedYears, daysBetween, firstOfNextMonth, isIsoDate } from '../../shared/calendar/dates.js';

describe('dates', () => {
  it.each([
    ['2019-08-31', 6, '2020-02-29'],
    ['2018-08-31', 6, '2019-02-28'],
    ['2019-01-31', 1, '2019-02-28'],
    ['2019-03-31', 1, '2019-04-30'],
    ['2019-07-15', 6, '2020-01-15'],
    ['2019-12-31', 2, '2020-02-29'],
  ])('addMonths(%s, %i) = %s', (date, months, expected) => {
    expect(addMonths(date, months)).toBe(expected);
  });

  it('addYears clamps 29 February', () => {
    expect(addYears('2020-02-29', 1)).toBe('2021-02-28');
    expect(addYears('2020-02-29', 4)).toBe('2024-02-29');
    expect(addYears('2019-04-10', 1)).toBe('2020-04-10');
  });

  it('addDays and daysBetween cross months, years and leap days', () => {
    expect(addDays('2018-02-01', 31)).toBe('2018-03-04');
    expect(addDays('2020-02-01', 31)).toBe('2020-03-03');
    expect(addDays('2019-12-15', 31)).toBe('2020-01-15');
    expect(daysBetween('2018-02-26', '2018-03-05')).toBe(7);
    expect(daysBetween('2018-03-05', '2018-02-26')).toBe(-7);
  });

  it.each([
    ['2019-03-15', '2019-04-01'],
    ['2019-03-01', '2019-04-01'],
    ['2019-12-10', '2020-01-01'],
    ['2019-12-31', '2020-01-01'],
  ])('firstOfNextMonth(%s) = %s', (date, expected) => {
    expect(firstOfNextMonth(date)).toBe(expected);
  });

  it.each([
    ['2004-03-05', '2018-03-05', 14],
    ['2003-03-05', '2018-03-05', 15],
    ['2003-03-06', '2018-03-05', 14],
    ['2004-02-29', '2019-02-28', 14],
    ['2004-02-29', '2019-03-01', 15],
    ['2017-03-06', '2018-03-05', 0],
  ])('completedYears(%s, %s) = %i', (birth, on, expected) => {
    expect(completedYears(birth, on)).toBe(expected);
  });

  it.each([
    ['2018-02-30', false],
    ['2019-02-29', false],
    ['2020-02-29', true],
    ['2018-1-01', false],
    ['1899-12-31', false],
  ])('isIsoDate(%s) = %s', (text, expected) => {
    expect(isIsoDate(text)).toBe(expected);
  });
});
