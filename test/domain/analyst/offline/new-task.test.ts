/**
 * A scheduled task that runs for the first time an hour after a release of the code behind it, and
 * right after it starts the database it queries runs out of CPU: the release brought the new work
 * and is rolled back. The same task, seen running the day before too, is routine.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const TASK = 'Scheduler: Sending due task sync-usage-counts (app.tasks.sync_usage_counts)';

const env = (ranBefore: boolean): Partial<Scenario['environment']> => ({
  services: [
    api('analytics-app', ['events-db', 'task-workers']),
    { name: 'task-workers', tier: 'high' as const, owner: 'app', dependsOn: ['events-db'] },
    { name: 'events-db', tier: 'critical' as const, owner: 'data' },
  ],
  deployments: [
    {
      service: 'analytics-app',
      version: 'v765',
      previousVersion: 'v764',
      startedAt: at(-58),
      completedAt: at(-54),
      status: 'succeeded',
      description:
        'Release train: events view, insight caching; image shared by analytics-app and task-workers',
    },
  ],
  metrics: [
    {
      namespace: 'AWS/EC2',
      metricName: 'CPUUtilization',
      service: 'events-db',
      points: stepPoints(30, 95, -3, 2),
    },
  ],
  logs: [
    ...(ranBefore
      ? [{ service: 'task-workers', timestamp: at(-600), level: 'INFO', count: 1, message: TASK }]
      : []),
    { service: 'task-workers', timestamp: at(-4), level: 'INFO', count: 1, message: TASK },
    {
      service: 'analytics-app',
      timestamp: at(-2),
      level: 'ERROR',
      count: 2800,
      message: 'ServerException: Code: 202. DB::Exception: Too many simultaneous queries. Maximum: 100.',
    },
  ],
});

describe('new work a release brought', () => {
  it('rolls back the release whose scheduled task ran for the first time as the database ran out', async () => {
    const run = await runScenario(scenario('analytics-app', env(false)));
    expect(run.rootCause.category).toBe('deployment');
    expect(run.rootCause.culprit).toBe('v765');
    expect(run.rootCause.mitigation?.kind).toBe('rollback');
  });

  it('does not blame the release for a task that already ran the day before', async () => {
    const run = await runScenario(scenario('analytics-app', env(true)));
    expect(run.rootCause.summary).not.toContain('brought new work');
  });
});
