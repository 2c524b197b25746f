/**
 * A utilisation that rose with the traffic but stayed far from its ceiling (CPU from 10% to 28%)
 * left headroom: the service did not run out of it. Near the ceiling, it did.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const env = (cpuAfter: number): Partial<Scenario['environment']> => ({
  services: [api('search-front')],
  metrics: [
    {
      namespace: 'AWS/EC2',
      metricName: 'CPUUtilization',
      service: 'search-front',
      dimensions: { AutoScalingGroupName: 'search-front' },
      points: stepPoints(10, cpuAfter, -20, 0.5),
    },
    {
      namespace: 'AWS/ApplicationELB',
      metricName: 'RequestCount',
      service: 'search-front',
      dimensions: { LoadBalancer: 'app/search-front/1' },
      points: stepPoints(30000, 150000, -20, 500),
    },
    {
      namespace: 'AWS/ApplicationELB',
      metricName: 'HTTPCode_Target_5XX_Count',
      service: 'search-front',
      dimensions: { LoadBalancer: 'app/search-front/1' },
      points: stepPoints(1, 300, -20, 1),
    },
  ],
  logs: [
    {
      service: 'search-front',
      timestamp: at(-19),
      level: 'ERROR',
      count: 4000,
      message: 'request failed: 503 Service Unavailable',
    },
  ],
});

describe('a utilisation that rose', () => {
  it('is not read as running out while far from its ceiling', async () => {
    const run = await runScenario(scenario('search-front', env(28)));
    expect(run.rootCause.summary).not.toMatch(/out of CPU/);
  });

  it('is read as running out near its ceiling', async () => {
    const run = await runScenario(scenario('search-front', env(97)));
    expect(run.rootCause.summary).toMatch(/out of CPU/);
  });
});
