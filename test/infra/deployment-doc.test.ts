/**
 * docs/deployment.md promises "a working example request": its registry must load and its claim must
 * pass the contract and settle as the page says, through the same code the deployed handlers run.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseClaimJson } from '../../shared/contract/claim.js';
import { settle } from '../../shared/engine/settle.js';
import { settlementToJson } from '../../shared/engine/settlement.js';
import { builtInPolicyBook } from '../../shared/policy/book.js';
import { applyRegistry, parseRegistry } from '../../shared/registry/registry.js';
import { buildApp } from '../../infra/claims-app.js';

const page = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'deployment.md'), 'utf8');

function block(pattern: RegExp): string {
  const match = page.match(pattern);
  expect(match, String(pattern)).not.toBeNull();
  return (match as RegExpMatchArray)[1] as string;
}

describe('docs/deployment.md', () => {
  it('its registry loads and its curl claim settles as the page says', () => {
    // Prepare
    const registry = parseRegistry(JSON.parse(block(/```json registry\n([\s\S]*?)\n```/)));
    const body = block(/--data-binary @- <<'EOF'\n([\s\S]*?)\nEOF/);
    // Act
    const submitted = parseClaimJson(body);
    const member = registry.members.find((m) => m.id === submitted.member.id);
    const hospital = registry.hospitals.find((h) => h.id === submitted.hospital.id);
    const settlement = settlementToJson(settle(applyRegistry(submitted, member!, hospital!), builtInPolicyBook()));
    // Assess
    expect(registry.operators).toHaveLength(1);
    expect(settlement).toMatchObject({ status: 'settled', amounts: { total: '1634.50', basic: '925.88', patient: '708.62' } });
  });

  it('has a runbook section for every alarm the stack creates', async () => {
    // Prepare
    const { App } = await import('aws-cdk-lib');
    const { stack } = buildApp(new App({ context: { stage: 'dev', 'aws:cdk:bundling-stacks': [] } }), { nag: false });
    // Act
    const names = stack.observability.alarms.map((alarm) => alarm.node.id);
    // Assess
    expect(names).toHaveLength(20);
    for (const name of names) expect(page, name).toMatch(new RegExp(`^### ${name}$`, 'm'));
  });

  it('lists every acknowledged rule in its cdk-nag table', async () => {
    // Prepare
    const { App } = await import('aws-cdk-lib');
    const { acknowledgements } = await import('../../infra/nag.js');
    const rules = new Set<string>();
    for (const stage of ['dev', 'prod']) {
      const { stack } = buildApp(new App({ context: { stage, 'aws:cdk:bundling-stacks': [] } }), { nag: false });
      for (const ack of acknowledgements(stack)) rules.add(ack.rule.replace(/\[Policy::.*\/(\w+)\]$/, '[Policy::…/$1]').replace(/\[Resource::arn:.*:s3:::.*(\/uploads\/\*)\]$/, '[Resource::…$1]'));
    }
    // Act / Assess
    for (const rule of rules) expect(page, rule).toContain(`| ${rule} |`);
  });
});
