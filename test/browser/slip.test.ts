/**
 * The settlement slip page in a real browser (headless Chromium): every worked case's page renders
 * without a console error, prints on one A4 sheet, and shows each amount equal to the JSON
 * settlement's; the receipt width renders too. Screenshots go to test/browser/screenshots/; with
 * DOCS_IMAGES=1 (`npm run docs:images`) the slip of the README is written to docs/images/slip.png.
 */
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AMOUNT_KEYS, settlementToJson } from '../../shared/engine/settlement.js';
import { capitalAmount } from '../../shared/money/capital.js';
import { builtInPolicyBook } from '../../shared/policy/book.js';
import { buildSlip, slipHtml } from '../../shared/province/slip/index.js';
import { ROOT, caseClaim, claims, ensureBuilt } from '../cli/helpers.js';
import { settledCases } from '../province/helpers.js';
import { type TestBrowser, pdfPageCount, screenshotPath, startBrowser } from '../support/browser.js';

const cases = settledCases();
const book = builtInPolicyBook();
let browser: TestBrowser;

beforeAll(async () => {
  ensureBuilt();
  browser = await startBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** Opens a page on `html`, collecting console errors and uncaught exceptions. */
async function open(html: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  await page.setContent(html, { waitUntil: 'load' });
  return { page, errors };
}

/**
 * The amounts and capitals the page shows, read from the rendered DOM (innerText: what is drawn). The
 * script is text because the project's TypeScript has no DOM library: it runs in the page, not here.
 */
const shownAmounts = (page: Page) =>
  page.evaluate<{ amounts: Record<string, string>; capitals: Record<string, string> }>(`(() => {
    const read = (attribute) => Object.fromEntries([...document.querySelectorAll('[' + attribute + ']')].map((el) => [el.getAttribute(attribute), el.innerText.trim()]));
    return { amounts: read('data-amount'), capitals: read('data-capital') };
  })()`);

describe('the slip page in Chromium', () => {
  it.each(cases.map((c) => [c.id, c] as const))('%s renders with no console error, on one A4 page, each amount equal to the JSON settlement\'s', async (_id, c) => {
    // Prepare
    const json = settlementToJson(c.settlement);
    const policy = c.settlement.policy === null ? undefined : book.get(c.settlement.policy)?.policy;
    const html = slipHtml(buildSlip({ settlement: c.settlement, claim: c.claim, policy, settledAt: '2018-03-14T02:30:00.000Z' }));

    // Act
    const { page, errors } = await open(html);
    const shown = await shownAmounts(page);
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    await page.close();

    // Assess
    expect(errors).toEqual([]);
    expect(pdfPageCount(pdf), 'printed pages').toBe(1);
    for (const key of AMOUNT_KEYS) {
      expect(shown.amounts[key], key).toBe(json.amounts[key]);
      expect(shown.capitals[key], key).toBe(capitalAmount(c.settlement.amounts[key]));
    }
  });

  it('renders the page of claims settle --format html --registry, names masked, and the receipt width', async () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'claims-slip-browser-'));
    const claimFile = join(dir, 'claim.json');
    writeFileSync(claimFile, JSON.stringify(caseClaim('JZ05')));
    const registry = join(ROOT, 'docs/examples/registry.json');
    const json = JSON.parse(claims(['settle', claimFile]).stdout);

    // Act
    const a4 = claims(['settle', '--format', 'html', '--registry', registry, claimFile]);
    const receipt = claims(['settle', '--format', 'html', '--paper', 'receipt', '--registry', registry, claimFile]);
    const pages = [await open(a4.stdout), await open(receipt.stdout)];
    const shown = await Promise.all(pages.map(({ page }) => shownAmounts(page)));
    const text = await pages[0]!.page.innerText('body');
    await pages[0]!.page.locator('main.sheet').screenshot({ path: screenshotPath('slip-a4.png') });
    await pages[1]!.page.setViewportSize({ width: 420, height: 900 });
    await pages[1]!.page.screenshot({ path: screenshotPath('slip-receipt.png'), fullPage: true });
    const receiptPdf = await pages[1]!.page.pdf({ preferCSSPageSize: true });

    // Assess
    expect(a4.status).toBe(0);
    for (const { errors } of pages) expect(errors).toEqual([]);
    for (const s of shown) expect(s.amounts).toEqual(json.amounts);
    expect(text).toContain('张**');
    expect(text).toContain('晋中市示例人民医院');
    expect(text).not.toContain('张丽华');
    expect(pdfPageCount(receiptPdf)).toBeGreaterThanOrEqual(1);
    if (process.env['DOCS_IMAGES']) {
      mkdirSync(join(ROOT, 'docs/images'), { recursive: true });
      copyFileSync(screenshotPath('slip-a4.png'), join(ROOT, 'docs/images/slip.png'));
    }
    for (const { page } of pages) await page.close();
  });
});
