/**
 * A caller wired to the same component in two regions (`edge-ingress-use1`, `edge-ingress-usw2`)
 * fails over to the healthy one when the other fails. A second dependency that is not the same
 * thing elsewhere (`edge-ingress-legacy`) is no standby.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const env = (other: string): Partial<Scenario['environment']> => ({
  services: [
    api('pay-gateway', ['edge-ingress-use1', other]),
    api('edge-ingress-use1', [], { userFacing: false }),
    api(other, [], { userFacing: false }),
  ],
  metrics: [
    {
      namespace: 'Test/Probes',
      metricName: 'SuccessPercent',
      service: 'edge-ingress-use1',
      dimensions: { Target: 'edge-ingress-use1' },
      points: stepPoints(100, 55, -8, 1),
    },
    {
      namespace: 'Test/Probes',
      metricName: 'SuccessPercent',
      service: other,
      dimensions: { Target: other },
      points: stepPoints(100, 100, -8, 1),
    },
  ],
  logs: [
    {
      service: 'pay-gateway',
      timestamp: at(-8),
      level: 'ERROR',
      count: 4000,
      message: 'upstream request to edge-ingress-use1 failed: connect timeout after 10000ms',
    },
  ],
});

describe('a dependency with a copy in another region', () => {
  it('fails over to the healthy regional copy', async () => {
    const run = await runScenario(scenario('pay-gateway', env('edge-ingress-usw2')));
    expect(run.rootCause.mitigation).toMatchObject({
      kind: 'failover',
      params: { from: 'edge-ingress-use1', to: 'edge-ingress-usw2' },
    });
  });

  it('does not take a differently named sibling for a standby', async () => {
    const run = await runScenario(scenario('pay-gateway', env('edge-ingress-legacy')));
    expect(run.rootCause.mitigation?.params?.to).not.toBe('edge-ingress-legacy');
  });
});
