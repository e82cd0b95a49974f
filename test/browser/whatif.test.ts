/**
 * The what-if report page in a real browser (headless Chromium): the four charts are drawn (canvases
 * with painted pixels), no console error, and every number on the page equals the JSON summary's, with
 * each member masked. With DOCS_IMAGES=1 (`npm run docs:images`) the screenshot is docs/images/whatif.png.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskIdNumber } from '../../shared/registry/mask.js';
import type { WhatIfJson } from '../../shared/province/whatif.js';
import { ROOT, claims, ensureBuilt } from '../cli/helpers.js';
import { type TestBrowser, screenshotPath, startBrowser } from '../support/browser.js';

const FUNDS = ['basic', 'catastrophic', 'assistance', 'charity', 'hospitalBorne'] as const;
const KEYS = ['total', ...FUNDS, 'patient'] as const;

let browser: TestBrowser;
beforeAll(async () => {
  ensureBuilt();
  browser = await startBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** Every number the page must show, by its place, as the JSON summary gives it (members masked). */
function expectedValues(json: WhatIfJson): Record<string, string> {
  const values: Record<string, string> = { claims: String(json.claims), claimsChanged: String(json.claimsChanged), membersAffected: String(json.membersAffected) };
  for (const scenario of ['baseline', 'changed'] as const) {
    for (const key of KEYS) values[`${scenario}.${key}`] = json[scenario].amounts[key] as string;
    values[`${scenario}.patientShare`] = json[scenario].patientShare;
    values[`${scenario}.crossedCatastrophic`] = String(json[scenario].crossedCatastrophic);
    values[`${scenario}.rejected`] = String(json[scenario].rejected);
    for (const m of json.months) for (const key of FUNDS) values[`months.${m.month}.${scenario}.${key}`] = m[scenario][key];
    json.patientShare.forEach((band, index) => (values[`share.${index}.${scenario}`] = String(band[scenario])));
    for (const c of json.crossings) values[`crossings.${c.month}.${scenario}`] = String(c[scenario]);
  }
  for (const key of KEYS) values[`difference.${key}`] = json.difference.amounts[key] as string;
  values['difference.crossedCatastrophic'] = String(json.difference.crossedCatastrophic);
  values['difference.rejected'] = String(json.difference.rejected);
  json.topMembers.forEach((m, index) => {
    values[`top.${index}.member`] = maskIdNumber(m.memberId);
    values[`top.${index}.year`] = String(m.year);
    values[`top.${index}.patientBaseline`] = m.patientBaseline;
    values[`top.${index}.patientChanged`] = m.patientChanged;
    values[`top.${index}.delta`] = m.delta;
  });
  return values;
}

describe('the what-if report in Chromium', () => {
  it('draws its four charts and shows exactly the JSON summary\'s numbers', async () => {
    // Prepare: a year of generated claims under the README's overlay (deductible 600).
    const dir = mkdtempSync(join(tmpdir(), 'claims-whatif-browser-'));
    writeFileSync(join(dir, 'claims.jsonl'), claims(['generate', '--count', '2000', '--seed', '7']).stdout);
    const reportFile = join(dir, 'report.html');
    const run = claims(['whatif', join(dir, 'claims.jsonl'), '--policies', join(ROOT, 'docs/examples/deductible-600'), '--top', '8', '--json', '--report', reportFile]);
    expect(run.status).toBe(0);
    const json = JSON.parse(run.stdout) as WhatIfJson;
    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(error.message));
    await page.setViewportSize({ width: 1200, height: 900 });

    // Act
    await page.setContent(readFileSync(reportFile, 'utf8'), { waitUntil: 'load' });
    await page.waitForSelector('body[data-charts="drawn"]', { timeout: 20_000 });
    // Painted pixels per canvas (alpha > 0), and every number cell by its place. Page scripts as text:
    // the project's TypeScript has no DOM library.
    const painted = await page.evaluate<Record<string, number>>(`(() => Object.fromEntries([...document.querySelectorAll('canvas')].map((canvas) => {
      const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      let count = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] > 0) count += 1;
      return [canvas.id, count];
    })))()`);
    const shown = await page.evaluate<Record<string, string>>(
      `(() => Object.fromEntries([...document.querySelectorAll('[data-value]')].map((el) => [el.getAttribute('data-value'), el.innerText.trim()])))()`,
    );
    await page.screenshot({ path: screenshotPath('whatif.png'), fullPage: true });
    await page.close();

    // Assess
    expect(errors).toEqual([]);
    expect(Object.keys(painted).sort()).toEqual(['chart-crossings', 'chart-members', 'chart-months', 'chart-share']);
    for (const [id, count] of Object.entries(painted)) expect(count, id).toBeGreaterThan(2_000);
    expect(json.topMembers.length).toBeGreaterThan(0);
    expect(shown).toEqual(expectedValues(json));
    if (process.env['DOCS_IMAGES']) {
      mkdirSync(join(ROOT, 'docs/images'), { recursive: true });
      copyFileSync(screenshotPath('whatif.png'), join(ROOT, 'docs/images/whatif.png'));
    }
  });
});
