/**
 * The CDN in front of a service serves a sliding share from cache after a release changed how
 * responses are cached, and the origin runs out of CPU under the requests that now reach it. Users
 * did not multiply: the release leads and is rolled back. A release about something else leaves
 * the origin's shortage a capacity story.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

/** A hit rate sliding from 95 % down to 40 % over the hour from minute -50. */
const sliding = (): Array<[string, number]> => {
  const pts: Array<[string, number]> = [];
  for (let m = -60; m < 0; m++) pts.push([at(m), m < -50 ? 95 : Math.max(40, 95 - (m + 50) * 1.2)]);
  return pts;
};

const env = (note: string): Partial<Scenario['environment']> => ({
  services: [
    api('site-origin', []),
    { name: 'site-cdn', tier: 'critical' as const, owner: 'delivery', dependsOn: ['site-origin'] },
    { name: 'bundle-deployer', tier: 'high' as const, owner: 'builder', dependsOn: ['site-cdn'] },
  ],
  deployments: [
    {
      service: 'bundle-deployer',
      version: '2.2.0',
      previousVersion: '2.1.4',
      startedAt: at(-56),
      completedAt: at(-53),
      status: 'succeeded',
      description: note,
    },
  ],
  metrics: [
    { namespace: 'AWS/CloudFront', metricName: 'CacheHitRate', service: 'site-cdn', points: sliding() },
    {
      namespace: 'Prometheus',
      metricName: 'origin_requests_per_second',
      service: 'site-origin',
      points: stepPoints(140, 1500, -30, 20),
    },
    {
      namespace: 'Prometheus',
      metricName: 'container_cpu_utilisation',
      service: 'site-origin',
      unit: 'Percent',
      points: stepPoints(60, 99, -25, 0.5),
    },
  ],
  logs: [
    {
      service: 'site-origin',
      timestamp: at(-20),
      level: 'ERROR' as const,
      count: 6000,
      message:
        '"GET /site/v3/navigation HTTP/1.1" 504 UT upstream_reset_before_response_started{request_timeout}',
    },
  ],
});

describe('an origin overloaded through a cache that stopped caching', () => {
  it('is the release that changed how responses are cached', async () => {
    const run = await runScenario(
      scenario(
        'site-origin',
        env('Deployer 2.2: per-bundle cache policy read from the bundle manifest'),
        'origin 504s',
      ),
    );
    expect(run.rootCause.category).toBe('deployment');
    expect(run.rootCause.mitigation).toMatchObject({ kind: 'rollback', target: 'bundle-deployer' });
  });

  it('is not a release about something else', async () => {
    const run = await runScenario(
      scenario('site-origin', env('Deployer 2.2: faster bundle uploads'), 'origin 504s'),
    );
    expect(run.rootCause.mitigation?.target).not.toBe('bundle-deployer');
  });
});
