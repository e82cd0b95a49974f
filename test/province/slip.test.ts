/**
 * The one-stop settlement slip (shared/province/slip): every worked case's slip, as text and as a page,
 * shows the same amounts as its JSON settlement, each with its capital numerals, and explains every
 * trace entry in Chinese; personal data appears only masked; the page is self-contained.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseClaim } from '../../shared/contract/claim.js';
import { settle } from '../../shared/engine/settle.js';
import { AMOUNT_KEYS, settlementToJson } from '../../shared/engine/settlement.js';
import { capitalAmount } from '../../shared/money/capital.js';
import { builtInPolicyBook } from '../../shared/policy/book.js';
import { buildSlip, slipHtml, slipText } from '../../shared/province/slip/index.js';
import type { RegistryHospital, RegistryMember } from '../../shared/registry/registry.js';
import { anyClaim } from '../support/arbitraries.js';
import { htmlAmounts, textAmounts } from '../support/slip-reading.js';
import { settledCases } from './helpers.js';

const cases = settledCases();
const book = builtInPolicyBook();

const memberOf = (memberId: string): RegistryMember => ({
  id: memberId,
  name: '欧阳娜娜',
  idNumber: '140702197005201234',
  region: 'jinzhong',
  poolingArea: 'jinzhong',
  birthDate: '1970-05-20',
  categories: [],
  enrolments: [{ year: 2018, kind: 'regular', paidOn: '2017-11-15' }],
});

describe('the settlement slip of every worked case', () => {
  it.each(cases.map((c) => [c.id, c] as const))('%s: text and page show the JSON settlement\'s amounts, in digits and capitals, and a Chinese sentence per trace entry', (_id, c) => {
    // Prepare
    const json = settlementToJson(c.settlement);
    const policy = c.settlement.policy === null ? undefined : book.get(c.settlement.policy)?.policy;
    const slip = buildSlip({ settlement: c.settlement, claim: c.claim, policy, settledAt: '2018-03-14T02:30:00.000Z' });

    // Act
    const text = slipText(slip);
    const html = slipHtml(slip);

    // Assess
    for (const shown of [textAmounts(text), htmlAmounts(html)]) {
      for (const key of AMOUNT_KEYS) {
        expect(shown.amounts[key], key).toBe(json.amounts[key]);
        expect(shown.capitals[key], key).toBe(capitalAmount(c.settlement.amounts[key]));
      }
    }
    expect(json.trace.every((entry) => typeof entry.zh === 'string' && entry.zh.length > 0)).toBe(true);
    const items = [...html.matchAll(/<li data-step="[^"]*">([^<]*)<\/li>/g)].map((m) => m[1]);
    expect(items).toHaveLength(json.trace.length);
    for (const entry of json.trace) expect(text).toContain(entry.zh);
    expect(text.split('\n')[0]).toMatch(/^城乡居民基本医疗保险一站式结算单/);
    expect(text).not.toMatch(/\n\n/);
    expect(text).toContain('2018-03-14 10:30:00');
  });
});

describe('the slip of any settlement', () => {
  it('shows every amount of the settlement, as text and as a page, and one explanation line per trace entry', () => {
    fc.assert(
      fc.property(anyClaim, (input) => {
        // Prepare
        const claim = parseClaim(input);
        const settlement = settle(claim, book);
        const json = settlementToJson(settlement);
        const slip = buildSlip({ settlement, claim, policy: settlement.policy === null ? undefined : book.get(settlement.policy)?.policy });

        // Act
        const shown = [textAmounts(slipText(slip)), htmlAmounts(slipHtml(slip))];

        // Assess
        for (const { amounts } of shown) expect(amounts).toEqual(json.amounts);
        expect(slip.explanation.map((line) => line.text)).toEqual(json.trace.map((entry) => entry.zh));
      }),
      { numRuns: 200 },
    );
  });
});

describe('buildSlip', () => {
  const c = cases.find((k) => k.id === 'JZ05')!;

  it('shows the registry\'s name and ID number masked, never in clear, and the hospital\'s name', () => {
    // Prepare
    const hospital: RegistryHospital = { id: c.settlement.hospitalId, name: '晋中市示例医院', poolingArea: 'jinzhong', designated: true, primaryCare: false, tiers: { jinzhong: 'class2-city' } };

    // Act
    const slip = buildSlip({ settlement: c.settlement, claim: c.claim, member: memberOf(c.settlement.memberId), hospital });
    const pages = [slipText(slip), slipHtml(slip)];

    // Assess
    for (const page of pages) {
      expect(page).toContain('欧***');
      expect(page).toContain('140*************34');
      expect(page).toContain('晋中市示例医院');
      expect(page).not.toContain('欧阳娜娜');
      expect(page).not.toContain('140702197005201234');
    }
  });

  it('gives the admission and discharge dates, the days, the tier\'s name, and the cap room left after this claim', () => {
    // Act
    const slip = buildSlip({ settlement: c.settlement, claim: c.claim, policy: book.get('jinzhong-2017')!.policy });

    // Assess
    const visit = Object.fromEntries(slip.visit.map((f) => [f.en, f.value]));
    expect(visit).toMatchObject({ Admitted: '2018-03-05', Discharged: '2018-03-14', Days: '9' });
    expect(visit['Level']).toContain('class2-city');
    expect(visit['Level']).toContain('省市级');
    const year = Object.fromEntries(slip.year.map((row) => [row.key, row.value]));
    // 70,000.00 (晋中 第十五条) less the 18,636.33 paid so far.
    expect(year).toMatchObject({ basicPaid: '18636.33', capLeft: '51363.67', catastrophicPaid: '0.00', admissions: '1' });
  });

  it('escapes every text it puts in the page, so a name cannot inject markup', () => {
    // Prepare
    const hospital: RegistryHospital = { id: c.settlement.hospitalId, name: '<script>alert(1)</script>', poolingArea: 'jinzhong', designated: true, primaryCare: false, tiers: {} };

    // Act
    const html = slipHtml(buildSlip({ settlement: c.settlement, hospital }));

    // Assess
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
  });

  it('makes a page that asks for nothing from elsewhere: no script, no link, no image, no url()', () => {
    // Act
    const pages = (['a4', 'receipt'] as const).map((paper) => slipHtml(buildSlip({ settlement: c.settlement, claim: c.claim }), { paper }));

    // Assess
    for (const html of pages) expect(html).not.toMatch(/<script|<link|<img|url\(|https?:\/\//);
    expect(pages[0]).toContain('size: A4');
    expect(pages[1]).toContain('size: 80mm');
  });

  it('says a reversed settlement was reversed, and shows the Chinese name of the step and the English arithmetic where a stored entry has no Chinese sentence', () => {
    // Prepare: the pipeline stores the trace without its Chinese sentences.
    const stored = { ...c.settlement, trace: c.settlement.trace.map((entry) => ({ step: entry.step, clause: entry.clause, detail: entry.detail })) };

    // Act
    const slip = buildSlip({ settlement: stored, reversedAt: '2018-03-20T01:00:00.000Z' });

    // Assess
    expect(slip.status).toBe('reversed');
    expect(slip.statusText).toContain('已冲销');
    expect(slip.explanation[0]?.text).toBe(`适用政策：${c.settlement.trace[0]!.detail}（${c.settlement.trace[0]!.clause}）`);
  });
});
