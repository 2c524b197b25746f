/**
 * A canary's failed runs speak for one prober. When the service's own load balancer counts its
 * users' requests answered as before, the canary failing is not users failing: nothing is wrong
 * with the service. When the real requests fail too, it is impact like any other.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const env = (usersFail: boolean): Partial<Scenario['environment']> => ({
  services: [api('home-web')],
  // The prober reports its own failed runs among the service's lines.
  logs: [
    {
      service: 'home-web',
      timestamp: at(-3),
      level: 'ERROR',
      count: 6,
      message: 'ERROR: Canary error:  TimeoutError: Navigation timeout of 30000 ms exceeded',
    },
  ],
  metrics: [
    {
      namespace: 'CloudWatchSynthetics',
      metricName: 'SuccessPercent',
      service: 'home-web',
      dimensions: { CanaryName: 'home-page' },
      points: stepPoints(100, 0, -3, 0),
    },
    {
      namespace: 'CloudWatchSynthetics',
      metricName: 'Duration',
      service: 'home-web',
      dimensions: { CanaryName: 'home-page' },
      points: stepPoints(2_300, 30_000, -3, 200),
    },
    {
      namespace: 'AWS/ApplicationELB',
      metricName: 'RequestCount',
      service: 'home-web',
      dimensions: { LoadBalancer: 'app/home/3a8e' },
      points: stepPoints(1_200, 1_200, -3, 80),
    },
    {
      namespace: 'AWS/ApplicationELB',
      metricName: 'TargetResponseTime',
      service: 'home-web',
      dimensions: { LoadBalancer: 'app/home/3a8e' },
      // A little slower as the canary ran: minor, as one slow probe page leaves it.
      points: stepPoints(0.2, usersFail ? 4 : 0.55, -3, 0.02),
    },
    {
      namespace: 'AWS/ApplicationELB',
      metricName: 'HTTPCode_Target_5XX_Count',
      service: 'home-web',
      dimensions: { LoadBalancer: 'app/home/3a8e' },
      points: usersFail ? stepPoints(1, 1_100, -3, 1) : stepPoints(0, 0, -3, 0),
    },
  ],
});

const conclude = async (usersFail: boolean) =>
  (
    await runScenario(
      scenario('home-web', env(usersFail), 'SuccessPercent for CanaryName home-page below 90'),
    )
  ).rootCause;

describe('a canary failing', () => {
  it("is no harm while the load balancer answers users' requests as before", async () => {
    const rc = await conclude(false);
    expect(rc.category).toBe('healthy');
    expect(rc.mitigation).toBeNull();
    expect(rc.summary).toContain('synthetic check');
  });

  it('is harm when the real requests fail as well', async () => {
    const rc = await conclude(true);
    expect(rc.category).not.toBe('healthy');
  });
});
