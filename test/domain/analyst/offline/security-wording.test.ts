/**
 * What security tooling writes is read for what it says: a clause it negates ("no credential
 * compromise signals") is not a finding, an attack it calls the everyday level or that began well
 * after the users' trouble did not start it, and the same attack at the onset, said plainly, did.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { securityPattern } from '../../../../domain/analyst/offline/evidence/security.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const signal = (detail: string, kind = 'waf-block') => ({ id: 's1', kind, at: at(0), count: 30, detail });

describe('security wording', () => {
  it('does not read a negated clause as the pattern it names', () => {
    expect(securityPattern(signal('VolumetricIpHigh on 3 addresses; no credential compromise signals'))).toBe(
      'waf-blocks',
    );
    expect(securityPattern(signal('access key found in a public GitHub commit', 'secret-scan'))).toBe(
      'leaked-credentials',
    );
  });

  const env = (detail: string, minute: number): Partial<Scenario['environment']> => ({
    services: [api('login')],
    metrics: [
      {
        namespace: 'AWS/ApplicationELB',
        metricName: 'HTTPCode_Target_5XX_Count',
        service: 'login',
        points: stepPoints(1, 1500, -25, 1),
      },
    ],
    securityEvents: [
      { timestamp: at(minute), kind: 'failed-login', source: 'identity', count: 6000, detail },
    ],
  });

  it('takes a login attack at the onset as the cause', async () => {
    const run = await runScenario(
      scenario('login', env('invalid credentials across 2,100 users from 40 addresses', -26)),
    );
    expect(run.rootCause.category).toBe('security');
  });

  it('does not blame failed logins the tooling calls the usual rate', async () => {
    const run = await runScenario(
      scenario('login', env('invalid credentials across 2,100 users, same rate as previous days', -26)),
    );
    expect(run.rootCause.category).not.toBe('security');
  });

  it('does not blame an attack that began well after the trouble', async () => {
    const run = await runScenario(
      scenario('login', env('invalid credentials across 2,100 users from 40 addresses', -5)),
    );
    expect(run.rootCause.category).not.toBe('security');
  });
});
