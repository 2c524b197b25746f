/**
 * A dependency that is a network path (an accelerator whose only telemetry is AWS/GlobalAccelerator)
 * failing under the service: the network's fault, routed around rather than restarted. A vendor
 * reached over a VPN keeps the VPN's telemetry but stays a dependency.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const env = (owner: string): Partial<Scenario['environment']> => ({
  services: [
    api('flags-api', ['edge-path']),
    { name: 'edge-path', tier: 'critical' as const, owner, dependsOn: [] },
  ],
  metrics: [
    {
      namespace: 'AWS/GlobalAccelerator',
      metricName: 'NewFlowCount',
      service: 'edge-path',
      dimensions: { Accelerator: 'a1b2', EndpointGroup: 'us-east-2' },
      points: stepPoints(40_000, 40_500, -30),
    },
  ],
  alarmStates: [
    { name: 'edge-canary-success', service: 'edge-path', state: 'ALARM' as const, timestamp: at(-20) },
  ],
  logs: [
    {
      service: 'edge-path',
      timestamp: at(-22),
      level: 'ERROR' as const,
      count: 60,
      message: "Canary step 'getFlags' failed: Error: connect ETIMEDOUT 75.2.104.211:443",
    },
  ],
});

describe('a network path under the service', () => {
  it('is a network cause, routed around', async () => {
    const run = await runScenario(
      scenario('flags-api', env('platform'), 'customers see intermittent connect timeouts'),
    );
    expect(run.rootCause.category).toBe('network');
    expect(run.rootCause.mitigation).toMatchObject({ kind: 'failover', target: 'edge-path' });
  });

  it("stays a vendor's failure when the path is someone else's", async () => {
    const run = await runScenario(
      scenario('flags-api', env('external: peering vendor'), 'customers see intermittent connect timeouts'),
    );
    expect(run.rootCause.category).not.toBe('network');
  });
});
