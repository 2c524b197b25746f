/**
 * A queue's backlog grows: the queue has nothing to scale, its consumer does. The consumer is the
 * one service depending on the queue that no user calls (the user-facing ones put work in). With
 * two such services, which one works this queue off is not known, and neither is named.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const env = (workers: string[]): Partial<Scenario['environment']> => ({
  services: [
    api('build-web', ['build-jobs']),
    api('build-jobs', [], { userFacing: false }),
    ...workers.map((w) => api(w, ['build-jobs'], { userFacing: false })),
  ],
  metrics: [
    {
      namespace: 'AWS/SQS',
      metricName: 'ApproximateNumberOfMessagesVisible',
      service: 'build-jobs',
      dimensions: { QueueName: 'build-jobs' },
      points: stepPoints(5, 20000, -20, 2),
    },
  ],
  logs: [
    {
      service: 'build-web',
      timestamp: at(-15),
      level: 'WARN',
      count: 300,
      message: 'commit status for build 88213 still pending after 600s',
    },
  ],
});

describe('a queue backlog', () => {
  it('scales the service that works the queue off', async () => {
    const run = await runScenario(scenario('build-jobs', env(['build-worker'])));
    expect(run.rootCause.mitigation).toMatchObject({ kind: 'scale', target: 'build-worker' });
  });

  it('does not guess between two consumers', async () => {
    const run = await runScenario(scenario('build-jobs', env(['build-worker', 'report-worker'])));
    expect(['build-worker', 'report-worker']).not.toContain(run.rootCause.mitigation?.target);
  });
});
