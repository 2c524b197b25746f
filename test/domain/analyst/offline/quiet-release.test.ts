/**
 * Tables dropped on the database in the minute the errors began, fourteen minutes after a release
 * the service had been running quietly: the dropped tables are the cause, and the database is
 * restored to just before them (nothing else undoes a DROP). The same drop two minutes after the
 * release may have been the release's own doing, and the release keeps the lead.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const env = (releasedAgo: number): Partial<Scenario['environment']> => ({
  services: [api('board-web', ['board-db']), { name: 'board-db', tier: 'critical' as const, owner: 'core' }],
  deployments: [
    {
      service: 'board-web',
      version: 'v42',
      previousVersion: 'v41',
      startedAt: at(-6 - releasedAgo),
      completedAt: at(-4 - releasedAgo),
      status: 'succeeded',
      description: 'leaderboard sort order tweak',
    },
  ],
  metrics: [
    {
      namespace: 'AWS/ApplicationELB',
      metricName: 'HTTPCode_Target_5XX_Count',
      service: 'board-web',
      dimensions: { LoadBalancer: 'app/board/1' },
      points: stepPoints(2, 600, -6, 1),
    },
  ],
  logs: [
    {
      service: 'board-db',
      timestamp: at(-6),
      level: 'LOG',
      count: 5,
      message: 'statement: DROP TABLE IF EXISTS "player" CASCADE',
    },
    {
      service: 'board-web',
      timestamp: at(-6),
      level: 'ERROR',
      count: 900,
      message: 'peewee.ProgrammingError: relation "player" does not exist',
    },
  ],
});

describe('a release that ran quietly until a known cause appeared', () => {
  it('yields to tables dropped at the onset, and the database is restored to before them', async () => {
    const run = await runScenario(scenario('board-web', env(14)));
    expect(run.rootCause.category).toBe('database');
    expect(run.rootCause.culprit).toBe('board-db');
    expect(run.rootCause.mitigation?.kind).toBe('rollback');
    expect(run.rootCause.mitigation?.target).toBe('board-db');
    expect(run.rootCause.mitigation?.params.toTime).toBe(at(-6));
  });

  it('keeps the lead when the drop came right after it', async () => {
    const run = await runScenario(scenario('board-web', env(1)));
    expect(run.rootCause.category).toBe('deployment');
  });
});
