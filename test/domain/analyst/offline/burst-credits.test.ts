/**
 * A database on burst-credit storage spends its last I/O credits: statements time out, and the
 * scheduler that reads from it waits longer. The scheduler's delay is what the database did to
 * it, not work it sent; the summary says what ran out (I/O burst credits), and the scheduler is
 * not restarted. A client whose own work jumped just before is still named as the load.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const env = (schedulerMetric: string, after: number): Partial<Scenario['environment']> => ({
  services: [
    api('app-api', ['app-db']),
    { name: 'scheduler', tier: 'high' as const, owner: 'platform', dependsOn: ['app-db'] },
    { name: 'app-db', tier: 'critical' as const, owner: 'platform' },
  ],
  metrics: [
    {
      namespace: 'AWS/RDS',
      metricName: 'BurstBalance',
      service: 'app-db',
      points: stepPoints(40, 0, -25, 0.5),
    },
    {
      namespace: 'AWS/RDS',
      metricName: 'DatabaseConnections',
      service: 'app-db',
      points: stepPoints(410, 1090, -24, 5),
    },
    {
      namespace: 'Scheduler',
      metricName: schedulerMetric,
      service: 'scheduler',
      points: stepPoints(0.8, after, -22, 0.02),
    },
  ],
  logs: [
    {
      service: 'app-api',
      timestamp: at(-20),
      level: 'ERROR',
      count: 48_000,
      message:
        'pq: canceling statement due to statement timeout (SQLSTATE 57014) query=GetWorkspaceFunctions',
    },
  ],
});

describe('a database out of I/O burst credits', () => {
  it('says what ran out and does not blame the client that had to wait', async () => {
    const { rootCause } = await runScenario(scenario('app-api', env('ScheduleDelayP95', 9.8)));
    expect(rootCause.culprit).toBe('app-db');
    expect(rootCause.summary).toMatch(/I\/O burst credits/);
    expect(rootCause.mitigation?.target).not.toBe('scheduler');
  });

  it('still names a client whose own work jumped as the load', async () => {
    const { rootCause } = await runScenario(scenario('app-api', env('JobsDispatched', 40)));
    expect(rootCause.summary).toMatch(/scheduler's JobsDispatched jumped/);
  });
});
