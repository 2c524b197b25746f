/**
 * Users see other users' account pages while the store is under a flood the WAF is blocking. The
 * CDN in front of the store answers session pages from its cache after its cache behaviour changed:
 * the front door is on the users' path though the catalog draws it as a caller, and a flood the
 * WAF stops harms no one by the mere traffic it brings.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { analyze } from '../../../../domain/analyst/offline/analysis.js';
import { gather } from '../../../../domain/analyst/offline/evidence/gather.js';
import { explainKnowledge } from '../../../../domain/analyst/offline/explain/knowledge.js';
import { BUILTIN_KNOWLEDGE } from '../../../../domain/knowledge/builtin.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { contextFor, runScenario } from './harness.js';

const env: Partial<Scenario['environment']> = {
  services: [
    api('store-web', ['session-service']),
    { name: 'session-service', tier: 'critical' as const },
    { name: 'store-cdn', tier: 'critical' as const, userFacing: true, dependsOn: ['store-web'] },
  ],
  metrics: [
    {
      namespace: 'AWS/ApplicationELB',
      metricName: 'RequestCount',
      service: 'store-web',
      points: stepPoints(100_000, 190_000, -2, 2_000),
    },
  ],
  changes: [
    {
      timestamp: at(-4),
      source: 'aws.cloudfront',
      eventName: 'UpdateDistribution',
      service: 'store-cdn',
      resource: 'E1STORE',
      actor: 'assumed-role/edge-ops/oncall',
      summary:
        'default cache behavior -> cache policy ddos-shield (cookies not in cache key); behavior /account/* removed',
    },
  ],
  logs: [
    {
      service: 'store-cdn',
      timestamp: at(-2),
      level: 'INFO',
      count: 18_000,
      message:
        'GET /account/ 200 x-edge-result-type=Hit x-cache=Hit from cloudfront cookie=sessionid=<present> age=212',
    },
  ],
  securityEvents: [
    {
      timestamp: at(-30),
      kind: 'waf-block',
      source: 'store-edge-acl',
      count: 5_000_000,
      detail: 'rate-limit-ip-2000 blocks over 30 minutes',
    },
  ],
};

describe('the front door', () => {
  it('caching session pages after its cache behaviour changed is the cause, rolled back', async () => {
    const run = await runScenario(scenario('store-web', env, 'users see other users’ account pages'));
    expect(run.rootCause.category).toBe('configuration');
    expect(`${run.rootCause.culprit} ${run.rootCause.summary}`).toContain('store-cdn');
    expect(run.rootCause.mitigation?.kind).toBe('rollback');
  });

  it('weighs what is found on the front door as on the users’ path, unlike a caller others call too', async () => {
    const weight = async (services: Partial<Scenario['environment']>['services']) => {
      const { env: source, ctx } = contextFor(scenario('store-web', { ...env, changes: [], services }));
      const a = analyze(await gather(source, ctx), BUILTIN_KNOWLEDGE);
      return explainKnowledge(a).find((c) => c.culprit === 'store-cdn')?.confidence ?? 0;
    };
    const front = await weight(env.services);
    const shared = await weight([
      ...(env.services ?? []),
      { name: 'partner-sync', tier: 'standard' as const, dependsOn: ['store-cdn'] },
    ]);
    expect(front).toBeGreaterThan(shared);
  });
});
