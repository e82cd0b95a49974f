/**
 * Business metrics of the settle function (Powertools Metrics, CloudWatch embedded metric format, so
 * no PutMetricData call and no permission): claims settled, rejected by code, amounts paid per fund.
 * The CDK dashboard (infra/observability.ts) reads exactly these names.
 */
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { SettleOutcome } from '../lib/settler.js';

/** Payers of the one-stop split that are funds, as `Paid<Fund>` metrics in yuan. */
export const FUND_METRICS = { basic: 'PaidBasic', catastrophic: 'PaidCatastrophic', assistance: 'PaidAssistance', charity: 'PaidCharity' } as const;

/**
 * Metrics of records that failed, which the alarms count one by one (SQS counts no redrive into a
 * dead-letter queue in any metric of its own): a record given up to the dead-letter queue on its
 * last delivery, and a record that failed because its member's totals kept changing under it.
 */
export const FAILURE_METRICS = { deadLettered: 'ClaimsDeadLettered', transactionConflict: 'TransactionConflicts' } as const;

/** Records a failed delivery: a conflict on every delivery it happens, a dead letter on the last one. */
export function recordFailedDelivery(metrics: Metrics, failure: { readonly lastDelivery: boolean; readonly conflict: boolean }): void {
  if (failure.conflict) metrics.addMetric(FAILURE_METRICS.transactionConflict, MetricUnit.Count, 1);
  if (failure.lastDelivery) metrics.addMetric(FAILURE_METRICS.deadLettered, MetricUnit.Count, 1);
}

/** Records one settled record's outcome; duplicates and poison records are counted too, as signs of trouble upstream. */
export function recordOutcome(metrics: Metrics, outcome: SettleOutcome): void {
  switch (outcome.kind) {
    case 'settled': {
      metrics.addMetric('ClaimsSettled', MetricUnit.Count, 1);
      const amounts = outcome.settlement?.amounts;
      if (amounts) {
        // Yuan, not fen: what a dashboard reader compares with the fund's budget. Floats are fine for a graph.
        for (const [fund, name] of Object.entries(FUND_METRICS)) metrics.addMetric(name, MetricUnit.NoUnit, amounts[fund as keyof typeof FUND_METRICS] / 100);
      }
      return;
    }
    case 'rejected': {
      metrics.addMetric('ClaimsRejected', MetricUnit.Count, 1);
      const code = outcome.settlement?.rejection?.code;
      if (code) {
        // Its own EMF document, so the `code` dimension does not split the other metrics.
        const single = metrics.singleMetric();
        single.addDimension('code', code);
        single.addMetric('ClaimsRejectedByCode', MetricUnit.Count, 1);
      }
      return;
    }
    case 'duplicate':
      metrics.addMetric('ClaimsDuplicate', MetricUnit.Count, 1);
      return;
    case 'poison':
      metrics.addMetric('ClaimsPoison', MetricUnit.Count, 1);
      return;
  }
}
