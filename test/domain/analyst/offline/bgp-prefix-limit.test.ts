/**
 * A peer advertised more routes than the session's maximum-prefix limit and the router shut the
 * session: reachability is lost on the network, and the session must be cleared. The peer's own
 * maintenance minutes earlier is the trigger, not a change of ours to roll back. A session that
 * dropped on its hold timer says nothing about a prefix limit.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const env = (reason: string): Partial<Scenario['environment']> => ({
  services: [
    api('billing-api', ['edge-routers']),
    { name: 'edge-routers', tier: 'critical' as const, owner: 'netops', dependsOn: ['transit-peer'] },
    { name: 'transit-peer', tier: 'high' as const, owner: 'external' },
  ],
  changes: [
    {
      timestamp: at(-12),
      source: 'partner',
      eventName: 'SoftwareUpgrade',
      resource: 'transit peer routers',
      actor: 'peer-noc',
      summary: 'routine software upgrade on the transit peer routers',
      service: 'edge-routers',
    },
  ],
  metrics: [
    {
      namespace: 'AWS/ApplicationELB',
      metricName: 'HTTPCode_Target_5XX_Count',
      service: 'billing-api',
      dimensions: { LoadBalancer: 'app/billing-api/1' },
      points: stepPoints(3, 4000, -10, 2),
    },
  ],
  logs: [
    {
      service: 'edge-routers',
      timestamp: at(-10),
      level: 'NOTICE',
      count: 40,
      message: `RP/0/RSP0/CPU0: edge-1 bgp[1052]: %ROUTING-BGP-5-ADJCHANGE : neighbor 198.51.100.9 Down - ${reason}`,
    },
    {
      service: 'billing-api',
      timestamp: at(-9),
      level: 'ERROR',
      count: 30000,
      message: 'POST /v2/charge -> upstream ledger.corp.internal:8443 connect ETIMEDOUT 10.48.12.30:8443',
    },
  ],
});

describe('a BGP session shut by its maximum-prefix limit', () => {
  it('is a network cause, cleared by restarting the session, not a rollback', async () => {
    const run = await runScenario(
      scenario('billing-api', env('Peer exceeding maximum prefix limit (CEASE notification sent)')),
    );
    expect(run.rootCause.category).toBe('network');
    expect(run.rootCause.mitigation?.kind).toBe('restart');
    expect(run.rootCause.summary).toMatch(/prefix/i);
  });

  it("reads Junos's neighbor state change as a BGP session lost", async () => {
    const base = env('Hold timer expired');
    const run = await runScenario(
      scenario('billing-api', {
        ...base,
        changes: [],
        logs: [
          {
            service: 'edge-routers',
            timestamp: at(-10),
            level: 'WARN',
            count: 12,
            message:
              'edge-1 rpd[2841]: RPD_BGP_NEIGHBOR_STATE_CHANGED: BGP peer 198.51.100.9 (External AS 3356) changed state from Established to Idle (event HoldTime) (instance master)',
          },
          base.logs![1],
        ],
      }),
    );
    expect(run.rootCause.category).toBe('network');
  });

  it('is not claimed for a session that dropped on its hold timer', async () => {
    const run = await runScenario(scenario('billing-api', env('Hold timer expired')));
    expect(run.rootCause.summary).not.toMatch(/prefix limit/i);
  });
});
