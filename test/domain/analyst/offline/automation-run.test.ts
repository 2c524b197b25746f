/**
 * An automation session that made several calls within minutes (a Terraform apply that replaced a
 * service and its target group) made them as one run, even with no record of the run itself: the
 * run is named. One call by the same session is named by what it changed.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const ACTOR = 'arn:aws:sts::618402937715:assumed-role/terraform-apply/atlantis-812';
const call = (minute: number, eventName: string, resource: string, summary: string) => ({
  timestamp: at(minute),
  source: 'cloudtrail',
  eventName,
  resource,
  actor: ACTOR,
  summary,
  service: 'portal-web',
});

const env = (calls: number): Partial<Scenario['environment']> => ({
  services: [api('portal-web')],
  changes: [
    call(
      -14,
      'ModifyListener',
      'listener/app/portal-alb/2e9b',
      'ModifyListener default action -> portal-web-tg',
    ),
    call(-13, 'DeleteService', 'service/prod/portal', 'DeleteService portal (force=true)'),
    call(-12, 'CreateService', 'service/prod/portal-web', 'CreateService portal-web desiredCount=0'),
  ].slice(3 - calls),
  metrics: [
    {
      namespace: 'AWS/ApplicationELB',
      metricName: 'HTTPCode_ELB_5XX_Count',
      service: 'portal-web',
      dimensions: { LoadBalancer: 'app/portal-alb/2e9b' },
      points: stepPoints(1, 900, -11, 1),
    },
  ],
  logs: [
    {
      service: 'portal-web',
      timestamp: at(-11),
      level: 'ERROR',
      count: 5000,
      message: 'GET / 503 elb_status=503 target=- (no registered targets)',
    },
  ],
});

describe('calls one automation session made within minutes', () => {
  it('are one run, and the run is named', async () => {
    const run = await runScenario(scenario('portal-web', env(3)));
    expect(run.rootCause.culprit).toBe('terraform-apply/atlantis-812');
    expect(run.rootCause.mitigation?.kind).toBe('rollback');
  });

  it('leave a single call named by what it changed', async () => {
    const run = await runScenario(scenario('portal-web', env(1)));
    expect(run.rootCause.culprit).not.toContain('atlantis');
  });
});
