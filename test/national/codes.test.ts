/**
 * The national code tables as data: each names its source and holds each code once; the 5206 rows are
 * the cum_type_code table's codes, each reporting the stored total the table names, and a code outside
 * the table fails the field check.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { type YearToDate, emptyYearToDate } from '../../shared/contract/claim.js';
import { CODE_TABLES, CUM_TYPE_CODE } from '../../shared/national/codes.js';
import { CUMINFO_FIELDS, validateFields } from '../../shared/national/fields.js';
import { cumulativeOutput } from '../../shared/national/answers.js';

describe('code tables', () => {
  it.each(Object.entries(CODE_TABLES))('%s names its source and lists each code once', (_field, table) => {
    // Assess
    expect(table.source.length).toBeGreaterThan(40);
    expect(table.byCode.size).toBe(table.codes.length);
  });

  it('5206 answers one row per cum_type_code, in the table’s order, each the total the table names, all valid national fields', () => {
    fc.assert(
      fc.property(fc.nat(20), fc.nat(10_000_000), fc.nat(1_000_000), fc.nat(2_000_000), (admissions, basicPaid, outpatientDeductibleUsed, catastrophicPaid) => {
        // Prepare
        const totals = { ...emptyYearToDate(), admissions, basicPaid, outpatientDeductibleUsed, catastrophicPaid } as YearToDate;
        // Act
        const rows = cumulativeOutput(totals, 2026, null)['cuminfo'] as Record<string, unknown>[];
        // Assess
        expect(rows.map((row) => row['cum_type_code'])).toEqual(CUM_TYPE_CODE.codes.map((entry) => entry.code));
        for (const [index, entry] of CUM_TYPE_CODE.codes.entries()) {
          const stored = entry.totals === 'admissions' ? admissions : (totals[entry.totals] as number) / 100;
          expect(rows[index]!['cum']).toBe(stored);
          expect(validateFields(rows[index], CUMINFO_FIELDS)).toEqual([]);
        }
      }),
    );
  });

  it('a cum_type_code outside the table fails the field check', () => {
    // Prepare
    const row = { ...(cumulativeOutput(emptyYearToDate(), 2026, null)['cuminfo'] as Record<string, unknown>[])[0], cum_type_code: 'Z9999' };
    // Act
    const issues = validateFields(row, CUMINFO_FIELDS);
    // Assess
    expect(issues.map((issue) => issue.message)).toEqual([expect.stringContaining('is not a code of cum_type_code')]);
  });
});
