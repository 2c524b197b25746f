/**
 * A registry lifecycle rule expired an image tag hours ago; when a node is replaced, the pull asks
 * for that very tag and fails. The expiry is the cause however old it is: the missing thing ties
 * them. If the expiry took other tags, the same pull failure has nothing tying it to the rule.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const env = (expiredTag: string): Partial<Scenario['environment']> => ({
  services: [api('scan-orchestrator', ['token-scanner']), api('token-scanner', [], { userFacing: false })],
  deployments: [
    {
      service: 'token-scanner',
      version: 'main-4f9c2e1',
      previousVersion: 'main-b81d03e',
      startedAt: at(-60 * 24 * 6),
      completedAt: at(-60 * 24 * 6 + 4),
      status: 'succeeded',
      author: 'ci',
      kind: 'helm',
      description: 'scanner rules: four new token patterns',
    },
  ],
  changes: [
    {
      timestamp: at(-150),
      source: 'aws.ecr',
      eventName: 'PolicyExecutionEvent',
      service: 'token-scanner',
      resource: 'arn:aws:ecr:us-east-1:111122223333:repository/token-scanner',
      actor: 'ecr.amazonaws.com',
      summary: `Lifecycle policy expired 14 images in repository token-scanner, including tag ${expiredTag}`,
    },
  ],
  metrics: [
    {
      namespace: 'AWS/SQS',
      metricName: 'ApproximateAgeOfOldestMessage',
      service: 'token-scanner',
      dimensions: { QueueName: 'scan-jobs' },
      points: stepPoints(30, 3000, -25, 10),
    },
  ],
  logs: [
    {
      service: 'token-scanner',
      timestamp: at(-27),
      level: 'WARN',
      count: 6,
      message:
        'Warning  Failed  pod/token-scanner-7d9f-x2kqp  Failed to pull image "111122223333.dkr.ecr.us-east-1.amazonaws.com/token-scanner:main-4f9c2e1": rpc error: code = NotFound desc = manifest unknown',
    },
  ],
});

describe('a failure asking for what a change took away', () => {
  it('blames the expiry, hours old, and undoes it', async () => {
    const run = await runScenario(scenario('token-scanner', env('main-4f9c2e1')));
    expect(run.rootCause.category).toBe('configuration');
    expect(run.rootCause.summary).toMatch(/Lifecycle policy/);
    expect(run.rootCause.mitigation?.kind).toBe('rollback');
  });

  it('does not tie the expiry to a pull of a tag it did not take', async () => {
    const run = await runScenario(scenario('token-scanner', env('main-0a1b2c3')));
    expect(run.rootCause.summary).not.toMatch(/Lifecycle policy/);
  });
});
