/**
 * A release from the evening before made a lookup expensive; at the next peak the database's
 * slow-statement log fills and the service fails on the very thing the release was about. The
 * release leads though timing alone gave up on it; a release about something else does not.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const env = (releaseNote: string): Partial<Scenario['environment']> => ({
  services: [api('mail-forwarder', ['alias-store']), { name: 'alias-store', tier: 'critical' as const }],
  metrics: [
    {
      namespace: 'AWS/RDS',
      metricName: 'CPUUtilization',
      service: 'alias-store',
      points: stepPoints(40, 99, -10, 1),
    },
  ],
  deployments: [
    {
      service: 'mail-forwarder',
      version: '2025.10.07-3',
      previousVersion: '2025.10.07-1',
      startedAt: at(-17 * 60 - 8),
      completedAt: at(-17 * 60),
      status: 'succeeded',
      description: releaseNote,
    },
  ],
  logs: [
    {
      service: 'alias-store',
      timestamp: at(-9),
      level: 'WARN',
      count: 28_000,
      message: '# Query_time: 6.918204  Lock_time: 0.000011 Rows_sent: 1  Rows_examined: 3987120',
    },
    {
      service: 'mail-forwarder',
      timestamp: at(-5),
      level: 'WARN',
      count: 96_000,
      message: 'alias lookup timed out after 10s; deferring message (451 4.3.0 Temporary lookup failure)',
    },
  ],
});

describe('a release that made a statement expensive', () => {
  it('leads when the service fails on what the release was about', async () => {
    const run = await runScenario(
      scenario(
        'mail-forwarder',
        env('alias lookup: single query for exact + catch-all with precedence ordering'),
      ),
    );
    expect(run.rootCause.category).toBe('deployment');
    expect(run.rootCause.mitigation).toMatchObject({ kind: 'rollback', target: 'mail-forwarder' });
  });

  it("does not lead when the slow statements are not the release's", async () => {
    const e = env('customer sync: retry budget per customer');
    e.logs = [
      {
        ...e.logs![0],
        message:
          'duration: 6203.551 ms  execute <unnamed>: SELECT "tasks".* FROM "tasks" WHERE "project_id" = $1',
      },
      {
        ...e.logs![1],
        count: 40,
        message: 'customer sync for acct_31 hit its retry budget per customer; backing off',
      },
    ];
    const run = await runScenario(scenario('mail-forwarder', e));
    expect(run.rootCause.category).not.toBe('deployment');
  });

  it('does not lead when the release was about something else', async () => {
    const run = await runScenario(scenario('mail-forwarder', env('dashboard: dark mode toggle')));
    expect(run.rootCause.category).not.toBe('deployment');
  });
});
