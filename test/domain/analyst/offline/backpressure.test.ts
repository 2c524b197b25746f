/**
 * A broker fills when the services that drain it stop: its memory alarm, after a client of it
 * began failing its writes to a database we run (whose own heap ran out), is the database's
 * effect. Without a client that stalled, the broker's alarm stands on its own.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

type Log = NonNullable<Scenario['environment']['logs']>[number];

const env = (clientStalls: boolean): Partial<Scenario['environment']> => ({
  services: [
    api('ingest', ['broker']),
    { name: 'broker', tier: 'critical' as const, owner: 'platform' },
    { name: 'indexer', tier: 'high' as const, owner: 'storage', dependsOn: ['broker', 'tsdb-cassandra'] },
    { name: 'tsdb-cassandra', tier: 'critical' as const, owner: 'storage' },
  ],
  metrics: [
    {
      namespace: 'AWS/ApplicationELB',
      metricName: 'HTTPCode_Target_5XX_Count',
      service: 'ingest',
      points: stepPoints(2, 3000, -2, 1),
    },
  ],
  logs: [
    {
      service: 'tsdb-cassandra',
      timestamp: at(-20),
      level: 'ERROR',
      count: 6,
      message:
        'Exception in thread Thread[MutationStage:88,5,main] java.lang.OutOfMemoryError: Java heap space',
    },
    ...(clientStalls
      ? [
          {
            service: 'indexer',
            timestamp: at(-19),
            level: 'ERROR',
            count: 30_000,
            message: 'write to tsdb failed, batch requeued: operation timed out after 5000ms',
          } satisfies Log,
        ]
      : []),
    {
      service: 'broker',
      timestamp: at(-3),
      level: 'WARN',
      count: 1,
      message:
        "memory resource limit alarm set on node 'rabbit@ip-10-0-3-12'. Publishers will be blocked until this alarm clears",
    },
    {
      service: 'ingest',
      timestamp: at(-2),
      level: 'ERROR',
      count: 50_000,
      message: 'POST /v1/points 503 upstream publish timeout after 5000ms',
    },
  ],
});

describe('backpressure', () => {
  it('blames the database a client of the broker could no longer write to, not the full broker', async () => {
    const run = await runScenario(scenario('ingest', env(true)));
    expect(run.rootCause.culprit).toBe('tsdb-cassandra');
    expect(run.rootCause.category).toBe('database');
    expect(run.rootCause.summary).toContain('stopped draining broker');
  });

  it('leaves the broker the cause when none of its clients stalled first', async () => {
    const run = await runScenario(scenario('ingest', env(false)));
    expect(run.rootCause.culprit).toBe('broker');
  });
});

/**
 * The database's trouble shows first in its own series (load up at -30) and only later in its
 * slow-query log (statements are logged when they finish); the workers' jobs slow at once, before
 * they log any error. The job store filling at -27 is then the database's effect. Workers whose
 * jobs kept their pace did not stop draining it.
 */
describe('backpressure read from series', () => {
  const run = (workersSlow: boolean) =>
    runScenario(
      scenario('ingest-api', {
        services: [
          api('ingest-api', ['job-redis']),
          { name: 'job-redis', tier: 'critical' as const, owner: 'platform' },
          {
            name: 'notice-workers',
            tier: 'critical' as const,
            owner: 'platform',
            dependsOn: ['job-redis', 'app-db'],
          },
          { name: 'app-db', tier: 'critical' as const, owner: 'platform' },
        ],
        metrics: [
          {
            namespace: 'AWS/RDS',
            metricName: 'DBLoad',
            service: 'app-db',
            points: stepPoints(3, 35, -30, 0.2),
          },
          {
            namespace: 'Sidekiq',
            metricName: 'JobDurationP50',
            service: 'notice-workers',
            points: stepPoints(0.08, workersSlow ? 3.5 : 0.08, -29, 0.004),
          },
          {
            namespace: 'AWS/ElastiCache',
            metricName: 'DatabaseMemoryUsagePercentage',
            service: 'job-redis',
            points: stepPoints(3.1, 97, -27, 0.1),
          },
        ],
        logs: [
          {
            service: 'app-db',
            timestamp: at(-22),
            level: 'INFO',
            count: 17_000,
            message:
              'LOG:  duration: 8211.532 ms  execute <unnamed>: SELECT "notices".* FROM "notices" WHERE "notices"."fault_id" = $1 ORDER BY "notices"."created_at" DESC LIMIT $2',
          },
          {
            service: 'ingest-api',
            timestamp: at(-3),
            level: 'ERROR',
            count: 200_000,
            message:
              "Redis::CommandError: OOM command not allowed when used memory > 'maxmemory'. (enqueue NoticeProcessorJob)",
          },
        ],
      }),
    );

  it('blames the database whose own series moved first, through the workers it slowed', async () => {
    const { rootCause } = await run(true);
    expect(rootCause.category).toBe('database');
    expect(rootCause.culprit).toBe('app-db');
  });

  it('leaves the job store the cause when the workers kept their pace', async () => {
    const { rootCause } = await run(false);
    expect(rootCause.culprit).not.toBe('app-db');
  });
});
