/**
 * Failed logins hurt availability only through the load they add: a few hundred tries against a
 * service answering thousands of requests a minute load nothing and are a lead at most, while the
 * same attack in the tens of thousands is taken as the cause.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const env = (attempts: number): Partial<Scenario['environment']> => ({
  services: [api('login')],
  metrics: [
    {
      namespace: 'AWS/ApplicationELB',
      metricName: 'RequestCount',
      service: 'login',
      points: stepPoints(3000, 3100, -25, 60),
    },
    {
      namespace: 'AWS/ApplicationELB',
      metricName: 'HTTPCode_Target_5XX_Count',
      service: 'login',
      points: stepPoints(1, 1500, -25, 1),
    },
  ],
  securityEvents: [
    {
      timestamp: at(-26),
      kind: 'failed-login',
      source: 'identity',
      count: attempts,
      detail: 'invalid credentials across many users from 40 addresses',
    },
  ],
});

describe('the load an attack adds', () => {
  it('takes failed logins in the tens of thousands as the cause', async () => {
    const run = await runScenario(scenario('login', env(60_000)));
    expect(run.rootCause.category).toBe('security');
  });

  it('does not blame a few hundred failed logins against a busy service', async () => {
    const run = await runScenario(scenario('login', env(400)));
    expect(run.rootCause.category).not.toBe('security');
  });
});
