/**
 * Requests that stop arriving at the service just as another endpoint's multiply were sent there:
 * the DNS record changed a minute before is the cause, ahead of the service's own release ten
 * minutes earlier. With nothing rising elsewhere, the fall alone does not say where the requests
 * went, and the record change is not promoted over the release.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const env = (elsewhere: boolean): Partial<Scenario['environment']> => ({
  services: [
    api('public-api', ['edge-dns']),
    { name: 'edge-dns', tier: 'critical' as const, owner: 'platform' },
  ],
  deployments: [
    {
      service: 'public-api',
      version: 'v812',
      previousVersion: 'v811',
      startedAt: at(-16),
      completedAt: at(-12),
      status: 'succeeded',
      description: 'exports: paginate reconciliation results',
    },
  ],
  changes: [
    {
      timestamp: at(-7),
      source: 'cloudtrail',
      eventName: 'ChangeResourceRecordSets',
      service: 'edge-dns',
      resource: 'hostedzone/Z0PROD',
      actor: 'assumed-role/pipeline/codebuild-5811',
      summary: 'UPSERT api.example.io ALIAS maintenance distribution',
    },
  ],
  metrics: [
    {
      namespace: 'CloudWatchSynthetics',
      metricName: 'SuccessPercent',
      service: 'public-api',
      points: stepPoints(100, 0, -6, 0),
    },
    {
      namespace: 'AWS/ApplicationELB',
      metricName: 'RequestCount',
      service: 'public-api',
      dimensions: { LoadBalancer: 'app/prod/1' },
      points: stepPoints(14000, 420, -6, 200),
    },
    {
      namespace: 'AWS/CloudFront',
      metricName: 'Requests',
      service: 'edge-dns',
      dimensions: { DistributionId: 'EMAINT' },
      points: elsewhere ? stepPoints(3, 9700, -6, 0) : stepPoints(3, 3, -6, 0),
    },
  ],
  logs: [
    {
      service: 'public-api',
      timestamp: at(-6),
      level: 'ERROR',
      count: 4,
      message:
        'Canary public-api-canary failed: GET https://api.example.io/v1/health -> 503 Service Unavailable',
    },
  ],
});

describe('traffic sent elsewhere', () => {
  it('blames the routing change that moved it, not the release of the service it left', async () => {
    const run = await runScenario(scenario('public-api', env(true)));
    expect(run.rootCause.category).toBe('network');
    expect(run.rootCause.culprit).toContain('Z0PROD');
    expect(run.rootCause.mitigation?.kind).toBe('rollback');
    expect(run.rootCause.mitigation?.target).toBe('edge-dns');
  });

  it('does not promote the record change when nothing else received the requests', async () => {
    const [diverted, fallen] = await Promise.all([
      runScenario(scenario('public-api', env(true))),
      runScenario(scenario('public-api', env(false))),
    ]);
    expect(fallen.rootCause.confidence).toBeLessThan(diverted.rootCause.confidence);
    expect(fallen.rootCause.summary).not.toContain('the requests went there');
  });
});
