/**
 * A deployment two hops away: a rollout under a cache that the alarming service uses empties it,
 * and the database behind the cache takes every read. The database's saturation is the symptom
 * when the rollout came first, the cache moved right after it, and the catalog draws the path.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

type Env = Scenario['environment'];

const services = (cacheDependsOnAgent: boolean) => [
  api('feed-api', ['post-cache', 'posts-db']),
  {
    name: 'post-cache',
    tier: 'critical' as const,
    dependsOn: cacheDependsOnAgent ? ['discovery-agent'] : [],
  },
  { name: 'discovery-agent', tier: 'high' as const },
  { name: 'posts-db', tier: 'critical' as const },
];

const metrics = (cacheMoves: boolean): Env['metrics'] => [
  {
    namespace: 'AWS/ApplicationELB',
    metricName: 'HTTPCode_Target_5XX_Count',
    service: 'feed-api',
    points: stepPoints(4, 2_600, -10, 1),
  },
  {
    namespace: 'Custom/Cache',
    metricName: 'NodesReplacedBySpare',
    service: 'post-cache',
    points: stepPoints(0, cacheMoves ? 7 : 0, -28, 0),
  },
  {
    namespace: 'AWS/RDS',
    metricName: 'CPUUtilization',
    service: 'posts-db',
    points: stepPoints(35, 99, -20, 1),
  },
];

const env = (opts: { path: boolean; cacheMoves: boolean }): Partial<Env> => ({
  services: services(opts.path),
  metrics: metrics(opts.cacheMoves),
  deployments: [
    {
      service: 'discovery-agent',
      version: 'agent-2.4.0',
      previousVersion: 'agent-2.3.7',
      startedAt: at(-30),
      status: 'in-progress',
      description: 'agent package upgrade with rolling restart (25% -> 50% of hosts)',
    },
  ],
  logs: [
    {
      service: 'feed-api',
      timestamp: at(-10),
      level: 'ERROR',
      count: 40_000,
      message: 'feed render failed: upstream timeout (posts query)',
    },
    {
      service: 'posts-db',
      timestamp: at(-17),
      level: 'ERROR',
      count: 90_000,
      message: 'query timed out after 2000ms: select id from posts where author_id = :uid',
    },
  ],
});

const conclude = async (e: Partial<Env>) => (await runScenario(scenario('feed-api', e))).rootCause;

describe('a rollout two hops from the alarming service', () => {
  it('is the cause, and the database it overloaded through the cache is its effect', async () => {
    const rc = await conclude(env({ path: true, cacheMoves: true }));
    expect(rc.category).toBe('deployment');
    expect(rc.culprit).toBe('agent-2.4.0');
    expect(rc.causalChain.join(' ')).toContain('post-cache moved right after the rollout');
    expect(rc.mitigation).toMatchObject({ kind: 'rollback', target: 'discovery-agent' });
  });

  it('without the cache moving after it, nothing is linked through the cache', async () => {
    const run = await runScenario(scenario('feed-api', env({ path: true, cacheMoves: false })));
    expect(run.rootCause.causalChain.join(' ')).not.toContain('post-cache');
    expect(JSON.stringify(run.rootCause.ruledOut ?? [])).not.toContain('reached post-cache');
  });

  it('without a catalog path from the rollout to the cache, it is not blamed', async () => {
    const rc = await conclude(env({ path: false, cacheMoves: true }));
    expect(rc.category).not.toBe('deployment');
  });
});
