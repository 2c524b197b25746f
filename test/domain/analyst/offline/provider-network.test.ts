/**
 * A provider's notice that instances in one zone lost network connectivity (a network device
 * fault), followed by our service failing its calls to a host the notice lists, is a network
 * failure that is the provider's: routed around its zone, nothing of ours reverted. The same
 * provider reporting a degraded *service* (volumes) stays a dependency.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

type Env = Scenario['environment'];

const env = (notice: string): Partial<Env> => ({
  services: [api('storefront', ['session-cache']), { name: 'session-cache', tier: 'critical' as const }],
  metrics: [
    {
      namespace: 'AWS/ApplicationELB',
      metricName: 'HTTPCode_Target_5XX_Count',
      service: 'storefront',
      points: stepPoints(3, 900, -8, 1),
    },
  ],
  changes: [
    {
      timestamp: at(-9),
      source: 'aws-health',
      eventName: 'AWS_EC2_OPERATIONAL_ISSUE',
      service: 'session-cache',
      resource: 'use2-az1 rack serving cache-node-07, cache-node-08',
      actor: 'AWS',
      summary: notice,
    },
  ],
  logs: [
    {
      service: 'storefront',
      timestamp: at(-8),
      level: 'ERROR',
      count: 12_000,
      message: 'redis: connection to cache-node-07.internal:6379 timed out after 500ms',
    },
  ],
});

describe('a provider notice about network connectivity', () => {
  it('is a network cause, failed over away from the zone it names', async () => {
    const run = await runScenario(
      scenario(
        'storefront',
        env('Loss of network connectivity for some instances in use2-az1 due to a network device fault'),
      ),
    );
    expect(run.rootCause.category).toBe('network');
    expect(run.rootCause.culprit).toContain('cache-node-07');
    expect(run.rootCause.mitigation).toMatchObject({
      kind: 'failover',
      target: 'storefront',
      params: { from: 'use2-az1' },
    });
  });

  it('stays a dependency when the provider reports its service degraded, not the network', async () => {
    const run = await runScenario(
      scenario(
        'storefront',
        env('Degraded performance of the underlying hosts for some instances in use2-az1'),
      ),
    );
    expect(run.rootCause.category).not.toBe('network');
  });
});
