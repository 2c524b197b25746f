/**
 * A broker's heap fills while the service writing to it takes twice its usual requests, and then
 * its callers' produce calls time out. A broker has no request count of its own: its callers'
 * surge is its load, so the heap filling is capacity (scale), not a leak, and its running out came
 * before it failed. With the callers' traffic flat, the same heap climbing stays a leak.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

/** 60 points from -60: flat at `base`, then climbing linearly from `from` to `peak` at the end. */
const climb = (base: number, from: number, peak: number): Array<[string, number]> =>
  Array.from({ length: 60 }, (_, i) => {
    const m = i - 60;
    const v = m < from ? base : base + ((peak - base) * (m - from)) / (-1 - from);
    return [at(m), Math.round(v * 10) / 10];
  });

const env = (surge: boolean): Partial<Scenario['environment']> => ({
  services: [api('ingest-api', ['event-broker']), api('event-broker', [], { userFacing: false })],
  metrics: [
    {
      namespace: 'AWS/ApplicationELB',
      metricName: 'RequestCount',
      service: 'ingest-api',
      dimensions: { LoadBalancer: 'app/ingest-api/1' },
      points: stepPoints(18_000, surge ? 45_000 : 18_000, -40, 300),
    },
    {
      namespace: 'Prometheus',
      metricName: 'kafka_server_replicamanager_underreplicatedpartitions',
      service: 'event-broker',
      dimensions: { job: 'broker', cluster: 'events' },
      points: stepPoints(0, 40, -3, 0),
    },
    {
      namespace: 'Prometheus',
      metricName: 'jvm_memory_heap_used_ratio',
      service: 'event-broker',
      dimensions: { job: 'broker', instance: 'broker-1:7071' },
      points: climb(50, -40, 96),
    },
  ],
  alarmStates: [
    { name: 'event-broker-under-replicated', service: 'event-broker', state: 'ALARM', timestamp: at(-3) },
  ],
  logs: [
    {
      service: 'event-broker',
      timestamp: at(-4),
      level: 'ERROR',
      count: 2,
      message: 'java.lang.OutOfMemoryError: Java heap space',
    },
    {
      service: 'ingest-api',
      timestamp: at(-3),
      level: 'ERROR',
      count: 18_200,
      message:
        'org.apache.kafka.common.errors.TimeoutException: Expiring 48 record(s) for events-7:120001 ms has passed since batch creation',
    },
  ],
});

describe("a broker's heap filling as its callers' traffic grows", () => {
  it('is capacity under their load, scaled', async () => {
    const run = await runScenario(scenario('ingest-api', env(true)));
    expect(run.rootCause.category).toBe('capacity');
    expect(run.rootCause.culprit).toBe('event-broker');
    expect(run.rootCause.mitigation).toMatchObject({ kind: 'scale', target: 'event-broker' });
  });

  it('is not read as load when no caller sends more', async () => {
    const run = await runScenario(scenario('ingest-api', env(false)));
    expect(run.rootCause.category).not.toBe('capacity');
  });
});
