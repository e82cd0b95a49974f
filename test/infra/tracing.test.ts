/**
 * Observability that costs cents, as the stack declares it: the API traced at a low fixed rate by an
 * X-Ray sampling rule of its own stage (not X-Ray's default one a second and 5%), and the cost model
 * priced at that same rate. WAF logging only what it blocks is asserted in stack.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { ASSUMPTIONS } from '../../bench/cost.js';
import { API_TRACE_SAMPLING } from '../../infra/tracing.js';
import { built } from './fixture.js';

describe.each(['dev', 'prod'] as const)('%s: tracing sampled', (stage) => {
  const { template } = built(stage);
  const rules = Object.values(template.findResources('AWS::XRay::SamplingRule')) as { Properties: { SamplingRule: Record<string, unknown> } }[];
  const api = Object.values(template.findResources('AWS::ApiGateway::RestApi'))[0] as { Properties: { Name: string } };
  const stages = Object.values(template.findResources('AWS::ApiGateway::Stage')) as { Properties: { StageName: string; TracingEnabled?: boolean } }[];

  it('samples the API stage at 1% with no reservoir, matched before X-Ray’s default rule', () => {
    expect(rules).toHaveLength(1);
    const rule = rules[0]?.Properties.SamplingRule;
    expect(rule).toMatchObject({
      FixedRate: 0.01,
      ReservoirSize: 0,
      ServiceType: 'AWS::ApiGateway::Stage',
      ServiceName: `${api.Properties.Name}/${stages[0]?.Properties.StageName}`,
      HTTPMethod: '*',
      URLPath: '*',
      Version: 1,
    });
    expect(rule?.['Priority']).toBeLessThan(10_000);
    expect(String(rule?.['RuleName']).length).toBeLessThanOrEqual(32);
    expect(stages.map((s) => s.Properties.TracingEnabled)).toEqual([true]);
  });

  it('is the rate the cost model prices', () => {
    expect(ASSUMPTIONS.apiTraceRate).toBe(rules[0]?.Properties.SamplingRule['FixedRate']);
    expect(API_TRACE_SAMPLING.fixedRate).toBe(ASSUMPTIONS.apiTraceRate);
  });
});
