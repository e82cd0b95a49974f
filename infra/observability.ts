/**
 * Alarms that page someone (through an encrypted SNS topic) and one dashboard with the pipeline's
 * health and the settle function's business metrics. Each alarm's meaning and runbook is in
 * docs/deployment.md under the alarm's name.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  MathExpression,
  Metric,
  TextWidget,
  TreatMissingData,
  type IMetric,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { StageConfig } from './config.js';
import { type ClaimsFunction, METRICS_NAMESPACE } from './functions.js';

/** A claim waiting longer than this means settlement has stalled (normally it takes seconds). */
export const OLDEST_MESSAGE_ALARM_SECONDS = 300;

/** A dead letter older than this is half-way to the queue's 14-day retention, after which its body is gone. */
export const DEAD_LETTER_AGE_ALARM_SECONDS = 7 * 24 * 3600;

/** p99 of API latency (ms) above which the counter is kept waiting: a POST answers in tens of ms normally. */
export const API_P99_ALARM_MS = 1000;

/** Share of API requests answered 4xx over 15 minutes above which a HIS is likely misconfigured or under attack. */
export const API_4XX_ALARM_RATIO = 0.2;

/** WAF blocks per 5 minutes above which a real HIS is probably being refused (single scanner hits stay below). */
export const WAF_BLOCKS_ALARM = 50;

/** Settle deliveries failed on a transaction conflict per 5 minutes: a hot member or a stuck correction. */
export const TRANSACTION_CONFLICTS_ALARM = 5;

/** Fund names of the settle function's `Paid<Fund>` metrics (yuan), one per payer of the one-stop split. */
export const FUNDS = ['Basic', 'Catastrophic', 'Assistance', 'Charity'] as const;

export interface ObservabilityProps {
  readonly config: StageConfig;
  readonly table: Table;
  readonly claimsQueue: Queue;
  readonly deadLetterQueue: Queue;
  readonly functions: readonly ClaimsFunction[];
  readonly settle: ClaimsFunction;
  readonly api: RestApi;
  /** Name of the API's web ACL, for its BlockedRequests metric. */
  readonly webAclName: string;
  readonly topicKey: IKey;
  /** Where alarms are mailed (`-c alarmEmail=…`); without it, subscribe to the topic after deploying. */
  readonly alarmEmail?: string;
}

