/**
 * The API's web application firewall: AWS managed rules against common exploits and bad inputs, a
 * per-IP flood limit, and a log of what it blocked. Created inside the API construct, so the
 * resources keep the logical ids they have always had.
 */
import { ArnFormat, Stack } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { CfnLoggingConfiguration, CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';
import { API_KEY_HEADER } from '../functions/intake/routes.js';
import type { StageConfig } from './config.js';
import { logGroupPrefixes, stackInstanceSuffix } from './names.js';

/** The web ACL's name (its metrics' WebACL dimension). */
export const webAclNameOf = (config: StageConfig): string => `resident-claims-${config.stage}`;

/** AWS managed rules against common exploits and bad inputs, and a per-IP flood limit. */
export function createFirewall(scope: Construct, config: StageConfig): CfnWebACL {
  const visibility = (name: string): CfnWebACL.VisibilityConfigProperty => ({
    cloudWatchMetricsEnabled: true,
    metricName: `claims-${config.stage}-${name}`,
    sampledRequestsEnabled: false,
  });
  const managed = (name: string, priority: number, countOnly: string[] = []): CfnWebACL.RuleProperty => ({
    name,
    priority,
    overrideAction: { none: {} },
    statement: {
      managedRuleGroupStatement: {
        vendorName: 'AWS',
        name,
        ruleActionOverrides: countOnly.map((rule) => ({ name: rule, actionToUse: { count: {} } })),
      },
    },
    visibilityConfig: visibility(name),
  });
  return new CfnWebACL(scope, 'WebAcl', {
    name: webAclNameOf(config),
    scope: 'REGIONAL',
    defaultAction: { allow: {} },
    visibilityConfig: visibility('all'),
    rules: [
      // Counted, not blocked: a claim may list thousands of items (up to routes.ts's MAX_CLAIM_BYTES, 256 KB) where the
      // body-size rule stops at 8 KB, and many HIS HTTP clients (.NET HttpClient, for one) send no User-Agent.
      managed('AWSManagedRulesCommonRuleSet', 1, ['SizeRestrictions_BODY', 'NoUserAgent_HEADER']),
      managed('AWSManagedRulesKnownBadInputsRuleSet', 2),
      {
        name: 'PerIpFlood',
        priority: 3,
        action: { block: {} },
        // Hospitals sit behind NAT, so this is a flood guard well above any hospital's usage plan.
        statement: { rateBasedStatement: { limit: config.apiRateLimit * 300, aggregateKeyType: 'IP' } },
        visibilityConfig: visibility('per-ip-flood'),
      },
    ],
  });
}

/**
 * The log of what the firewall blocked, with the rule, so a HIS refused by WAF can be told why.
 * @returns the log group (encrypted with `logKey`).
 */
export function logFirewall(scope: Construct, webAcl: CfnWebACL, config: StageConfig, logKey: IKey): LogGroup {
  // WAF logs what it blocked (with the rule), so a HIS refused by WAF can be told why. Counted
  // requests are not logged: two counted rules match most claims (large bodies, no User-Agent), and
  // logging each would cost more than settling it; their counts stay in the WAF metrics.
  // The group name must start with aws-waf-logs-; the API key header is redacted.
  const wafLogName = `${logGroupPrefixes(config.stage).waf}${stackInstanceSuffix()}`;
  const logs = new LogGroup(scope, 'WafLogs', {
    logGroupName: wafLogName,
    retention: config.logRetention,
    encryptionKey: logKey,
    removalPolicy: config.dataRemovalPolicy,
  });
  const wafLogging = new CfnLoggingConfiguration(scope, 'WafLogging', {
    resourceArn: webAcl.attrArn,
    // WAF wants the group's ARN without the trailing :* of LogGroup.Arn.
    logDestinationConfigs: [
      Stack.of(scope).formatArn({ service: 'logs', resource: 'log-group', resourceName: wafLogName, arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
    ],
    redactedFields: [{ singleHeader: { Name: API_KEY_HEADER } }],
    loggingFilter: {
      DefaultBehavior: 'DROP',
      Filters: [
        {
          Behavior: 'KEEP',
          Requirement: 'MEETS_ANY',
          Conditions: [{ ActionCondition: { Action: 'BLOCK' } }],
        },
      ],
    },
  });
  wafLogging.node.addDependency(logs);
  return logs;
}
