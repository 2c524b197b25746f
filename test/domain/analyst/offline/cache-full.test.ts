/**
 * A cache that is full needs room: its callers quoting Redis' refusal are talking about the cache,
 * which is scaled, and its memory creeping up is what it holds, not a leak. A database we run that
 * is short of memory stays a database cause.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const env = (
  namespace: 'AWS/ElastiCache' | 'AWS/RDS',
  store: string,
  quoted = true,
): Partial<Scenario['environment']> => ({
  services: [api('sites', [store]), { name: store, tier: 'critical' as const, owner: 'platform' }],
  metrics: [
    {
      namespace,
      metricName: namespace === 'AWS/ElastiCache' ? 'DatabaseMemoryUsagePercentage' : 'FreeableMemory',
      service: store,
      dimensions:
        namespace === 'AWS/ElastiCache'
          ? { CacheClusterId: `${store}-001` }
          : { DBInstanceIdentifier: store },
      points:
        namespace === 'AWS/ElastiCache'
          ? stepPoints(0, 0, -60).map(([t], i) => [t, Math.min(100, 80 + i * 0.5)] as [string, number])
          : stepPoints(4e9, 5e7, -12),
    },
    {
      namespace: 'AWS/ApplicationELB',
      metricName: 'HTTPCode_Target_5XX_Count',
      service: 'sites',
      points: stepPoints(1, 900, -10, 1),
    },
  ],
  logs: [
    {
      service: 'sites',
      timestamp: at(-10),
      level: 'ERROR',
      count: 40_000,
      message:
        namespace === 'AWS/ElastiCache' && quoted
          ? "Redis::CommandError: OOM command not allowed when used memory > 'maxmemory'."
          : 'upstream request failed: 503 after 30000ms',
    },
  ],
});

describe('a full cache', () => {
  it('is a capacity cause on the cache, scaled, not a database failure or a leak', async () => {
    const run = await runScenario(scenario('sites', env('AWS/ElastiCache', 'page-cache')));
    expect(run.rootCause.culprit).toBe('page-cache');
    expect(run.rootCause.category).toBe('capacity');
    expect(run.rootCause.mitigation).toMatchObject({ kind: 'scale', target: 'page-cache' });
  });

  it('is the cache filling, not leaking, when its callers only time out', async () => {
    const run = await runScenario(scenario('sites', env('AWS/ElastiCache', 'page-cache', false)));
    expect(run.rootCause.culprit).toBe('page-cache');
    expect(run.rootCause.category).toBe('capacity');
    expect(run.rootCause.mitigation).toMatchObject({ kind: 'scale', target: 'page-cache' });
  });

  it('leaves a database short of memory a database cause', async () => {
    const run = await runScenario(scenario('sites', env('AWS/RDS', 'orders-db')));
    expect(run.rootCause.culprit).toBe('orders-db');
    expect(run.rootCause.category).toBe('database');
  });
});
