/**
 * Hostile use of the product: new accounts post spam that mentions a hundred users each, the
 * notification mail it triggers backs up and the database behind it slows. The abuse began first
 * and is what to stop, in front of the service; the database's load is its effect. Abuse the
 * service shrugs off (nothing it serves moved) is a lead, not the cause.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { securityPattern } from '../../../../domain/analyst/offline/evidence/security.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const env = (hurt: boolean): Partial<Scenario['environment']> => ({
  services: [
    api('notify-mailer', ['app-db']),
    { name: 'app-db', tier: 'critical' as const, owner: 'data', dependsOn: [] },
  ],
  securityEvents: [
    {
      timestamp: at(-25),
      kind: 'abuse-pattern',
      source: 'trust-and-safety',
      count: 300,
      detail: '300 posts by accounts created today, each mentioning 100 users with abusive content',
    },
  ],
  metrics: [
    {
      namespace: 'Mailer',
      metricName: 'SendErrors',
      service: 'notify-mailer',
      points: stepPoints(2, hurt ? 400 : 2, -20, 1),
    },
    {
      namespace: 'AWS/RDS',
      metricName: 'CPUUtilization',
      service: 'app-db',
      dimensions: { DBInstanceIdentifier: 'app-db' },
      points: stepPoints(35, hurt ? 88 : 36, -15, 2),
    },
  ],
  logs: hurt
    ? [
        {
          service: 'notify-mailer',
          timestamp: at(-18),
          level: 'ERROR' as const,
          count: 4000,
          message: 'Failed to send emails: Throttling: Maximum sending rate exceeded.',
        },
      ]
    : [],
});

describe('abuse of the service', () => {
  it('is classified as abuse, not as a finding', () => {
    const signal = {
      id: 's',
      at: at(0),
      kind: 'ses-complaint',
      count: 40,
      detail: 'recipients marking mails as spam',
    };
    expect(securityPattern(signal)).toBe('abuse');
  });

  it('is the cause when it hurts, blocked in front of the service', async () => {
    const run = await runScenario(scenario('notify-mailer', env(true), 'notification mail failing'));
    expect(run.rootCause.category).toBe('security');
    expect(run.rootCause.mitigation?.kind).toBe('block-traffic');
  });

  it('is not the cause when nothing it reaches moved', async () => {
    const run = await runScenario(scenario('notify-mailer', env(false), 'notification mail failing'));
    expect(run.rootCause.category).not.toBe('security');
  });
});
