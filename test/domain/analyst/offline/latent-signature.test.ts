/**
 * Logins refused by the broker since the publishers' connections reached their maximum age, and
 * the broker user's password changed three days before: the change is the cause, found through
 * the failure's own signature though timing alone gave up on it. Of two users changed, the one the
 * failing lines name; a password changed on a service off the failing path is not blamed.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const DAYS = 24 * 60;

const passwordChange = (user: string, service: string, minutesBefore: number) => ({
  timestamp: at(-minutesBefore),
  source: 'rabbitmq-event-exchange',
  eventName: 'user.password.changed',
  service,
  resource: `${service}/users/${user}`,
  actor: 'admin (management API)',
  summary: `Password changed for broker user ${user}`,
});

const env = (changes: Scenario['environment']['changes']): Partial<Scenario['environment']> => ({
  services: [
    api('billing-api', ['jobs-broker']),
    { name: 'jobs-broker', tier: 'high' as const, owner: 'platform', dependsOn: [] },
    { name: 'audit-broker', tier: 'standard' as const, owner: 'platform', dependsOn: [] },
  ],
  changes,
  metrics: [
    {
      namespace: 'Billing',
      metricName: 'JobsPublished',
      service: 'billing-api',
      points: stepPoints(400, 0, -20, 10),
    },
  ],
  logs: [
    {
      service: 'billing-api',
      timestamp: at(-20),
      level: 'ERROR' as const,
      count: 5000,
      message:
        'amqp: reconnect failed: Handshake terminated by server: 403 (ACCESS-REFUSED) with message "ACCESS_REFUSED - Login was refused using authentication mechanism PLAIN."',
    },
    {
      service: 'jobs-broker',
      timestamp: at(-20),
      level: 'INFO' as const,
      count: 40,
      message: "closing AMQP connection (10.0.1.7:51514 -> 10.0.3.15:5671, vhost: '/', user: 'svc-billing')",
    },
  ],
});

describe('a credential changed days before the logins were refused', () => {
  it('is the cause, and the user the lines name is the one rotated', async () => {
    const run = await runScenario(
      scenario(
        'billing-api',
        env([
          passwordChange('svc-billing', 'jobs-broker', 3 * DAYS),
          passwordChange('svc-reports', 'jobs-broker', 3 * DAYS - 2),
        ]),
        'jobs are not being published',
      ),
    );
    expect(run.rootCause.category).toBe('configuration');
    expect(run.rootCause.culprit).toBe('jobs-broker/users/svc-billing');
    expect(run.rootCause.mitigation?.kind).toBe('rotate-credentials');
  });

  it('is not found on a service off the failing path', async () => {
    const run = await runScenario(
      scenario(
        'billing-api',
        env([passwordChange('svc-billing', 'audit-broker', 3 * DAYS)]),
        'jobs are not being published',
      ),
    );
    expect(run.rootCause.culprit).not.toContain('audit-broker');
  });
});
