/**
 * A release that leaks database connections: the store's open connections sat flat until the
 * release landed the evening before, then climbed all night until every slot was taken. The
 * exhausted store is the symptom; the release that set off the climb is the cause. A climb that
 * began hours after the release is not its doing.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario } from './fixtures.js';
import { runScenario } from './harness.js';

/** Five-minute points over the last 15 hours: flat at 240 until `climbAt`, then a steady climb to 1000. */
function connections(climbAt: number): Array<[string, number]> {
  const pts: Array<[string, number]> = [];
  for (let m = -900; m < 0; m += 5) {
    const wobble = 4 * Math.sin(m * 0.7);
    const v = m < climbAt ? 240 + wobble : 240 + ((m - climbAt) / -climbAt) * 760 + wobble;
    pts.push([at(m), Math.round(Math.min(1000, v))]);
  }
  return pts;
}

const env = (climbAt: number): Partial<Scenario['environment']> => ({
  services: [api('forum-web', ['forum-db']), { name: 'forum-db', tier: 'critical', owner: 'data' }],
  metrics: [
    {
      namespace: 'AWS/RDS',
      metricName: 'DatabaseConnections',
      service: 'forum-db',
      dimensions: { DBInstanceIdentifier: 'forum-main' },
      points: connections(climbAt),
    },
  ],
  logs: [
    {
      service: 'forum-web',
      timestamp: at(-5),
      level: 'ERROR',
      count: 50_000,
      message:
        'db: acquire conn: pq: remaining connection slots are reserved for non-replication superuser connections',
    },
    {
      service: 'forum-db',
      timestamp: at(-5),
      level: 'FATAL',
      count: 40_000,
      message: 'FATAL:  sorry, too many clients already',
    },
  ],
  deployments: [
    {
      service: 'forum-web',
      version: 'v812',
      previousVersion: 'v811',
      startedAt: at(-848),
      completedAt: at(-842),
      status: 'succeeded',
      description: 'Chat: recount unread messages inside a transaction on reconnect',
    },
  ],
});

describe('a release that leaks connections', () => {
  it('is blamed when the store’s connections began to climb as it landed', async () => {
    const run = await runScenario(scenario('forum-web', env(-840), 'forum-web is failing'));
    expect(run.rootCause.category).toBe('deployment');
    expect(run.rootCause.culprit).toBe('v812');
    expect(run.rootCause.mitigation?.kind).toBe('rollback');
  });

  it('is not blamed for a climb that began hours after it', async () => {
    const run = await runScenario(scenario('forum-web', env(-420), 'forum-web is failing'));
    expect(run.rootCause.category).not.toBe('deployment');
  });

  it('is blamed for a step in the store’s connections as it rolled out, not for one hours later', async () => {
    // Five-minute points over 15 hours, flat at 240 and stepping to 1000 at `stepAt`.
    const step = (stepAt: number) =>
      connections(-840).map(
        ([t], i) => [t, (i * 5 - 900 < stepAt ? 240 : 1000) + (i % 3)] as [string, number],
      );
    const stepped = (stepAt: number): Partial<Scenario['environment']> => {
      const base = env(-840);
      return {
        ...base,
        metrics: [{ ...base.metrics![0], points: step(stepAt) }],
        deployments: [{ ...base.deployments![0], startedAt: at(-300), completedAt: at(-296) }],
      };
    };
    const withIt = await runScenario(scenario('forum-web', stepped(-295), 'forum-web is failing'));
    expect(withIt.rootCause.category).toBe('deployment');
    const later = await runScenario(scenario('forum-web', stepped(-20), 'forum-web is failing'));
    expect(later.rootCause.category).not.toBe('deployment');
  });
});
