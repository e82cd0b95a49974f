/**
 * AWS Control Tower's proactive controls (cfn-guard rules shipped by @cdklabs/cdk-validator-cfnguard)
 * over the synthesized templates of dev, prod and a China-partition prod: a clean report, and every
 * acknowledgement still needed. Also the China partition's principals and ARNs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Default } from 'aws-cdk-lib/region-info';
import { describe, expect, it } from 'vitest';
import { stageConfig } from '../../infra/config.js';
import { GUARD_PLUGIN, guardAcknowledgements } from '../../infra/guard.js';
import { ClaimsStack } from '../../infra/stack.js';
import { CDK_CONTEXT } from './fixture.js';

type Target = { name: string; stage: 'dev' | 'prod'; env?: { account: string; region: string } };
const TARGETS: Target[] = [
  { name: 'dev', stage: 'dev' },
  { name: 'prod', stage: 'prod' },
  { name: 'prod in aws-cn', stage: 'prod', env: { account: '123456789012', region: 'cn-north-1' } },
];

function stackFor(target: Target, options: { guard: boolean; acknowledge: boolean }): { app: App; stack: ClaimsStack } {
  const app = new App({
    context: { ...CDK_CONTEXT, stage: target.stage, 'aws:cdk:bundling-stacks': [] },
    ...(options.guard ? { policyValidationBeta1: [new CfnGuardValidator()] } : {}),
  });
  const stack = new ClaimsStack(app, `ResidentClaims-${target.stage}`, {
    config: stageConfig(target.stage),
    ...(target.env ? { env: target.env } : {}),
    acknowledgeNagFindings: options.acknowledge,
  });
  return { app, stack };
}

/** The guard rules the validator reports on a synth, from its report file (empty when the synth passes). */
function reportedRules(app: App): Set<string> {
  try {
    app.synth();
    return new Set();
  } catch (error) {
    const path = /found in: (\S+validation-report\.json)/.exec(String(error))?.[1];
    if (!path || !existsSync(path)) throw error;
    const report = JSON.parse(readFileSync(path, 'utf8')) as { pluginReports: { violations: { ruleName: string }[] }[] };
    return new Set(report.pluginReports.flatMap((plugin) => plugin.violations.map((v) => v.ruleName)));
  }
}

describe('Control Tower proactive controls (cfn-guard)', () => {
  it.each(TARGETS.map((t) => [t.name, t] as const))('%s: no unacknowledged finding', (_name, target) => {
    // Prepare
    const { app } = stackFor(target, { guard: true, acknowledge: true });
    // Act
    const open = reportedRules(app);
    // Assess
    expect([...open]).toEqual([]);
  });

  it.each(TARGETS.map((t) => [t.name, t] as const))('%s: every acknowledgement is still needed and argued', (_name, target) => {
    // Prepare
    const { app } = stackFor(target, { guard: true, acknowledge: false });
    const { stack } = stackFor(target, { guard: false, acknowledge: true });
    const acknowledged = guardAcknowledgements(stack);
    // Act
    const reported = reportedRules(app);
    // Assess
    expect(reported).toEqual(new Set(acknowledged.map((ack) => ack.rule)));
    for (const ack of acknowledged) {
      expect(ack.reason.length, ack.rule).toBeGreaterThan(80);
      expect(ack.constructs.length, ack.rule).toBeGreaterThan(0);
    }
    expect(GUARD_PLUGIN).toBe('cdk-validator-cfnguard');
  });
});

describe('the China partition (aws-cn)', () => {
  const { stack } = stackFor(TARGETS[2]!, { guard: false, acknowledge: true });
  const template = Template.fromStack(stack, { skipCyclicalDependenciesCheck: true });
  const text = JSON.stringify(template.toJSON());

  it('uses no ARN of the standard partition', () => {
    // Act
    const partitions = new Set(text.match(/arn:aws[a-z-]*:/g));
    // Assess
    expect([...partitions]).toEqual(['arn:aws-cn:']);
  });

  it('names every service principal as aws-cdk-lib region-info says it is named in cn-north-1', () => {
    // Act
    const principals = new Set(text.match(/"[a-z0-9-]+\.amazonaws\.com"/g)?.map((p) => p.slice(1, -1)));
    // Assess
    expect(principals.size).toBeGreaterThan(0);
    for (const principal of principals) expect(Default.servicePrincipal(principal, 'cn-north-1', 'amazonaws.com.cn'), principal).toBe(principal);
  });

  it('gives CloudWatch Logs its regional principal with the partition URL suffix (amazonaws.com.cn in China)', () => {
    // Act
    const keys = template.findResources('AWS::KMS::Key');
    const statements = Object.values(keys).flatMap((key) => key['Properties'].KeyPolicy.Statement as { Principal?: { Service?: unknown } }[]);
    const logs = statements.filter((s) => JSON.stringify(s.Principal?.Service ?? '').includes('logs.'));
    // Assess
    expect(logs).toHaveLength(1);
    expect(logs[0]!.Principal!.Service).toEqual({ 'Fn::Join': ['', ['logs.cn-north-1.', { Ref: 'AWS::URLSuffix' }]] });
    expect(Default.servicePrincipal('logs.amazonaws.com', 'cn-north-1', 'amazonaws.com.cn')).toBe('logs.cn-north-1.amazonaws.com.cn');
  });
});
