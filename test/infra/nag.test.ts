/**
 * cdk-nag's AwsSolutions and HIPAA Security packs over the dev and prod stacks: zero findings that are
 * not acknowledged, and every acknowledgement names its rule and gives a reason.
 */
import { AwsSolutionsChecks, HIPAASecurityChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { acknowledgements } from '../../infra/nag.js';
import { CDK_CONTEXT, built } from './fixture.js';

function findings(stage: 'dev' | 'prod'): string[] {
  const { stack } = built(stage);
  return [new AwsSolutionsChecks(), new HIPAASecurityChecks()].flatMap((pack) =>
    pack
      .validateScope(stack)
      .violations.flatMap((violation) => violation.violatingResources.map((resource) => `${violation.ruleName} ${resource.constructPath}`)),
  );
}

describe('cdk-nag', () => {
  it.each(['dev', 'prod'] as const)('%s: no unacknowledged AwsSolutions or HIPAA Security finding', (stage) => {
    // Act
    const open = findings(stage);
    // Assess
    expect(open).toEqual([]);
  });

  it.each(['dev', 'prod'] as const)('%s: every acknowledgement names a rule of the two packs and argues it', (stage) => {
    // Prepare
    const { stack } = built(stage);
    // Act
    const list = acknowledgements(stack);
    // Assess
    for (const ack of list) {
      expect(ack.rule).toMatch(/^(AwsSolutions|HIPAA\.Security)-[A-Za-z0-9]+(\[.+\])?$/);
      expect(ack.reason.length, ack.rule).toBeGreaterThan(120);
      expect(ack.constructs.length, ack.rule).toBeGreaterThan(0);
    }
  });

  it('prod puts the table in a backup plan; only dev acknowledges its absence', () => {
    // Act
    // The bulk bucket's name carries the stage, so its IAM5 rule id does too.
    const sameInEveryStage = (rule: string) => rule.replace(/resident-claims-(dev|prod)-uploads-/, 'resident-claims-STAGE-uploads-');
    const dev = acknowledgements(built('dev').stack).map((a) => sameInEveryStage(a.rule));
    const prod = acknowledgements(built('prod').stack).map((a) => sameInEveryStage(a.rule));
    // Assess
    expect(dev).toContain('HIPAA.Security-DynamoDBInBackupPlan');
    expect(prod).not.toContain('HIPAA.Security-DynamoDBInBackupPlan');
    expect(prod.filter((rule) => !dev.includes(rule))).toEqual([expect.stringMatching(/AWSBackupServiceRolePolicyForBackup/)]);
  });

  it.each(['dev', 'prod'] as const)('%s: every acknowledgement is still needed: without them the packs report exactly those rules', async (stage) => {
    // Prepare
    const { App } = await import('aws-cdk-lib');
    const { buildApp } = await import('../../infra/claims-app.js');
    const app = new App({ context: { ...CDK_CONTEXT, stage, 'aws:cdk:bundling-stacks': [] } });
    const { stack } = buildApp(app, { nag: false, acknowledge: false });
    // Act
    const reported = new Set(
      [new AwsSolutionsChecks(), new HIPAASecurityChecks()].flatMap((pack) => pack.validateScope(stack).violations.map((v) => v.ruleName)),
    );
    // Assess
    expect(reported).toEqual(new Set(acknowledgements(built(stage).stack).map((a) => a.rule)));
  });
});
