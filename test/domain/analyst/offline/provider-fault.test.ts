/**
 * A managed cache the platform reports a fault on, minutes before our calls to it time out: the
 * failure is the provider's. When the platform's record says the primary failed, its replica is
 * promoted; when it says maintenance with no primary named, nothing of ours undoes it. The same
 * record written by one of our own roles is a change of ours, and proves no provider fault.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { isPlatformEvent } from '../../../../domain/analyst/offline/evidence/change-flavor.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const env = (record: Scenario['environment']['changes'][number]): Partial<Scenario['environment']> => ({
  services: [
    api('orders-api', ['orders-cache']),
    { name: 'orders-cache', tier: 'critical' as const, owner: 'platform', dependsOn: [] },
  ],
  changes: [record],
  metrics: [
    {
      namespace: 'AWS/ElastiCache',
      metricName: 'StringBasedCmdsLatency',
      service: 'orders-cache',
      dimensions: { ReplicationGroupId: 'orders-cache' },
      points: stepPoints(180, 9000, -15, 20),
    },
    {
      namespace: 'AWS/ApplicationELB',
      metricName: 'HTTPCode_Target_5XX_Count',
      service: 'orders-api',
      points: stepPoints(2, 300, -14, 1),
    },
  ],
  logs: [
    {
      service: 'orders-api',
      timestamp: at(-14),
      level: 'ERROR' as const,
      count: 3000,
      message: '[ioredis] Error: connect ETIMEDOUT (orders-cache.x1.ng.0001.use1.cache.amazonaws.com:6379)',
    },
  ],
});

const platform = (summary: string) => ({
  timestamp: at(-16),
  source: 'elasticache',
  eventName: 'CacheClusterEvent',
  service: 'orders-cache',
  resource: 'orders-cache',
  summary,
});

describe('a fault the platform reports on a managed datastore', () => {
  it('is read as the platform speaking, not a change of ours', () => {
    const record = { id: 'c', kind: 'change' as const, at: at(0), summary: 'x', source: 'elasticache' };
    expect(isPlatformEvent(record)).toBe(true);
    expect(isPlatformEvent({ ...record, actor: 'arn:aws:sts::1:assumed-role/ops/ana' })).toBe(false);
  });

  it("is the provider's, and its replica is promoted when the primary failed", async () => {
    const run = await runScenario(
      scenario(
        'orders-api',
        env(platform('Recovering cache nodes 0001 (primary, us-east-1d)')),
        'orders failing',
      ),
    );
    expect(run.rootCause.category).toBe('dependency');
    expect(run.rootCause.mitigation).toMatchObject({ kind: 'failover', target: 'orders-cache' });
  });

  it('proposes nothing of ours for maintenance with no primary named', async () => {
    const run = await runScenario(
      scenario('orders-api', env(platform('Applying off-line patches to the cache nodes')), 'orders failing'),
    );
    expect(run.rootCause.category).toBe('dependency');
    expect(run.rootCause.mitigation).toBeNull();
  });

  it('is not claimed for a change one of our roles made', async () => {
    const ours = {
      ...platform('ModifyReplicationGroup orders-cache: node type cache.r6g.large -> cache.t4g.small'),
      source: 'cloudtrail',
      eventName: 'ModifyReplicationGroup',
      actor: 'arn:aws:sts::111122223333:assumed-role/platform-deployer/ci',
    };
    const run = await runScenario(scenario('orders-api', env(ours), 'orders failing'));
    expect(run.rootCause.category).not.toBe('dependency');
  });
});
