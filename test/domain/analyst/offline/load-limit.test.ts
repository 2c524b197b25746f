/**
 * A load limit is the load's symptom when the load came first, and traffic the edge's own tooling
 * vouches for is demand, not an attack:
 * - "too many open files" that began just after everyone's requests multiplied is capacity,
 *   scaled; with the requests flat it stays the process's own defect;
 * - a rate rule whose blocks it calls valid, authenticated operations, beside a DDoS detector that
 *   says "possible … no attack vector confirmed", is not hostile traffic; the detector alone is.
 * Each rule with its negative, on small synthetic evidence.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

type Env = Partial<Scenario['environment']>;

const gateway = (surge: boolean, security: Env['securityEvents'] = []): Env => ({
  services: [api('gateway', ['routing'], { alarms: ['gateway-5xx'] }), api('routing')],
  metrics: [
    {
      namespace: 'AWS/ApplicationELB',
      metricName: 'RequestCount',
      service: 'gateway',
      dimensions: { LoadBalancer: 'app/gateway/1a2b' },
      points: stepPoints(30_000, surge ? 250_000 : 30_000, -12, 1_000),
    },
    {
      namespace: 'AWS/ECS',
      metricName: 'CPUUtilization',
      service: 'gateway',
      dimensions: { ClusterName: 'edge', ServiceName: 'gateway' },
      points: stepPoints(42, surge ? 96 : 42, -11, 3),
    },
    {
      namespace: 'AWS/ApplicationELB',
      metricName: 'HTTPCode_ELB_5XX_Count',
      service: 'gateway',
      dimensions: { LoadBalancer: 'app/gateway/1a2b' },
      points: stepPoints(20, 60_000, -11, 10),
    },
  ],
  logs: [
    {
      service: 'gateway',
      timestamp: at(-11),
      level: 'WARN',
      count: 2_400,
      message: 'http: Accept error: accept tcp [::]:8080: accept4: too many open files; retrying in 5ms',
    },
  ],
  securityEvents: security,
});

const flags = (vouched: boolean): Env['securityEvents'] => [
  {
    timestamp: at(-10),
    kind: 'shield-event',
    source: 'AWS Shield',
    count: 1,
    detail:
      'Possible DDoS on arn:aws:cloudfront::123456789012:distribution/E2EXAMPLE: request flood, no attack vector confirmed',
  },
  ...(vouched
    ? [
        {
          timestamp: at(-10),
          kind: 'waf-block',
          source: 'edge-waf',
          count: 30_000,
          detail:
            'rate-based rule per-ip-2000 blocks; valid API operations with valid customer JWT credentials',
        },
      ]
    : []),
];

const conclude = async (e: Env) => (await runScenario(scenario('gateway', e))).rootCause;

describe('a load limit after a surge of requests', () => {
  it('is capacity, scaled, when everyone’s requests multiplied first', async () => {
    const rc = await conclude(gateway(true));
    expect(rc.category).toBe('capacity');
    expect(rc.culprit).toBe('gateway');
    expect(rc.mitigation).toMatchObject({ kind: 'scale', target: 'gateway' });
    expect(rc.summary).toContain('traffic surge');
  });

  it('stays the process’s own defect when the requests did not grow', async () => {
    const rc = await conclude(gateway(false));
    expect(rc.category).toBe('code');
  });
});

describe('traffic the edge vouches for', () => {
  it('is demand when a flag calls the requests valid and the DDoS flag is hedged', async () => {
    const rc = await conclude(gateway(true, flags(true)));
    expect(rc.category).toBe('capacity');
    expect(rc.mitigation?.kind).toBe('scale');
  });

  it('is an attack when only the DDoS detector speaks', async () => {
    const rc = await conclude(gateway(true, flags(false)));
    expect(rc.category).toBe('security');
    expect(rc.mitigation?.kind).toBe('block-traffic');
  });
});
