/**
 * Dwell time: a site's download link reported swapped for malware, with nothing measured, and an
 * account signed in from an address never seen for it forty hours before. The sign-in is read that
 * far back because intruders act quietly and are noticed late; a scanner's probe of the same age,
 * or a sign-in older than the look-back, is not.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario } from './fixtures.js';
import { runScenario } from './harness.js';

const HOUR = 60;

const env = (
  signal: Scenario['environment']['securityEvents'][number],
): Partial<Scenario['environment']> => ({
  services: [
    api('community-site', ['site-db']),
    { name: 'site-db', tier: 'standard' as const, owner: 'web', dependsOn: [] },
  ],
  securityEvents: [signal],
  logs: [
    {
      service: 'community-site',
      timestamp: at(-20),
      level: 'INFO' as const,
      count: 900,
      message: 'GET /download/ 200',
    },
  ],
});

const report = 'users report the download page now links to a zip with a Windows executable';

const signIn = (minutesBefore: number) => ({
  timestamp: at(-minutesBefore),
  kind: 'iam-anomaly',
  source: 'site activity log',
  count: 1,
  detail:
    'Successful login for site-editor from an address never seen for this account (203.0.113.57); no 2FA',
});

describe('an intruder noticed late', () => {
  it('reads a first-seen sign-in forty hours back as the cause', async () => {
    const run = await runScenario(scenario('community-site', env(signIn(40 * HOUR)), report));
    expect(run.rootCause.category).toBe('security');
  });

  it('does not reach back past three days', async () => {
    const run = await runScenario(scenario('community-site', env(signIn(100 * HOUR)), report));
    expect(run.rootCause.category).not.toBe('security');
  });

  it('leaves an old scanner probe alone', async () => {
    const probe = {
      timestamp: at(-40 * HOUR),
      kind: 'guardduty-finding',
      source: 'aws.guardduty',
      count: 1,
      detail: 'Recon:EC2/PortProbeUnprotectedPort: port 22 probed by known scanners (severity 2.0)',
    };
    const run = await runScenario(scenario('community-site', env(probe), report));
    expect(run.rootCause.category).not.toBe('security');
  });
});
