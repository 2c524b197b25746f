/**
 * A change to something the catalog does not connect to the incident is related when its own
 * series and several other services' broke in the same few minutes: shared hosts, a fleet.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../../domain/analyst/offline/analysis.js';
import { gather } from '../../../../domain/analyst/offline/evidence/gather.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { contextFor, runScenario } from './harness.js';

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

  it('prefers the change its service had already started to go wrong after over a later deploy', async () => {
    // Rules pushed at -40 and the hosts' CPU rose with them; an upgrade at -25 came after.
    const dnsCpu = {
      namespace: 'AWS/EC2',
      metricName: 'CPUUtilization',
      service: 'dns',
      unit: 'Percent',
      points: stepPoints(18, 60, -40, 1).map(([t, v], i) => [t, i >= 40 ? 99 : v] as [string, number]),
    };
    const incident = (deployAt: number) =>
      scenario('pay', {
        services: [api('pay', ['dns']), { name: 'dns', tier: 'critical' as const }],
        deployments: [
          {
            service: 'dns',
            version: 'dns-2',
            previousVersion: 'dns-1',
            startedAt: at(deployAt - 4),
            completedAt: at(deployAt),
          },
        ],
        changes: [
          {
            timestamp: at(-40.3),
            eventName: 'PublishPolicy',
            service: 'dns',
            resource: 'fw-policy-r3',
            summary: 'host firewall policy r3 pushed to all fleets',
          },
        ],
        metrics: [dnsCpu, series('pay', 'HTTPCode_Target_5XX_Count', 10, 9000, -18)],
      });
    const s = incident(-20);
    expect((await runScenario(s)).rootCause.culprit).toBe('fw-policy-r3');
    const { env, ctx } = contextFor(s);
    const deploy = analyze(await gather(env, ctx)).changes.find((c) => c.change.kind === 'deployment');
    expect(deploy?.against).toMatch(/CPUUtilization on dns had already moved after host firewall policy r3/);
  });
});
