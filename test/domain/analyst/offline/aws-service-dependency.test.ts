/**
 * An AWS service we call failing (CloudWatch Logs refusing the log driver's writes, so the tasks
 * block on stdout) is AWS's failure: a dependency, read where AWS reports on it. AWS Health naming
 * the service confirms it; without a notice yet, the story names the region to check. A service of
 * ours that happens to carry the same name gets no such pointer.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { alertmanagerScenario, api, at, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const env = (
  owner: string,
  changes: Scenario['environment']['changes'] = [],
): Partial<Scenario['environment']> => ({
  services: [
    api('claims-api', ['claims-db', 'cloudwatch-logs']),
    { name: 'claims-db', tier: 'critical' as const, owner: 'claims' },
    { name: 'cloudwatch-logs', tier: 'high' as const, owner },
  ],
  changes,
  metrics: [
    {
      namespace: 'AWS/ApplicationELB',
      metricName: 'TargetResponseTime',
      service: 'claims-api',
      points: stepPoints(0.4, 9, -12, 1),
    },
  ],
  logs: [
    {
      service: 'claims-api',
      timestamp: at(-14),
      level: 'ERROR',
      count: 6400,
      message:
        'dockerd[1187]: time="2026-05-01T11:46:19Z" level=error msg="Failed to put log events" errorCode=ServiceUnavailableException logGroupName=/ecs/claims-api logStreamName=claims-api/app/5f0c',
    },
    {
      service: 'claims-api',
      timestamp: at(-10),
      level: 'ERROR',
      count: 3900,
      message: 'Rack::Timeout::RequestTimeoutException: Request ran for longer than 15000ms',
    },
  ],
});

/** An AWS Health notice for us-east-1, five minutes before the alert. */
const awsHealth = (eventName: string, summary: string) => ({
  timestamp: at(-5),
  source: 'aws.health',
  eventName,
  resource: 'us-east-1',
  actor: 'AWS',
  summary,
});

/** The alert as Alertmanager sends it, with the region label our rules carry. */
function inRegion(s: Scenario, region: string): Scenario {
  const payload = s.alert.payload as { alerts: Array<{ labels: Record<string, string> }> };
  payload.alerts[0].labels.region = region;
  return s;
}

describe('an AWS service we depend on failing', () => {
  it('is the dependency, and the story says which region to check', async () => {
    const run = await runScenario(
      inRegion(alertmanagerScenario('claims-api', 'ClaimsApiLatency', env('AWS (managed)')), 'us-east-1'),
    );
    expect(run.rootCause.category).toBe('dependency');
    expect(run.rootCause.culprit).toBe('cloudwatch-logs');
    expect(run.rootCause.summary).toContain('AWS Health Dashboard for us-east-1');
    expect(run.rootCause.mitigation).toBeNull();
  });

  it('is confirmed by AWS Health when the notice names the service, and quotes it', async () => {
    const notice = awsHealth(
      'AWS_MULTIPLE_SERVICES_OPERATIONAL_ISSUE',
      'Increased error rates for multiple services in US-EAST-1 (CloudWatch Logs, Lambda)',
    );
    const run = await runScenario(
      alertmanagerScenario('claims-api', 'ClaimsApiLatency', env('aws', [notice])),
    );
    expect(run.rootCause.culprit).toBe('cloudwatch-logs');
    expect(run.rootCause.summary).toMatch(/AWS reported at \d\d:\d\d for us-east-1/);
  });

  it('takes no notice that names another service as confirmation', async () => {
    const notice = awsHealth(
      'AWS_S3_OPERATIONAL_ISSUE',
      'Increased error rates for Amazon S3 PUT requests in US-EAST-1',
    );
    const run = await runScenario(
      alertmanagerScenario('claims-api', 'ClaimsApiLatency', env('aws', [notice])),
    );
    expect(run.rootCause.culprit).toBe('cloudwatch-logs');
    expect(run.rootCause.summary).not.toContain('AWS reported');
  });

  it('points nobody at AWS Health for a service of ours', async () => {
    const run = await runScenario(
      inRegion(alertmanagerScenario('claims-api', 'ClaimsApiLatency', env('platform-team')), 'us-east-1'),
    );
    expect(run.rootCause.culprit).toBe('cloudwatch-logs');
    expect(run.rootCause.summary).not.toContain('AWS Health');
  });
});
