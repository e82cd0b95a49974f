/**
 * Business metrics of the settle function (Powertools Metrics, CloudWatch embedded metric format, so
 * no PutMetricData call and no permission): claims settled, rejected by code, amounts paid per fund.
 * The CDK dashboard (infra/observability.ts) reads exactly these names.
 */
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { SettleOutcome } from '../lib/settler.js';

/** Payers of the one-stop split that are funds, as `Paid<Fund>` metrics in yuan. */
export const FUND_METRICS = { basic: 'PaidBasic', catastrophic: 'PaidCatastrophic', assistance: 'PaidAssistance', charity: 'PaidCharity' } as const;

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
