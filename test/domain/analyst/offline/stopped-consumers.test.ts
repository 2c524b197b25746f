/**
 * A queue's backlog grows because its consumers stopped taking messages at all — the queue counts
 * none received while they still arrive — not because there are too few of them: scaling would
 * add more workers to sit as still. When the consumers keep receiving, only slower than messages
 * arrive, it is a shortage of consumers, and they are scaled.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const sqs = (metricName: string, points: Array<[string, number]>) => ({
  namespace: 'AWS/SQS',
  metricName,
  service: 'jobs-queue',
  dimensions: { QueueName: 'jobs-queue.fifo' },
  points,
});

const env = (stopped: boolean): Partial<Scenario['environment']> => ({
  services: [
    api('jobs-api', ['jobs-queue']),
    api('jobs-worker', ['jobs-queue']),
    { name: 'jobs-queue', tier: 'critical' as const, owner: 'platform' },
  ],
  metrics: [
    sqs('ApproximateNumberOfMessagesVisible', stepPoints(50, 12_000, -8, 10)),
    sqs('NumberOfMessagesSent', stepPoints(3_400, 3_400, -8, 100)),
    sqs('NumberOfMessagesReceived', stepPoints(3_400, stopped ? 0 : 1_900, -8, 100)),
    {
      namespace: 'Jobs',
      metricName: 'JobsCompleted',
      service: 'jobs-worker',
      points: stepPoints(2_100, stopped ? 0 : 1_200, -8, 60),
    },
  ],
});

const conclude = async (stopped: boolean) =>
  (await runScenario(scenario('jobs-queue', env(stopped), 'jobs backlog growing'))).rootCause;

describe('a backlog behind consumers', () => {
  it('that stopped taking messages is their code, not a shortage of them', async () => {
    const rc = await conclude(true);
    expect(rc.category).toBe('code');
    expect(rc.culprit).toBe('jobs-worker');
    expect(rc.mitigation?.kind).not.toBe('scale');
  });

  it('that still take messages, too slowly, is a shortage scaled out', async () => {
    const rc = await conclude(false);
    expect(rc.category).toBe('capacity');
  });
});
