/**
 * Physical names that survive a second deploy. A resource kept on delete (log groups, the backup
 * vault) outlives its stack; a fixed name would then make the next deploy of the same stack fail
 * "already exists". Every such name ends in a suffix taken from the stack's own id, which
 * CloudFormation mints anew each time the stack is created, so a recreated stack never collides
 * with what its predecessor left behind, while updates of one stack keep the same names.
 */
import { Aws, Fn } from 'aws-cdk-lib';

/**
 * The last 12 hex digits of the stack id's UUID (`arn:…:stack/NAME/xxxxxxxx-xxxx-xxxx-xxxx-XXXXXXXXXXXX`),
 * as a CloudFormation expression resolved at deploy time.
 */
export function stackInstanceSuffix(): string {
  return Fn.select(4, Fn.split('-', Fn.select(2, Fn.split('/', Aws.STACK_ID))));
}

/** The name prefixes of this stage's log groups, for names and for the KMS key policy that may encrypt them. */
export function logGroupPrefixes(stage: string): { lambda: string; api: string; waf: string; vended: string } {
  return {
    lambda: `/aws/lambda/resident-claims-${stage}-`,
    api: `/aws/apigateway/resident-claims-${stage}-`,
    // WAF delivers only to groups whose name starts with aws-waf-logs-.
    waf: `aws-waf-logs-resident-claims-${stage}-`,
    // Step Functions and CodeBuild logs of the province run (infra/province-run.ts): /aws/vendedlogs/ keeps Step Functions within its log resource policy limit.
    vended: `/aws/vendedlogs/resident-claims-${stage}-`,
  };
}
