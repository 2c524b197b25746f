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

/**
 * A database out of connections while it does no more work: its clients hold the connections open,
 * each request stuck on another store whose host failed a minute before. Their own lines name that
 * store. Without such a client, the connections are the database's own story.
 */
const heldEnv = (clientWaits: boolean): Partial<Scenario['environment']> => ({
  services: [
    api('web', ['auth-db', 'shard-db-3']),
    { name: 'auth-db', tier: 'critical' as const, owner: 'data' },
    { name: 'shard-db-3', tier: 'critical' as const, owner: 'data' },
  ],
  metrics: [
    {
      namespace: 'AWS/RDS',
      metricName: 'DatabaseConnections',
      service: 'auth-db',
      dimensions: { DBInstanceIdentifier: 'auth-db' },
      points: stepPoints(180, 1_000, -18, 6),
    },
    {
      namespace: 'AWS/ApplicationELB',
      metricName: 'HTTPCode_Target_5XX_Count',
      service: 'web',
      points: stepPoints(2, 900, -16, 1),
    },
  ],
  logs: [
    {
      service: 'shard-db-3',
      timestamp: at(-19),
      level: 'ERROR',
      count: 6,
      message: 'kernel: nvme nvme1: I/O 412 QID 3 timeout, aborting',
    },
    clientWaits
      ? {
          service: 'web',
          timestamp: at(-18),
          level: 'WARN',
          count: 3_900,
          message:
            'PHP Warning:  mysqli::real_connect(): (HY000/2002): Connection timed out in ShardConnection.php on line 88 (shard=shard-db-3)',
        }
      : {
          service: 'web',
          timestamp: at(-18),
          level: 'INFO',
          count: 3_900,
          message: 'GET /ui/campaign/list 200',
        },
    {
      service: 'web',
      timestamp: at(-16),
      level: 'ERROR',
      count: 22_400,
      message: 'PHP Fatal error:  Uncaught mysqli_sql_exception: Too many connections in SessionStore.php:41',
    },
  ],
  changes: [
    {
      timestamp: at(-18),
      source: 'aws.ec2',
      eventName: 'EC2 Instance Status Change',
      service: 'shard-db-3',
      resource: 'arn:aws:ec2:eu-west-2:1:instance/i-0f3a',
      actor: 'aws',
      summary: 'System status check failed for shard-db-3: reachability check on the underlying host failing',
    },
  ],
});

describe('a database out of connections held by clients waiting elsewhere', () => {
  it('is the store they wait on, failing a minute before', async () => {
    const { rootCause } = await runScenario(scenario('web', heldEnv(true)));
    expect(rootCause.culprit).toBe('shard-db-3');
  });

  it('stays the database when no client is seen waiting on anything', async () => {
    const { rootCause } = await runScenario(scenario('web', heldEnv(false)));
    expect(rootCause.culprit).not.toBe('shard-db-3');
  });
});
