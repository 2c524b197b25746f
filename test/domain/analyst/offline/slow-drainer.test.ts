/**
 * A queue backs up because what drains it cannot keep up: the scheduler on the queue with its CPU
 * pinned is named, the backlog ranks below it. With no service on the queue running short, the
 * queue's own backlog remains the story.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const env = (pinned: boolean): Partial<Scenario['environment']> => ({
  services: [
    api('mail-api', ['mail-queue']),
    { name: 'delivery-scheduler', tier: 'critical' as const, owner: 'mail', dependsOn: ['mail-queue'] },
    { name: 'mail-queue', tier: 'critical' as const, owner: 'mail' },
  ],
  metrics: [
    {
      namespace: 'Mail/Delivery',
      metricName: 'ReadyQueueDepth',
      service: 'mail-queue',
      points: stepPoints(16_000, 900_000, -20, 800),
    },
    {
      namespace: 'AWS/ECS',
      metricName: 'CPUUtilization',
      service: 'delivery-scheduler',
      points: pinned ? stepPoints(60, 99.5, -18, 2) : stepPoints(40, 41, -18, 2),
    },
  ],
});

describe('a slow drainer', () => {
  it('names the service on the queue that ran out of CPU, not the queue', async () => {
    const run = await runScenario(scenario('mail-api', env(true), 'mail delivery delayed'));
    expect(run.rootCause.culprit).toBe('delivery-scheduler');
    expect(run.rootCause.summary).toContain('mail-queue backs up behind it');
  });

  it('leaves the backlog the story when nothing on the queue ran short', async () => {
    const run = await runScenario(scenario('mail-api', env(false), 'mail delivery delayed'));
    expect(run.rootCause.culprit).not.toBe('delivery-scheduler');
  });
});
