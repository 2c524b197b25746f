/**
 * Packets lost on the way out of one Availability Zone: 5xx and origin timeouts kept per zone rise
 * in us-east-1c alone while 1a and 1b hold. Traffic is shifted away from the zone. When every
 * zone fails alike, no zone is to blame and nothing is shifted.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const perZone = (zones: Record<string, boolean>) =>
  Object.entries(zones).map(([zone, bad]) => ({
    namespace: 'AWS/ApplicationELB',
    metricName: 'HTTPCode_Target_5XX_Count',
    dimensions: { LoadBalancer: 'app/render-api/7e3a', AvailabilityZone: zone },
    service: 'render-api',
    points: stepPoints(20, bad ? 5000 : 20, -20, 3),
  }));

const env = (zones: Record<string, boolean>): Partial<Scenario['environment']> => ({
  services: [
    api('render-api', ['origin-egress']),
    { name: 'origin-egress', tier: 'critical' as const, owner: 'sre' },
  ],
  metrics: [
    ...perZone(zones),
    {
      namespace: 'AWS/NATGateway',
      metricName: 'PacketsDropCount',
      dimensions: { NatGatewayId: 'nat-0c1e' },
      service: 'origin-egress',
      points: stepPoints(3, 30_000, -20, 1),
    },
  ],
});

describe('one Availability Zone impaired', () => {
  it('shifts traffic away from the zone that alone went bad', async () => {
    const { rootCause } = await runScenario(
      scenario('render-api', env({ 'us-east-1a': false, 'us-east-1b': false, 'us-east-1c': true })),
    );
    expect(rootCause.category).toBe('network');
    expect(rootCause.culprit).toContain('us-east-1c');
    expect(rootCause.mitigation).toMatchObject({ kind: 'failover', params: { from: 'us-east-1c' } });
  });

  it('shifts nothing when every zone fails alike', async () => {
    const { rootCause } = await runScenario(
      scenario('render-api', env({ 'us-east-1a': true, 'us-east-1b': true, 'us-east-1c': true })),
    );
    expect(rootCause.mitigation?.kind).not.toBe('failover');
  });
});