export class Observability extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    const { config, table, claimsQueue, deadLetterQueue, api } = props;
    this.topic = new Topic(this, 'Alarms', {
      topicName: `resident-claims-${config.stage}-alarms`,
      displayName: `Resident claims ${config.stage} alarms`,
      masterKey: props.topicKey,
      enforceSSL: true,
    });
    if (props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));
    const action = new SnsAction(this.topic);

    const alarm = (name: string, metric: IMetric, threshold: number, description: string, evaluationPeriods = 1): Alarm => {
      const created = new Alarm(this, name, {
        alarmName: `resident-claims-${config.stage}-${name}`,
        alarmDescription: `${description} Runbook: docs/deployment.md#${name.toLowerCase()}`,
        metric,
        threshold,
        evaluationPeriods,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        // No data means no traffic, not a failure.
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      created.addAlarmAction(action);
      created.addOkAction(action);
      this.alarms.push(created);
      return created;
    };

    const minute = Duration.minutes(1);
    const fiveMinutes = Duration.minutes(5);
    // Business metrics written by the settle function with Powertools (EMF), dimension `service`.
    const business = (metricName: string, statistic = 'Sum', period = fiveMinutes): Metric =>
      new Metric({ namespace: METRICS_NAMESPACE, metricName, dimensionsMap: { service: 'claims-settle' }, statistic, period });
    // One data point per minute with a dead letter: the alarm returns to OK after a quiet minute, so
    // every later dead letter alarms again (the queue's visible count would alarm once and stay high).
    alarm('DeadLetters', business('ClaimsDeadLettered', 'Sum', minute), 1, 'A claim failed every delivery and was moved to the dead-letter queue.');
    alarm(
      'DeadLetterAge',
      deadLetterQueue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(15), statistic: 'Maximum' }),
      DEAD_LETTER_AGE_ALARM_SECONDS,
      'A dead letter has waited 7 days unhandled; SQS deletes it after 14.',
    );
    alarm('PoisonRecords', business('ClaimsPoison'), 1, 'A queued record could not be settled at all (invalid claim or unknown member or hospital) and was stored as a failure.');
    alarm('TransactionConflicts', business('TransactionConflicts'), TRANSACTION_CONFLICTS_ALARM, 'Settle deliveries kept failing on a member whose totals changed under them.');
    alarm(
      'OldestClaim',
      claimsQueue.metricApproximateAgeOfOldestMessage({ period: minute, statistic: 'Maximum' }),
      OLDEST_MESSAGE_ALARM_SECONDS,
      `A claim has waited ${OLDEST_MESSAGE_ALARM_SECONDS} s or more to be settled.`,
      3,
    );
    for (const fn of props.functions) {
      const name = fn.node.id;
      alarm(`${name}Errors`, fn.function.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }), 1, `The ${name} function threw or timed out.`);
      alarm(`${name}Throttles`, fn.function.metricThrottles({ period: Duration.minutes(5), statistic: 'Sum' }), 1, `The ${name} function hit its reserved concurrency.`);
    }
    const dynamoThrottles = new MathExpression({
      label: 'DynamoDB throttled requests',
      expression: 'reads + writes',
      usingMetrics: {
        reads: new Metric({ namespace: 'AWS/DynamoDB', metricName: 'ReadThrottleEvents', dimensionsMap: { TableName: table.tableName }, statistic: 'Sum' }),
        writes: new Metric({ namespace: 'AWS/DynamoDB', metricName: 'WriteThrottleEvents', dimensionsMap: { TableName: table.tableName }, statistic: 'Sum' }),
      },
      period: Duration.minutes(5),
    });
    alarm('TableThrottles', dynamoThrottles, 1, 'DynamoDB throttled reads or writes of the claims table.');
    alarm('Api5xx', api.metricServerError({ period: fiveMinutes, statistic: 'Sum' }), 5, 'The API answered 5xx (intake failure or integration timeout).');
    alarm('ApiLatencyP99', api.metricLatency({ period: fiveMinutes, statistic: 'p99' }), API_P99_ALARM_MS, `The API's p99 latency stayed at ${API_P99_ALARM_MS} ms or more for 15 minutes.`, 3);
    const clientErrorRatio = new MathExpression({
      label: 'API 4xx share',
      expression: 'IF(requests > 100, errors / requests, 0)',
      usingMetrics: { errors: api.metricClientError({ statistic: 'Sum' }), requests: api.metricCount({ statistic: 'Sum' }) },
      period: Duration.minutes(15),
    });
    alarm('Api4xx', clientErrorRatio, API_4XX_ALARM_RATIO, `More than ${API_4XX_ALARM_RATIO * 100}% of API requests were refused (4xx) over 15 minutes.`);
    const wafBlocks = new Metric({
      namespace: 'AWS/WAFV2',
      metricName: 'BlockedRequests',
      dimensionsMap: { WebACL: props.webAclName, Region: Stack.of(this).region, Rule: 'ALL' },
      statistic: 'Sum',
      period: fiveMinutes,
    });
    alarm('WafBlocks', wafBlocks, WAF_BLOCKS_ALARM, `WAF blocked ${WAF_BLOCKS_ALARM} or more requests in 5 minutes.`);
    const rejectedByCode = new MathExpression({
      label: '',
      expression: `SEARCH('{${METRICS_NAMESPACE},code,service} MetricName="ClaimsRejectedByCode"', 'Sum', 300)`,
      period: Duration.minutes(5),
    });

    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: `resident-claims-${config.stage}`,
      defaultInterval: Duration.hours(6),
    });
    this.dashboard.addWidgets(
      new TextWidget({
        markdown: `# Resident claims (${config.stage})\nAlarms and what to do: docs/deployment.md. Amounts are yuan.`,
        width: 24,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Claims settled / rejected / duplicate / poison',
        left: [business('ClaimsSettled'), business('ClaimsRejected'), business('ClaimsDuplicate'), business('ClaimsPoison')],
        width: 8,
      }),
      new GraphWidget({ title: 'Rejected by code', left: [rejectedByCode], width: 8 }),
      new GraphWidget({ title: 'Paid per fund (yuan)', left: FUNDS.map((fund) => business(`Paid${fund}`)), width: 8 }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'API requests and errors',
        left: [api.metricCount({ statistic: 'Sum' }), api.metricClientError({ statistic: 'Sum' }), api.metricServerError({ statistic: 'Sum' })],
        width: 8,
      }),
      new GraphWidget({ title: 'API latency p99 (ms)', left: [api.metricLatency({ statistic: 'p99' }), api.metricIntegrationLatency({ statistic: 'p99' })], width: 8 }),
      new GraphWidget({
        title: 'Queue: waiting, oldest (s), dead letters',
        left: [claimsQueue.metricApproximateNumberOfMessagesVisible(), deadLetterQueue.metricApproximateNumberOfMessagesVisible()],
        right: [claimsQueue.metricApproximateAgeOfOldestMessage()],
        width: 8,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({ title: 'Function errors', left: props.functions.map((fn) => fn.function.metricErrors({ label: fn.node.id })), width: 8 }),
      new GraphWidget({ title: 'Function duration p99 (ms)', left: props.functions.map((fn) => fn.function.metricDuration({ statistic: 'p99', label: fn.node.id })), width: 8 }),
      new GraphWidget({
        title: 'Function throttles and concurrency',
        left: props.functions.map((fn) => fn.function.metricThrottles({ label: `${fn.node.id} throttles` })),
        right: props.functions.map((fn) => fn.function.metric('ConcurrentExecutions', { statistic: 'Maximum', label: fn.node.id })),
        width: 8,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'DynamoDB consumed capacity',
        left: [table.metricConsumedReadCapacityUnits(), table.metricConsumedWriteCapacityUnits()],
        width: 12,
      }),
      new GraphWidget({ title: 'DynamoDB throttles', left: [dynamoThrottles], width: 12 }),
    );
  }
}
