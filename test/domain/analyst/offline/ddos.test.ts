/**
 * A layer-7 flood from hundreds of thousands of addresses: Shield detects it, the WAF's per-IP
 * rule blocks a few dozen, and the HPA scales the API up in response. The attack is named a DDoS
 * once, with both sightings, and the autoscaler's own rescale is a reaction, not a cause; a person
 * raising the HPA's floor is a change.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { isAutomaticReaction } from '../../../../domain/analyst/offline/evidence/changes.js';
import type { ChangeRecord } from '../../../../domain/ports.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const env: Partial<Scenario['environment']> = {
  services: [api('pay-edge', ['pay-api']), api('pay-api')],
  changes: [
    {
      timestamp: at(-9),
      source: 'kubernetes',
      eventName: 'HorizontalPodAutoscalerRescale',
      service: 'pay-api',
      resource: 'pay/pay-api',
      actor: 'hpa-controller',
      summary: 'pay-api 40 -> 120 replicas (CPU 94%)',
    },
  ],
  securityEvents: [
    {
      timestamp: at(-10),
      kind: 'shield-ddos-detected',
      source: 'aws.shield',
      count: 1,
      detail: 'Layer 7 REQUEST_FLOOD on CloudFront E3P9; peak 78,400 rps (baseline ~3,000 rps)',
    },
    {
      timestamp: at(-9),
      kind: 'waf-block',
      source: 'aws.wafv2',
      count: 2890,
      detail:
        'RateLimitPerIP-2000 blocking only 37 IPs; 212,400 distinct client IPs in 5 min across 147 ASNs',
    },
  ],
  metrics: [
    {
      namespace: 'AWS/ApplicationELB',
      metricName: 'RequestCount',
      service: 'pay-edge',
      dimensions: { LoadBalancer: 'app/pay-edge/1' },
      points: stepPoints(170_000, 1_900_000, -10, 8000),
    },
    {
      namespace: 'AWS/ApplicationELB',
      metricName: 'HTTPCode_ELB_5XX_Count',
      service: 'pay-edge',
      dimensions: { LoadBalancer: 'app/pay-edge/1' },
      points: stepPoints(40, 600_000, -10, 10),
    },
  ],
};

const change = (actor: string, status: string): ChangeRecord => ({
  id: 'c1',
  kind: 'change',
  at: at(-9),
  service: 'pay-api',
  actor,
  status,
  summary: 'minReplicas 24 -> 30',
});

describe('a distributed request flood', () => {
  it('is named a DDoS and blocked, not scaled', async () => {
    const run = await runScenario(scenario('pay-edge', env));
    expect(run.rootCause.category).toBe('security');
    expect(run.rootCause.summary).toMatch(/DDoS/);
    expect(run.rootCause.mitigation?.kind).toBe('block-traffic');
  });

  it("reads the HPA's own rescale as a reaction and a person's HPA patch as a change", () => {
    expect(isAutomaticReaction(change('hpa-controller', 'HorizontalPodAutoscalerRescale'))).toBe(true);
    expect(isAutomaticReaction(change('oncall-traffic', 'PatchHorizontalPodAutoscaler'))).toBe(false);
  });
});
