import { existsSync, readFileSync } from 'node:fs';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { App } from 'aws-cdk-lib';
import { stageConfig } from '../../infra/config.js';
import { ClaimsStack } from '../../infra/stack.js';
import { CDK_CONTEXT } from './fixture.js';
const stage = (process.argv[2] ?? 'dev') as 'dev' | 'prod';
const app = new App({ context: { ...CDK_CONTEXT, stage, 'aws:cdk:bundling-stacks': [] }, policyValidationBeta1: [new CfnGuardValidator()] });
new ClaimsStack(app, `ResidentClaims-${stage}`, { config: stageConfig(stage), acknowledgeNagFindings: true });
try { app.synth(); console.log('clean'); } catch (error) {
  const path = /found in: (\S+validation-report\.json)/.exec(String(error))?.[1];
  if (!path || !existsSync(path)) throw error;
  const report = JSON.parse(readFileSync(path, 'utf8'));
  for (const p of report.pluginReports) for (const v of p.violations) console.log('GUARD', v.ruleName, JSON.stringify(v.violatingResources?.map((r: any) => r.resourceLogicalId ?? r.locations?.[0]?.constructPath)).slice(0, 300));
}
