/**
 * A database failed over and the web tier timed out on it. When the node that took over started
 * with a cold cache — its buffer pool hit ratio fell at the failover and is climbing back — the
 * slowness is reads going to disk while it warms, and it passes on its own: nothing to restart.
 * Without that sign, the web tier is holding connections to the old node, and is restarted.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

/** 99.9 until the failover at -10, 61 then, climbing back to 95 by now. */
const warming = (): Array<[string, number]> =>
  stepPoints(99.9, 99.9, -10, 0).map(([t, v], i, all) => {
    const m = i - (all.length - 10);
    return [t, m < 0 ? v : Math.min(99.9, 61 + m * 4)];
  });

const env = (cold: boolean): Partial<Scenario['environment']> => ({
  services: [api('time-web', ['time-db']), { name: 'time-db', tier: 'critical' as const, owner: 'data' }],
  metrics: [
    {
      namespace: 'AWS/ApplicationELB',
      metricName: 'TargetResponseTime',
      service: 'time-web',
      points: stepPoints(0.2, 9, -10, 0.02),
    },
    ...(cold
      ? [
          {
            namespace: 'TimeApp/MySQL',
            metricName: 'BufferPoolHitRatio',
            service: 'time-db',
            points: warming(),
          },
        ]
      : []),
  ],
  logs: [
    {
      service: 'time-web',
      timestamp: at(-9),
      level: 'ERROR',
      count: 1_900,
      message:
        'Mysql2::Error::TimeoutError (Timeout waiting for a response from the last query. (waited 15 seconds))',
    },
  ],
  changes: [
    {
      timestamp: at(-11),
      source: 'rds-events',
      eventName: 'RDS-EVENT-0013',
      service: 'time-db',
      resource: 'arn:aws:rds:us-east-1:1:db:time-db',
      actor: 'aws',
      summary: 'Multi-AZ instance failover started.',
    },
  ],
});

describe('a failover onto a node whose cache starts cold', () => {
  it('is the new node warming: nothing is restarted', async () => {
    const { rootCause } = await runScenario(scenario('time-web', env(true)));
    expect(rootCause.culprit).toBe('time-db');
    expect(rootCause.summary).toContain('cold cache');
    expect(rootCause.mitigation).toBeNull();
  });

  it('is clients on stale connections, restarted, without that sign', async () => {
    const { rootCause } = await runScenario(scenario('time-web', env(false)));
    expect(rootCause.mitigation).toMatchObject({ kind: 'restart', target: 'time-web' });
  });
});
