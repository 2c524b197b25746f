/**
 * AWS stopped every running task of the cluster at once (stopCode TerminationNotice) and then had
 * no Fargate capacity to place replacements: the provider failed, not our capacity, and scaling
 * our service would only queue more placements. A cluster whose own instances are full is ours.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const env = (lines: string[]): Partial<Scenario['environment']> => ({
  services: [
    api('portal-web', ['compute-usw2']),
    { name: 'compute-usw2', tier: 'critical' as const, owner: 'external:AWS (ECS on Fargate)' },
  ],
  metrics: [
    {
      namespace: 'AWS/ApplicationELB',
      metricName: 'HealthyHostCount',
      service: 'portal-web',
      dimensions: { LoadBalancer: 'app/portal/1', TargetGroup: 'targetgroup/portal/1' },
      points: stepPoints(8, 0, -12, 0),
    },
  ],
  logs: lines.map((message, i) => ({
    service: 'portal-web',
    timestamp: at(-12 + i),
    level: 'WARN',
    count: 6,
    message,
  })),
});

describe('tasks stopped by the platform', () => {
  it('blame the AWS compute the service runs on, with nothing of ours to scale', async () => {
    const run = await runScenario(
      scenario(
        'portal-web',
        env([
          '(service portal-web) has stopped 8 running tasks: (task 5b0e). Reason: Task stopped by the platform (stopCode: TerminationNotice)',
          '(service portal-web) was unable to place a task. Reason: Capacity is unavailable at this time. Please try again later or in a different availability zone.',
        ]),
      ),
    );
    expect(run.rootCause.category).toBe('dependency');
    expect(run.rootCause.culprit).toBe('compute-usw2');
    expect(run.rootCause.mitigation?.kind).not.toBe('scale');
  });

  it('leave a cluster whose own instances are full to capacity', async () => {
    const run = await runScenario(
      scenario(
        'portal-web',
        env([
          '(service portal-web) was unable to place a task because no container instance met all of its requirements. The closest matching (container-instance 1a2b) has insufficient memory available.',
        ]),
      ),
    );
    expect(run.rootCause.category).toBe('capacity');
  });
});
