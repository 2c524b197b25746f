/**
 * Redis refuses writes on maxmemory while its keys stay flat and the memory its clients' output
 * buffers hold climbs: the readers are the fault, and a larger node would fill the same way. The
 * same refusal with no client-buffer growth is the cache out of room, and a replica's sync link
 * closed for its buffer is replication, not the readers.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const env = (buffersGrow: boolean): Partial<Scenario['environment']> => ({
  services: [
    api('jobs-api', ['jobs-redis']),
    { name: 'jobs-redis', tier: 'critical' as const, owner: 'platform' },
  ],
  metrics: [
    {
      namespace: 'Redis/Exporter',
      metricName: 'redis_mem_clients_normal',
      service: 'jobs-redis',
      dimensions: { instance: 'jobs-redis-001' },
      points: stepPoints(2e8, buffersGrow ? 9e9 : 2e8, -40, 1e7),
    },
    {
      namespace: 'AWS/ElastiCache',
      metricName: 'DatabaseMemoryUsagePercentage',
      service: 'jobs-redis',
      dimensions: { CacheClusterId: 'jobs-redis-001' },
      points: stepPoints(23, 97, -40, 1),
    },
  ],
  logs: [
    {
      service: 'jobs-api',
      timestamp: at(-5),
      level: 'ERROR',
      count: 48000,
      message: "ReplyError: OOM command not allowed when used memory > 'maxmemory'.",
    },
  ],
});

describe('Redis memory held by client output buffers', () => {
  it('is a fault of its readers, not a cache too small', async () => {
    const run = await runScenario(scenario('jobs-api', env(true)));
    expect(run.rootCause.category).toBe('code');
    expect(run.rootCause.mitigation?.kind).not.toBe('scale');
  });

  it("does not read a replica's sync link closed for its buffer as the readers' fault", async () => {
    const base = env(false);
    const run = await runScenario(
      scenario('jobs-api', {
        ...base,
        logs: [
          ...base.logs!,
          {
            service: 'jobs-redis',
            timestamp: at(-30),
            level: 'WARN',
            count: 27,
            message:
              '1:M 16 Jul 2026 08:52:00.118 # Client id=7 addr=10.30.1.9:6379 cmd=psync scheduled to be closed ASAP for overcoming of output buffer limits.',
          },
        ],
      }),
    );
    expect(run.rootCause.category).not.toBe('code');
  });

  it('is not concluded when only the data filled the cache', async () => {
    const run = await runScenario(scenario('jobs-api', env(false)));
    expect(run.rootCause.category).toBe('capacity');
  });
});
