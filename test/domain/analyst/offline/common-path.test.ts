/**
 * A service that loses its cache and its database in the same minute, neither failing on its own,
 * lost what they share: a network change shortly before is the lead. Losing only one of them is
 * that one's story.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

type Log = NonNullable<Scenario['environment']['logs']>[number];

const env = (both: boolean, changed = true): Partial<Scenario['environment']> => ({
  services: [
    api('market', ['session-cache', 'listings-db']),
    { name: 'session-cache', tier: 'critical' as const, owner: 'platform' },
    { name: 'listings-db', tier: 'critical' as const, owner: 'data' },
    { name: 'index-pusher', tier: 'internal' as const, owner: 'search' },
  ],
  changes: changed
    ? [
        {
          timestamp: at(-15),
          eventName: 'CreateTransitGatewayRoute',
          service: 'index-pusher',
          resource: 'tgw-rtb-0a1b2c',
          actor: 'arn:aws:sts::111122223333:assumed-role/ops-admin/j.doe',
          summary:
            'Static route 10.40.0.0/16 added on the shared transit gateway route table for the index push',
        },
      ]
    : [],
  metrics: [
    {
      namespace: 'AWS/ApplicationELB',
      metricName: 'HTTPCode_ELB_504_Count',
      service: 'market',
      points: stepPoints(3, 4000, -8, 1),
    },
  ],
  logs: [
    {
      service: 'market',
      timestamp: at(-8),
      level: 'ERROR',
      count: 80_000,
      message:
        'Predis\\Connection\\ConnectionException: Connection timed out [tcp://session-cache.use1.cache.amazonaws.com:6379]',
    },
    ...(both
      ? [
          {
            service: 'market',
            timestamp: at(-8),
            level: 'ERROR',
            count: 40_000,
            message:
              'PDOException: SQLSTATE[HY000] [2002] Connection timed out (listings-db.cluster-ro.rds.amazonaws.com:3306)',
          } satisfies Log,
        ]
      : []),
  ],
});

describe('common path', () => {
  it('blames the network change when two unrelated dependencies are lost together', async () => {
    const run = await runScenario(scenario('market', env(true)));
    expect(run.rootCause.category).toBe('network');
    expect(run.rootCause.summary).toContain('became unreachable together');
  });

  it('with no change to blame, names the network path itself and proposes nothing to run', async () => {
    const run = await runScenario(scenario('market', env(true, false)));
    expect(run.rootCause.category).toBe('network');
    expect(run.rootCause.culprit).toBe('the network path from market');
    expect(run.rootCause.summary).toContain('became unreachable together');
    expect(run.rootCause.mitigation).toBeNull();
  });

  it('leaves one lost dependency its own story', async () => {
    const run = await runScenario(scenario('market', env(false)));
    expect(run.rootCause.summary).not.toContain('became unreachable together');
    const alone = await runScenario(scenario('market', env(false, false)));
    expect(alone.rootCause.category).not.toBe('network');
  });
});
