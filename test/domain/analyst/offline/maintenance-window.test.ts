/**
 * A maintenance window's opening announces work and does none: when the change made in it is on
 * record (a route propagated into the core route table), that change is the suspect. With nothing
 * recorded inside it, the window stands for the work.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const env = (withRoute: boolean): Partial<Scenario['environment']> => ({
  services: [
    api('storefront', ['network-core']),
    { name: 'network-core', tier: 'critical' as const, owner: 'net' },
  ],
  changes: [
    {
      timestamp: at(-4),
      eventName: 'MaintenanceWindowStart',
      service: 'network-core',
      resource: 'CHG-1207',
      actor: 'network-team',
      summary: 'Planned maintenance: add scrubbing capacity in us-east-1. No impact expected.',
    },
    ...(withRoute
      ? [
          {
            timestamp: at(-1),
            eventName: 'EnableTransitGatewayRouteTablePropagation',
            service: 'network-core',
            resource: 'core-tgw-route-table',
            actor: 'arn:aws:sts::111122223333:assumed-role/NetworkAdmin/ops',
            summary: 'Enable route propagation from tgw-attach-0abc into core-tgw-route-table',
          },
        ]
      : []),
  ],
  metrics: [
    {
      namespace: 'AWS/ApplicationELB',
      metricName: 'HTTPCode_Target_5XX_Count',
      service: 'storefront',
      points: stepPoints(2, 3000, -1, 1),
    },
  ],
  logs: [
    {
      service: 'storefront',
      timestamp: at(-1),
      level: 'ERROR',
      count: 40_000,
      message: 'GET /api/cart 500 Internal Server Error',
    },
  ],
});

describe('a maintenance window opening', () => {
  it('names the change made in the window, not the window', async () => {
    const run = await runScenario(scenario('storefront', env(true)));
    expect(run.rootCause.culprit).toBe('core-tgw-route-table');
    expect(run.rootCause.category).toBe('network');
  });

  it('stands for the work when nothing inside it is on record', async () => {
    const run = await runScenario(scenario('storefront', env(false)));
    expect(run.rootCause.culprit).toBe('CHG-1207');
  });
});
