/**
 * A command run on production hosts that stopped their web server: there is no previous version
 * of a command to go back to; starting what it stopped is the way back. The record's `tag:Role=`
 * targets hosts by a tag, and is no IAM change.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { changeFlavor } from '../../../../domain/analyst/offline/evidence/change-flavor.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const SUMMARY =
  'Run Command 6d2f on targets tag:Role=shop-web (4 instances): Stop-Service W3SVC before the maintenance window';

const env = (stops: boolean): Partial<Scenario['environment']> => ({
  services: [api('shop-web')],
  metrics: [
    {
      namespace: 'AWS/ApplicationELB',
      metricName: 'HealthyHostCount',
      service: 'shop-web',
      points: stepPoints(4, 0, -3, 0),
    },
    {
      namespace: 'AWS/ApplicationELB',
      metricName: 'HTTPCode_ELB_503_Count',
      service: 'shop-web',
      points: stepPoints(0, 800, -3, 0),
    },
  ],
  logs: [
    {
      service: 'shop-web',
      timestamp: at(-3),
      level: 'WARN',
      count: 4,
      message:
        'Target i-0a93:443 in targetgroup/shop-web is unhealthy: Target.FailedHealthChecks ([connection refused])',
    },
  ],
  changes: [
    {
      timestamp: at(-4),
      source: 'aws.ssm',
      eventName: 'SendCommand',
      service: 'shop-web',
      resource: 'arn:aws:ssm:us-east-1::document/AWS-RunPowerShellScript',
      actor: 'arn:aws:iam::1:user/jmiller',
      summary: stops
        ? SUMMARY
        : 'Run Command 6d2f on targets tag:Role=shop-web (4 instances): Get-EventLog -Newest 50',
    },
  ],
});

describe('a command that stopped the web server on production hosts', () => {
  it('is undone by starting the service again, not by a rollback', async () => {
    const { rootCause } = await runScenario(scenario('shop-web', env(true)));
    expect(rootCause.category).toBe('configuration');
    expect(rootCause.mitigation).toMatchObject({ kind: 'restart', target: 'shop-web' });
  });

  it('is not answered by a restart when the command stopped nothing', async () => {
    const { rootCause } = await runScenario(scenario('shop-web', env(false)));
    expect(rootCause.mitigation?.kind).not.toBe('restart');
  });

  it('is targeted by a tag, which is not an IAM role', () => {
    const rec = { id: 'c', kind: 'change' as const, at: at(0), status: 'SendCommand', summary: SUMMARY };
    expect(changeFlavor(rec)).toBe('config');
  });
});
