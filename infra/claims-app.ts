/**
 * The CDK app: `npx cdk synth -c stage=dev` / `npx cdk deploy -c stage=prod`. Every synth runs the
 * cdk-nag AwsSolutions and HIPAA Security packs; an unacknowledged finding fails it.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks } from 'cdk-nag';
import { stageConfig } from './config.js';
import { ClaimsStack } from './stack.js';

/**
 * Builds the app for the stage named in context (`-c stage=…`, default dev). For tests: `nag: false`
 * leaves the cdk-nag plugins out (the tests run the packs with `validateScope`), `acknowledge: false`
 * leaves the acknowledgements out.
 */
export function buildApp(
  app: App = new App(),
  options: { nag?: boolean; acknowledge?: boolean } = {},
): { app: App; stack: ClaimsStack } {
  const config = stageConfig(app.node.tryGetContext('stage') ?? 'dev');
  const alarmEmail = app.node.tryGetContext('alarmEmail') as string | undefined;
  const stack = new ClaimsStack(app, `ResidentClaims-${config.stage}`, {
    config,
    ...(alarmEmail ? { alarmEmail } : {}),
    description: `Resident claims settlement pipeline (${config.stage})`,
    // The account and region of the operator's credentials at deploy time; synth stays environment-agnostic.
    env: { account: process.env['CDK_DEFAULT_ACCOUNT'], region: process.env['CDK_DEFAULT_REGION'] },
    terminationProtection: config.stage === 'prod',
    acknowledgeNagFindings: options.acknowledge ?? true,
  });
  if (options.nag ?? true) Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new HIPAASecurityChecks(app));
  return { app, stack };
}
