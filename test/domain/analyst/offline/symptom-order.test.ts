/**
 * Symptom against cause: a dependency that saturated after a change on its path (no more traffic,
 * nothing else changed) is what the change drove. However loud its own evidence, it ranks below
 * the change; without the change it is the lead.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

type Env = Scenario['environment'];

const env = (withFlag: boolean): Partial<Env> => ({
  services: [api('feed-api', ['posts-db']), { name: 'posts-db', tier: 'critical' as const }],
  metrics: [
    {
      namespace: 'AWS/ApplicationELB',
      metricName: 'HTTPCode_Target_5XX_Count',
      service: 'feed-api',
      points: stepPoints(4, 2_600, -10, 1),
    },
    {
      namespace: 'AWS/RDS',
      metricName: 'CPUUtilization',
      service: 'posts-db',
      points: stepPoints(35, 99, -16, 1),
    },
  ],
  changes: withFlag
    ? [
        {
          timestamp: at(-36),
          eventName: 'UpdateFeatureFlag',
          service: 'feed-api',
          resource: 'feed.fanout-prefetch',
          summary: 'flag feed.fanout-prefetch 0% -> 100%',
        },
      ]
    : [],
  logs: [
    {
      service: 'posts-db',
      timestamp: at(-15),
      level: 'ERROR',
      count: 90_000,
      message: 'query timed out after 2000ms: select id from posts where author_id = :uid',
    },
    {
      service: 'posts-db',
      timestamp: at(-14),
      level: 'WARN',
      count: 30_000,
      message: 'LOG:  duration: 8211.443 ms  statement: SELECT posts.* FROM posts WHERE author_id = $1',
    },
    {
      service: 'feed-api',
      timestamp: at(-10),
      level: 'ERROR',
      count: 40_000,
      message: 'feed render failed: upstream timeout (posts query)',
    },
  ],
});

describe('a saturation that began after a change on its path', () => {
  it('is the change’s effect and ranks below it', async () => {
    const run = await runScenario(scenario('feed-api', env(true)));
    expect(run.rootCause.category).toBe('configuration');
    expect(run.rootCause.culprit).toBe('feed.fanout-prefetch');
    expect(run.rootCause.ruledOut.join(' ')).toContain('posts-db ran out of CPU after feed.fanout-prefetch');
  });

  it('without the change, the saturated database is the lead', async () => {
    const run = await runScenario(scenario('feed-api', env(false)));
    expect(run.rootCause.category).toBe('database');
    expect(run.rootCause.culprit).toBe('posts-db');
  });
});
