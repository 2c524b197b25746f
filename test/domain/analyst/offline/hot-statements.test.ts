/**
 * A database that ran out of CPU is named with the work it was stuck on: the table of its slowest
 * statements and the client that sent them, as its own slow log says. A database with no slow
 * lines is named alone, and a story that already names the table does not repeat it.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const SLOW =
  '2026-05-01 11:50:02 UTC:10.0.4.8(51822):report_worker@shop:[22911]:LOG:  duration: 31411.902 ms  execute <unnamed>: SELECT o.id, o.total FROM order_lines o WHERE o.account_id = $1 ORDER BY o.created_at';

const env = (slowLines: boolean): Partial<Scenario['environment']> => ({
  services: [
    api('shop-api', ['shop-db']),
    { name: 'report-worker', tier: 'standard' as const, owner: 'reports', dependsOn: ['shop-db'] },
    { name: 'shop-db', tier: 'critical' as const, owner: 'dba' },
  ],
  metrics: [
    {
      namespace: 'AWS/RDS',
      metricName: 'CPUUtilization',
      service: 'shop-db',
      dimensions: { DBInstanceIdentifier: 'shop-db' },
      points: stepPoints(22, 99, -12, 2),
    },
  ],
  logs: [
    ...(slowLines
      ? [{ service: 'shop-db', level: 'WARN' as const, message: SLOW, timestamp: at(-11), count: 4200 }]
      : []),
    {
      service: 'shop-api',
      level: 'ERROR' as const,
      message:
        'sqlalchemy.exc.OperationalError: (psycopg2.errors.QueryCanceled) canceling statement due to statement timeout',
      timestamp: at(-10),
      count: 2600,
    },
  ],
});

describe('the statements a saturated database was stuck on', () => {
  it('names their table and the client that sent them', async () => {
    const run = await runScenario(scenario('shop-api', env(true), 'shop-api 5xx'));
    expect(run.rootCause.culprit).toBe('shop-db');
    expect(run.rootCause.summary).toContain(
      'Its slowest statements are on order_lines, sent by report-worker',
    );
    expect(run.rootCause.evidence.some((e) => e.startsWith('log:'))).toBe(true);
  });

  it('names the database alone when it logged no slow statements', async () => {
    const run = await runScenario(scenario('shop-api', env(false), 'shop-api 5xx'));
    expect(run.rootCause.culprit).toBe('shop-db');
    expect(run.rootCause.summary).not.toContain('slowest statements');
  });
});
