/**
 * A major engine upgrade was requested 45 minutes before the database went away; its own log says
 * the upgrade was still at work (a pre-upgrade snapshot, the instance shut down) as the callers
 * began failing. The upgrade is the cause, timed from its last line at work, and a major upgrade
 * has no rollback in place (what else helps is the knowledge's business). Without those lines, a change that old is not tied to the failure.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const env = (atWork: boolean): Partial<Scenario['environment']> => ({
  services: [api('reports-web', ['reports-db']), api('reports-db', [], { userFacing: false })],
  changes: [
    {
      timestamp: at(-45),
      source: 'cloudtrail',
      eventName: 'ModifyDBInstance',
      service: 'reports-db',
      resource: 'db:reports-db',
      actor: 'arn:aws:sts::111122223333:assumed-role/dba/r.santos',
      summary: 'EngineVersion 14.7 -> 17.9, AllowMajorVersionUpgrade=true, ApplyImmediately=true',
    },
  ],
  metrics: [
    {
      namespace: 'AWS/ApplicationELB',
      metricName: 'HTTPCode_Target_5XX_Count',
      service: 'reports-web',
      dimensions: { LoadBalancer: 'app/reports-web/1' },
      points: stepPoints(2, 900, -6, 1),
    },
  ],
  logs: [
    ...(atWork
      ? [
          {
            service: 'reports-db',
            timestamp: at(-7),
            level: 'INFO',
            message: 'DB instance shutdown',
          },
          {
            service: 'reports-db',
            timestamp: at(-7),
            level: 'INFO',
            message:
              'Upgrade in progress: Creating pre-upgrade snapshot [preupgrade-reports-db-14-7-to-17-9].',
          },
        ]
      : []),
    {
      service: 'reports-web',
      timestamp: at(-6),
      level: 'ERROR',
      count: 41_800,
      message:
        'sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) connection to server at "reports-db.c9x2.us-east-1.rds.amazonaws.com" (10.61.20.14), port 5432 failed: Connection refused',
    },
  ],
});

describe('a change still at work when things broke', () => {
  it('is the cause, and a major upgrade is not rolled back', async () => {
    const run = await runScenario(scenario('reports-web', env(true)));
    expect(run.rootCause.category).toBe('database');
    expect(run.rootCause.summary).toMatch(/EngineVersion 14\.7 -> 17\.9/);
    expect(run.rootCause.summary).toMatch(/still at work/);
    expect(run.rootCause.mitigation?.kind).not.toBe('rollback');
  });

  it('is not tied to the failure by its request time alone', async () => {
    const run = await runScenario(scenario('reports-web', env(false)));
    expect(run.rootCause.summary).not.toMatch(/still at work/);
  });
});
