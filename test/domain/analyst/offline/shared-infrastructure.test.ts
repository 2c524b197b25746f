/**
 * A change to something the catalog does not connect to the incident is related when its own
 * series and several other services' broke in the same few minutes: shared hosts, a fleet.
 */
import { describe, expect, it } from 'vitest';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const series = (service: string, metricName: string, base: number, after: number, stepAt = -10) => ({
  namespace: 'Test',
  metricName,
  service,
  points: stepPoints(base, after, stepAt, base * 0.02),
});

const fleetChange = {
  timestamp: at(-10.2),
  eventName: 'SendCommand',
  service: 'fleet',
  resource: 'patch-hosts',
  summary: 'run patch-hosts on the production fleet',
};

const services = [
  api('shop', ['registry', 'orders-db']),
  { name: 'registry', tier: 'critical' as const },
  { name: 'orders-db', tier: 'critical' as const },
  { name: 'fleet', tier: 'internal' as const },
];

describe('changes to shared infrastructure', () => {
  it('ties a change to the incident when everything broke with it', async () => {
    const { rootCause: rc } = await runScenario(
      scenario('shop', {
        services,
        changes: [fleetChange],
        metrics: [
          series('fleet', 'RunningTaskCount', 1800, 12),
          series('shop', 'HTTPCode_ELB_5XX_Count', 5, 30_000),
          series('registry', 'raft_leader_lastContact', 45, 0),
          series('orders-db', 'DatabaseConnections', 340, 4),
        ],
      }),
    );
    expect(rc.category).toBe('configuration');
    expect(rc.culprit).toBe('patch-hosts');
  });

  it('leaves it unrelated when only its own resources moved', async () => {
    const { rootCause: rc } = await runScenario(
      scenario('shop', {
        services,
        changes: [fleetChange],
        metrics: [
          series('fleet', 'RunningTaskCount', 1800, 12),
          series('shop', 'HTTPCode_ELB_5XX_Count', 5, 30_000, -30),
          series('registry', 'raft_leader_lastContact', 45, 45),
          series('orders-db', 'DatabaseConnections', 340, 340),
        ],
      }),
    );
    expect(rc.culprit).not.toBe('patch-hosts');
  });
});
