/**
 * Memory that climbs while the day's requests ramp up is load on pods sized too small (their
 * autoscaler watching CPU only), to be scaled; the same climb under flat traffic is a leak, to be
 * restarted and fixed. A ramp has no onset to find: it is read from the window's first and last
 * quarters.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario } from './fixtures.js';
import { runScenario } from './harness.js';

/** One point a minute over the hour before the alert. */
const minutes = (f: (m: number) => number): Array<[string, number]> =>
  Array.from({ length: 61 }, (_, i) => [at(i - 60), f(i - 60)] as [string, number]);

const env = (ramp: boolean): Partial<Scenario['environment']> => ({
  services: [api('www-api', ['www-db']), { name: 'www-db', tier: 'critical' as const, owner: 'infra' }],
  metrics: [
    {
      namespace: 'AWS/ApplicationELB',
      metricName: 'RequestCount',
      service: 'www-api',
      points: minutes((m) => (ramp ? 37_000 + (m + 60) * 420 : 40_000) + ((m * 7) % 5) * 300),
    },
    {
      namespace: 'ContainerInsights',
      metricName: 'pod_memory_utilization_over_pod_limit',
      service: 'www-api',
      points: minutes((m) => Math.min(98.4, 78 + (m + 60) * 0.45)),
    },
    {
      namespace: 'AWS/ApplicationELB',
      metricName: 'TargetResponseTime',
      service: 'www-api',
      points: minutes((m) => (m < -25 ? 0.8 : 20)),
    },
  ],
  logs: [
    {
      service: 'www-api',
      timestamp: at(-22),
      level: 'ERROR',
      count: 17,
      message:
        'FATAL ERROR: Ineffective mark-compacts near heap limit Allocation failed - JavaScript heap out of memory',
    },
  ],
});

describe('memory running out', () => {
  it('under the day’s ramp of requests is capacity, scaled', async () => {
    const run = await runScenario(scenario('www-api', env(true), 'www-api slow'));
    expect(run.rootCause.category).toBe('capacity');
    expect(run.rootCause.mitigation).toMatchObject({ kind: 'scale', target: 'www-api' });
  });

  it('under flat traffic is a leak', async () => {
    const run = await runScenario(scenario('www-api', env(false), 'www-api slow'));
    expect(run.rootCause.summary).toContain('leaking memory');
  });
});
