/**
 * Displaced load: a region that ran out just as its twin elsewhere lost its clients ran out
 * absorbing them. Twins are read from the catalog's shape (copies alike in owner and tier, sharing
 * dependencies but their own load balancer), never from names; a service owned by someone else is
 * not a twin, and without the twin's loss the story stays capacity.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { Catalog } from '../../../../domain/analyst/offline/evidence/catalog.js';
import { twins } from '../../../../domain/analyst/offline/rank/displaced.js';
import { api, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

type Env = Partial<Scenario['environment']>;

const away = 'edge-lb-use1';

const catalog = (awayOwner = 'platform') => [
  api('frontend-usw1', ['edge-lb-usw1', 'sessions']),
  api('frontend-use1', [away, 'sessions']),
  { name: 'sessions', tier: 'critical' as const, owner: 'team' },
  { name: 'edge-lb-usw1', tier: 'critical' as const, owner: 'platform' },
  { name: away, tier: 'critical' as const, owner: awayOwner },
];

const regions = (opts: { loss: boolean; awayOwner?: string }): Env => {
  return {
    services: catalog(opts.awayOwner),
    metrics: [
      {
        namespace: 'AWS/NetworkELB',
        metricName: 'ActiveFlowCount',
        service: away,
        points: stepPoints(1_600_000, opts.loss ? 20_000 : 1_600_000, -10, 20_000),
      },
      {
        namespace: 'AWS/NetworkELB',
        metricName: 'NewFlowCount',
        service: 'edge-lb-usw1',
        points: stepPoints(10_000, 250_000, -10, 500),
      },
      {
        namespace: 'AWS/EC2',
        metricName: 'CPUUtilization',
        service: 'frontend-usw1',
        points: stepPoints(37, 97, -10, 2),
      },
    ],
  };
};

const conclude = async (e: Env) => (await runScenario(scenario('frontend-usw1', e))).rootCause;

describe('twins', () => {
  it('are copies of one service, or the per-copy dependencies of two copies', () => {
    const cat = new Catalog(catalog());
    expect(twins(cat, 'frontend-usw1', 'frontend-use1')).toBe(true);
    expect(twins(cat, 'edge-lb-usw1', away)).toBe(true);
    expect(twins(cat, 'edge-lb-usw1', 'sessions')).toBe(false);
    expect(twins(cat, away, away)).toBe(false);
    expect(twins(new Catalog(catalog('batch')), 'edge-lb-usw1', away)).toBe(false);
  });
});

describe('a region that ran out as its twin lost its clients', () => {
  it('names the twin, and scales the region taking its clients', async () => {
    const rc = await conclude(regions({ loss: true }));
    expect(rc.category).toBe('dependency');
    expect(rc.culprit).toBe('edge-lb-use1');
    expect(rc.mitigation).toMatchObject({ kind: 'scale', target: 'frontend-usw1' });
  });

  it('stays capacity when the twin kept its clients', async () => {
    const rc = await conclude(regions({ loss: false }));
    expect(rc.category).toBe('capacity');
  });

  it('stays capacity when the service that lost clients is not a twin', async () => {
    const rc = await conclude(regions({ loss: true, awayOwner: 'batch' }));
    expect(rc.category).toBe('capacity');
  });
});
