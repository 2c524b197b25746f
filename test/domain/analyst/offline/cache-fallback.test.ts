/**
 * A cache full to its limit refuses writes; its caller falls back to the database, whose CPU then
 * climbs. The database is the cache's effect: the cache, which gave way first, is what to give room.
 * Without a caller in common the two failures are not tied.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const env = (apiDeps: string[]): Partial<Scenario['environment']> => ({
  services: [
    api('tasks-api', apiDeps),
    { name: 'tasks-cache', tier: 'high' as const, owner: 'platform', dependsOn: [] },
    { name: 'tasks-db', tier: 'critical' as const, owner: 'data', dependsOn: [] },
  ],
  metrics: [
    {
      namespace: 'AWS/ElastiCache',
      metricName: 'DatabaseMemoryUsagePercentage',
      service: 'tasks-cache',
      dimensions: { CacheClusterId: 'tasks-cache-001' },
      points: stepPoints(93, 99.5, -25, 0.3),
    },
    {
      namespace: 'AWS/RDS',
      metricName: 'CPUUtilization',
      service: 'tasks-db',
      dimensions: { DBInstanceIdentifier: 'tasks-db' },
      points: stepPoints(28, 99, -18, 0.5),
    },
  ],
  logs: [
    {
      service: 'tasks-api',
      timestamp: at(-22),
      level: 'ERROR' as const,
      count: 9000,
      message:
        "Redis::CommandError: OOM command not allowed when used memory > 'maxmemory'. (key q:tasks:42)",
    },
    {
      service: 'tasks-api',
      timestamp: at(-22),
      level: 'WARN' as const,
      count: 9000,
      message: 'QueryCache: write failed, serving from database (fallback)',
    },
    {
      service: 'tasks-api',
      timestamp: at(-16),
      level: 'ERROR' as const,
      count: 3000,
      message: 'Rack::Timeout::RequestTimeoutException: Request ran for longer than 15000ms GET /api/tasks',
    },
    {
      service: 'tasks-db',
      timestamp: at(-17),
      level: 'LOG' as const,
      count: 4000,
      message:
        'LOG:  duration: 6203.551 ms  execute <unnamed>: SELECT "tasks".* FROM "tasks" WHERE "project_id" = $1',
    },
  ],
});

describe('a database behind a full cache', () => {
  it('is the cache’s effect when one caller uses both', async () => {
    const run = await runScenario(
      scenario('tasks-api', env(['tasks-cache', 'tasks-db']), 'tasks API timing out'),
    );
    expect(run.rootCause.category).toBe('capacity');
    expect(run.rootCause.culprit).toBe('tasks-cache');
  });

  it('is not tied to a cache no caller of it uses', async () => {
    const run = await runScenario(scenario('tasks-api', env(['tasks-db']), 'tasks API timing out'));
    expect(run.rootCause.culprit).not.toBe('tasks-cache');
  });
});
