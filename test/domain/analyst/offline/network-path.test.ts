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

/** A connector reached over VPN tunnels; its calls to the far end go unanswered. */
const tunnelEnv = (tunnelsDown: boolean): Partial<Scenario['environment']> => ({
  services: [
    api('pay-gateway', ['scheme-link']),
    { name: 'scheme-link', tier: 'critical' as const, owner: 'payments', dependsOn: [] },
  ],
  metrics: [
    {
      namespace: 'AWS/VPN',
      metricName: 'TunnelState',
      service: 'scheme-link',
      dimensions: { VpnId: 'vpn-0a1' },
      points: stepPoints(1, tunnelsDown ? 0 : 1, -20, 0),
    },
    {
      namespace: 'AWS/VPN',
      metricName: 'TunnelDataOut',
      service: 'scheme-link',
      dimensions: { VpnId: 'vpn-0a1' },
      points: stepPoints(4_100_000, 600_000, -20, 50_000),
    },
  ],
  alarmStates: [
    {
      name: 'scheme-link-upstream-timeouts',
      service: 'scheme-link',
      state: 'ALARM' as const,
      timestamp: at(-18),
    },
  ],
  logs: [
    {
      service: 'scheme-link',
      timestamp: at(-20),
      level: 'ERROR' as const,
      count: 7_800,
      message: 'dc=dc2 scheme=MC mti=0100 no response within 15000 ms, marking timeout',
    },
  ],
});

describe('a path whose tunnels say they are up', () => {
  it('is not the network: the far end stopped answering, and nothing is rerouted', async () => {
    const run = await runScenario(scenario('pay-gateway', tunnelEnv(false), 'card authorizations failing'));
    expect(run.rootCause.category).not.toBe('network');
    expect(run.rootCause.mitigation?.kind).not.toBe('failover');
  });

  it('is the network when a tunnel went down', async () => {
    const run = await runScenario(scenario('pay-gateway', tunnelEnv(true), 'card authorizations failing'));
    expect(run.rootCause.category).toBe('network');
  });
});
