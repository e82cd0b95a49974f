/**
 * Tracing that costs cents: an X-Ray sampling rule for the API stage at a low fixed rate and no
 * reservoir, so traces grow with traffic at 1 in 100 requests and cost nothing while it is quiet.
 * X-Ray sampling is decided once, where a trace starts: API Gateway applies this rule, and the intake
 * function (Tracing.ACTIVE, infra/handler-function.ts) follows the decision it is handed. Functions
 * started by SQS, S3 or EventBridge (settle, bulk, sweeper) are sampled by Lambda itself (one a second,
 * then 5%; not configurable) — per settle invocation, i.e. per 10 claims under load.
 */
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import { CfnSamplingRule } from 'aws-cdk-lib/aws-xray';
import type { Construct } from 'constructs';
import type { StageConfig } from './config.js';

/** The API's sampling: the share of requests traced, and the traces a second taken first (none). */
export const API_TRACE_SAMPLING = { fixedRate: 0.01, reservoirPerSecond: 0 } as const;

/** Lambda's own sampling of invocations no traced caller started (SQS, S3, EventBridge), beyond one a second. */
export const LAMBDA_OWN_TRACE_RATE = 0.05;

/** X-Ray's default rule's priority is 10000 (last): any lower number is matched first. */
const RULE_PRIORITY = 100;

/** The sampling rule of the API stage (`<rest api name>/<stage>` is the service name API Gateway reports). */
export function sampleApiTraces(scope: Construct, api: RestApi, config: StageConfig): CfnSamplingRule {
  return new CfnSamplingRule(scope, 'ApiTraceSampling', {
    samplingRule: {
      ruleName: `resident-claims-${config.stage}-api`,
      priority: RULE_PRIORITY,
      fixedRate: API_TRACE_SAMPLING.fixedRate,
      reservoirSize: API_TRACE_SAMPLING.reservoirPerSecond,
      // The stage is named after the stage (infra/api.ts); a plain name, not a reference, as X-Ray matches text.
      serviceName: `${api.restApiName}/${config.stage}`,
      serviceType: 'AWS::ApiGateway::Stage',
      resourceArn: '*',
      host: '*',
      httpMethod: '*',
      urlPath: '*',
      version: 1,
    },
  });
}
