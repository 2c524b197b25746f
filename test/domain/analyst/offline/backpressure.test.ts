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
