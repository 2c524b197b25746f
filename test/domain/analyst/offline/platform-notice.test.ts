/**
 * AWS failing over a database we use, just before its clients began timing out, is the story; a
 * notice that an upgrade is pending for the next maintenance window is not: nothing happened yet.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const env = (eventName: string, summary: string): Partial<Scenario['environment']> => ({
  services: [
    api('market', ['listings-db']),
    { name: 'listings-db', tier: 'critical' as const, owner: 'data' },
  ],
  changes: [
    { timestamp: at(-12), eventName, service: 'listings-db', resource: 'listings-db', actor: 'aws', summary },
  ],
  metrics: [
    {
      namespace: 'AWS/ApplicationELB',
      metricName: 'HTTPCode_ELB_504_Count',
      service: 'market',
      points: stepPoints(3, 4000, -8, 1),
    },
  ],
  logs: [
    {
      service: 'market',
      timestamp: at(-8),
      level: 'ERROR',
      count: 40_000,
      message:
        'PDOException: SQLSTATE[HY000] [2002] Connection timed out (listings-db.cluster-ro.rds.amazonaws.com:3306)',
    },
  ],
});

describe('platform events', () => {
  it('blames a failover AWS reports as done', async () => {
    const run = await runScenario(
      scenario('market', env('RDS-EVENT-0049', 'Multi-AZ instance failover completed')),
    );
    expect(run.rootCause.culprit).toBe('listings-db');
    expect(run.rootCause.summary).toContain('platform failover/restart');
  });

  it('does not read a pending maintenance notice as a failover', async () => {
    const run = await runScenario(
      scenario(
        'market',
        env(
          'AWS_RDS_PLANNED_LIFECYCLE_EVENT',
          'Pending maintenance: Aurora MySQL minor version upgrade available, to be applied in next maintenance window',
        ),
      ),
    );
    expect(run.rootCause.summary).not.toContain('platform failover/restart');
  });
});
