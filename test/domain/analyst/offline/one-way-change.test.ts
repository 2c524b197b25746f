/**
 * An operator's planned failover of the database, and writes refused on the demoted node right
 * after: the failover is the cause, but nothing reverts a failover once it is over. A parameter
 * change followed by the same errors is rolled back as ever.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const env = (eventName: string, summary: string): Partial<Scenario['environment']> => ({
  services: [
    api('ledger-worker', ['ledger-db']),
    { name: 'ledger-db', tier: 'critical' as const, owner: 'data' },
  ],
  changes: [
    {
      timestamp: at(-6),
      source: 'aws.rds',
      eventName,
      service: 'ledger-db',
      resource: 'ledger-db-cluster',
      actor: 'sre-oncall',
      summary,
    },
  ],
  metrics: [
    {
      namespace: 'Ledger',
      metricName: 'WriteErrors',
      service: 'ledger-worker',
      points: stepPoints(0, 400, -5, 0),
    },
  ],
  logs: [
    {
      service: 'ledger-worker',
      timestamp: at(-5),
      level: 'ERROR',
      count: 900,
      message: 'error: cannot execute UPDATE in a read-only transaction',
    },
  ],
});

describe('a change that cannot be undone', () => {
  it('is not rolled back when it was a failover', async () => {
    const run = await runScenario(
      scenario('ledger-worker', env('FailoverDBCluster', 'Planned failover to ledger-db-instance-3')),
    );
    expect(run.rootCause.culprit).toMatch(/ledger-db/);
    expect(run.rootCause.mitigation?.kind).not.toBe('rollback');
  });

  it('is rolled back when it was a parameter change', async () => {
    const run = await runScenario(
      scenario(
        'ledger-worker',
        env('ModifyDBClusterParameterGroup', 'default_transaction_read_only off -> on'),
      ),
    );
    expect(run.rootCause.mitigation?.kind).toBe('rollback');
  });
});
