/**
 * A host's volume failing under a load balancer (kernel I/O errors, tasks hung on the disk) half an
 * hour after the service behind it shipped a release: the release cannot reach that disk, so the
 * volume is the story, not an effect of the release.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const env = (host: string): Partial<Scenario['environment']> => ({
  services: [api('push-lb', ['push-web']), { name: 'push-web', tier: 'critical', owner: 'team' }],
  metrics: [
    {
      namespace: 'AWS/ApplicationELB',
      metricName: 'HTTPCode_ELB_5XX_Count',
      service: 'push-lb',
      points: stepPoints(1, 900, -6, 1),
    },
    {
      namespace: 'AWS/EBS',
      metricName: 'VolumeQueueLength',
      service: 'push-lb',
      dimensions: { VolumeId: 'vol-0a9c3e1f7b2d45680' },
      points: stepPoints(0.2, 48, -8, 0.02),
    },
    {
      namespace: 'Push/API',
      metricName: 'RequestsServed',
      service: 'push-web',
      points: stepPoints(180_000, 0, -6, 4000),
    },
  ],
  logs: [
    {
      service: host,
      timestamp: at(-50),
      level: 'INFO',
      count: 300_000,
      message:
        'haproxy[1873]: https-in~ api_web/web-07 0/0/1/23/24 200 512 "POST /api/v1/notifications HTTP/1.1"',
    },
    {
      service: host,
      timestamp: at(-6),
      level: 'ERROR',
      count: 14,
      message:
        '[4417903.881420] blk_update_request: I/O error, dev xvda, sector 9102848 op 0x1:(WRITE) flags 0x800',
    },
    {
      service: host,
      timestamp: at(-7),
      level: 'ERROR',
      count: 3,
      message: 'INFO: task nginx:1412 blocked for more than 120 seconds.',
    },
  ],
  changes: [
    {
      timestamp: at(-35),
      eventName: 'CreateDeployment',
      service: 'push-web',
      resource: 'push-web-prod',
      actor: 'deploy-bot',
      summary: 'push-web 2026.11.30-1: new player model fields for web push',
    },
  ],
  deployments: [
    {
      service: 'push-web',
      version: '2026.11.30-1',
      previousVersion: '2026.11.28-2',
      startedAt: at(-35),
      completedAt: at(-31),
      status: 'succeeded',
      description: 'New player model fields for web push',
    },
  ],
});

describe('a volume failing on a host the release never touched', () => {
  it('is the story, not an effect of the release', async () => {
    const run = await runScenario(scenario('push-lb', env('push-lb'), 'push-lb returns 502'));
    expect(run.rootCause.category).not.toBe('deployment');
    expect(run.rootCause.culprit).toBe('push-lb');
  });
});
