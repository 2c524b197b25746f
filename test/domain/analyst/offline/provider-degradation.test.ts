/**
 * A provider's notice that one of its services is degraded in one zone, followed by that service's
 * own metrics going bad on our path, is the cause — not a security-group rule opened for a metrics
 * scrape minutes before the onset — and the way out is to move the work off that zone. A notice
 * whose service nothing of ours shows trouble with stays out of the ranking.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

type Env = Scenario['environment'];

const env = (storageDegrades: boolean): Partial<Env> => ({
  services: [api('gateway', ['media-api']), { name: 'media-api', tier: 'critical' as const }],
  metrics: [
    {
      namespace: 'AWS/ApplicationELB',
      metricName: 'HTTPCode_Target_5XX_Count',
      service: 'gateway',
      points: stepPoints(2, 700, -9, 1),
    },
    {
      namespace: 'AWS/EBS',
      metricName: 'VolumeQueueLength',
      service: 'media-api',
      points: stepPoints(0.2, storageDegrades ? 55 : 0.2, -12, 0.05),
    },
  ],
  changes: [
    {
      timestamp: at(-30),
      source: 'aws.health',
      eventName: 'AWS_EBS_OPERATIONAL_ISSUE',
      service: 'ebs',
      resource: 'eu-west-1b',
      actor: 'aws.health',
      summary:
        'We are investigating degraded performance for some EBS volumes in a single Availability Zone.',
    },
    {
      timestamp: at(-13),
      eventName: 'AuthorizeSecurityGroupIngress',
      service: 'media-api',
      resource: 'sg-0abc (media-api)',
      actor: 'arn:aws:sts::123456789012:assumed-role/netops/a.b',
      summary: 'Allow tcp/9100 from 10.1.0.0/16 (node exporter scraping)',
    },
  ],
  logs: [
    {
      service: 'gateway',
      timestamp: at(-9),
      level: 'ERROR',
      count: 4_000,
      message: 'forwarding to media-api failed: java.net.SocketTimeoutException: Read timed out',
    },
    {
      service: 'media-api',
      timestamp: at(-7),
      level: 'ERROR',
      count: 40,
      message: 'kernel: task java:2231 blocked for more than 120 seconds az=eu-west-1b',
    },
  ],
});

describe('a provider degradation in one zone', () => {
  it('is the cause when its service’s own metrics went bad on the path, and is failed away from', async () => {
    const run = await runScenario(scenario('gateway', env(true)));
    expect(run.rootCause.category).toBe('dependency');
    expect(run.rootCause.culprit).toBe('ebs');
    expect(run.rootCause.summary).toContain('eu-west-1b');
    expect(run.rootCause.mitigation).toMatchObject({
      kind: 'failover',
      target: 'media-api',
      params: { from: 'eu-west-1b' },
    });
  });

  it('is not blamed when nothing of ours shows that service in trouble', async () => {
    const e = env(false);
    e.logs = e.logs!.slice(0, 1);
    const run = await runScenario(scenario('gateway', e));
    expect(run.rootCause.culprit).not.toBe('ebs');
  });
});
