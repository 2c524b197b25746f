/**
 * A datastore a vendor runs for us (a hosted Redis) failing is that provider's outage, a
 * dependency; the same store run by our own platform team failing is a database failure.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const env = (owner: string): Partial<Scenario['environment']> => ({
  services: [api('classroom-web', ['hosted-redis']), { name: 'hosted-redis', tier: 'critical', owner }],
  metrics: [
    {
      namespace: 'AWS/ApplicationELB',
      metricName: 'HTTPCode_Target_5XX_Count',
      service: 'classroom-web',
      points: stepPoints(4, 2000, -6, 2),
    },
  ],
  logs: [
    {
      service: 'classroom-web',
      timestamp: at(-6),
      level: 'ERROR',
      count: 70_000,
      message:
        'Redis::CannotConnectError (Error connecting to Redis on redis-16482.c289.us-east-1-2.ec2.hostedredis.example:16482 (Redis::TimeoutError))',
    },
  ],
});

describe('a failing datastore', () => {
  it('run by a vendor is a dependency outage', async () => {
    const run = await runScenario(scenario('classroom-web', env('external vendor (managed Redis)')));
    expect(run.rootCause.category).toBe('dependency');
    expect(run.rootCause.culprit).toBe('hosted-redis');
  });

  it('run by us is a database failure', async () => {
    const run = await runScenario(scenario('classroom-web', env('platform')));
    expect(run.rootCause.category).toBe('database');
    expect(run.rootCause.culprit).toBe('hosted-redis');
  });
});
