/**
 * The real thing: `npx cdk synth` as an operator runs it, offline, bundling the handlers with the local
 * esbuild and running the cdk-nag packs; exit 0 means no unacknowledged finding.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');
const out = mkdtempSync(join(tmpdir(), 'claims-cdk-out-'));

afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('npx cdk synth', () => {
  it('synthesizes the prod stage offline, bundles the five handlers and passes cdk-nag', { timeout: 180_000 }, async () => {
    // Prepare: a fresh output folder, so no stale validation report is read back.
    const started = Date.now();
    // Act
    const result = await run('npx', ['cdk', 'synth', '--no-lookups', '-c', 'stage=prod', '--output', out, '--quiet'], {
      cwd: root,
      env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1' },
      maxBuffer: 16 * 1024 * 1024,
    });
    // Assess
    const seconds = (Date.now() - started) / 1000;
    expect(result.stderr).not.toMatch(/Docker|docker/);
    expect(existsSync(join(out, 'ResidentClaims-prod.template.json'))).toBe(true);
    const template = JSON.parse(readFileSync(join(out, 'ResidentClaims-prod.template.json'), 'utf8')) as { Resources: Record<string, { Type: string }> };
    expect(Object.values(template.Resources).filter((r) => r.Type === 'AWS::Lambda::Function')).toHaveLength(5);
    // Each function's asset is the bundle of its own handler: the logger's service name is in it.
    const functions = Object.values(template.Resources).filter((r) => r.Type === 'AWS::Lambda::Function') as unknown as {
      Properties: { FunctionName: string };
      Metadata: Record<string, string>;
    }[];
    const bundles = functions.map((fn) => {
      const dir = join(out, fn.Metadata['aws:asset:path'] ?? '');
      const name = fn.Properties.FunctionName.replace('resident-claims-prod-', '');
      return { name, code: readFileSync(join(dir, 'index.mjs'), 'utf8'), size: statSync(join(dir, 'index.mjs')).size, map: existsSync(join(dir, 'index.mjs.map')) };
    });
    expect(bundles.map((b) => b.name).sort()).toEqual(['authorizer', 'bulk', 'intake', 'settle', 'sweeper']);
    for (const bundle of bundles) {
      expect(bundle.code).toContain(`claims-${bundle.name}`);
      expect(bundle.map).toBe(true);
      // One minified ESM file each, SDK included; well under Lambda's limits and quick to load.
      expect(bundle.size).toBeLessThan(1.5 * 1024 * 1024);
    }
    // The authorizer runs on the request path of every uncached key: it carries no claim contract.
    expect(bundles.find((b) => b.name === 'authorizer')?.size).toBeLessThan(512 * 1024);
    if (existsSync(join(out, 'validation-report.json'))) {
      const report = JSON.parse(readFileSync(join(out, 'validation-report.json'), 'utf8')) as { pluginReports: { violations: unknown[] }[] };
      expect(report.pluginReports.flatMap((p) => p.violations)).toEqual([]);
    }
    console.info(`cdk synth (prod, bundling, cdk-nag): ${seconds.toFixed(1)} s; bundles ${bundles.map((b) => `${b.name} ${(b.size / 1024).toFixed(0)} KB`).join(', ')}`);
  });
});
