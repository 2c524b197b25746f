/**
 * AWS reports packet loss in one zone, over within minutes; our Akka cluster split during it and
 * stays split, its queue backing up. The blip was the trigger: the split cluster is what to act on
 * (restart it), not the provider's resolved event. While the provider's trouble goes on, its
 * notice is not read as over.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const env = (notice: string): Partial<Scenario['environment']> => ({
  services: [
    api('mail-processor', ['mail-db']),
    { name: 'mail-db', tier: 'critical' as const, owner: 'platform' },
    { name: 'network', tier: 'critical' as const, owner: 'aws' },
  ],
  changes: [
    {
      timestamp: at(-24),
      source: 'aws-health',
      eventName: 'AWS_EC2_OPERATIONAL_ISSUE',
      service: 'network',
      resource: 'us-east-1 (use1-az1 <-> other AZs)',
      actor: 'aws',
      summary: notice,
    },
  ],
  metrics: [
    {
      namespace: 'AWS/SQS',
      metricName: 'ApproximateAgeOfOldestMessage',
      service: 'mail-processor',
      dimensions: { QueueName: 'mail-inbound' },
      points: stepPoints(10, 1200, -18, 1),
    },
  ],
  logs: [
    {
      service: 'mail-processor',
      timestamp: at(-23),
      level: 'WARN',
      count: 6,
      message:
        'Cluster Node [akka.tcp://mail@10.20.1.15:2552] - Marking node(s) as UNREACHABLE [Member(address = akka.tcp://mail@10.20.2.31:2552, status = Up)]',
    },
    {
      service: 'mail-processor',
      timestamp: at(-23),
      level: 'INFO',
      count: 4,
      message:
        'Cluster Node [akka.tcp://mail@10.20.1.15:2552] - Leader is auto-downing unreachable node [akka.tcp://mail@10.20.2.31:2552]',
    },
  ],
});

describe("a failure of ours that outlasts the provider's blip", () => {
  it('is the root cause once the provider says its trouble is over', async () => {
    const run = await runScenario(
      scenario(
        'mail-processor',
        env(
          '[RESOLVED] Between 2:00 PM and 2:05 PM PDT some instances in a single Availability Zone experienced elevated packet loss',
        ),
        'mail backlog',
      ),
    );
    expect(run.rootCause.category).toBe('network');
    expect(run.rootCause.culprit).toBe('mail-processor');
    expect(run.rootCause.summary).toContain('outlasted it');
    expect(run.rootCause.mitigation).toMatchObject({ kind: 'restart', target: 'mail-processor' });
  });

  it('is not said to outlast trouble the provider still reports', async () => {
    const run = await runScenario(
      scenario(
        'mail-processor',
        env(
          '[Investigating] some instances in a single Availability Zone are experiencing elevated packet loss',
        ),
        'mail backlog',
      ),
    );
    expect(run.rootCause.summary).not.toContain('outlasted');
  });
});
