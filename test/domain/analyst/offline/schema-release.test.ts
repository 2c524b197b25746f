/**
 * A migration job (a service nobody calls) released a foreign key on a hot table, and statements
 * then waited on its lock: the database changed, and the lock is named. The same DDL shipped inside
 * the alerting service's own release stays a deployment.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const env = (releasedBy: 'job' | 'app'): Partial<Scenario['environment']> => {
  const released = releasedBy === 'job' ? 'ledger-migrator' : 'ledger-api';
  return {
    services: [
      api('ledger-api', ['ledger-db']),
      { name: 'ledger-db', tier: 'critical' as const, owner: 'core' },
      { name: 'ledger-migrator', tier: 'internal' as const, owner: 'core', dependsOn: ['ledger-db'] },
    ],
    deployments: [
      {
        service: released,
        version: '20260501115300',
        previousVersion: '20260420090000',
        startedAt: at(-7),
        completedAt: at(-1),
        status: 'succeeded',
        description: 'add FK entries.account_id -> accounts.id',
      },
    ],
    metrics: [
      {
        namespace: 'AWS/ApplicationELB',
        metricName: 'HTTPCode_Target_5XX_Count',
        service: 'ledger-api',
        dimensions: { LoadBalancer: 'app/ledger/1' },
        points: stepPoints(2, 900, -6, 1),
      },
    ],
    logs: [
      {
        service: released,
        timestamp: at(-7),
        level: 'INFO',
        message:
          'ALTER TABLE `entries` ADD CONSTRAINT `fk_entries_account` FOREIGN KEY (`account_id`) REFERENCES `accounts` (`id`);',
      },
      {
        service: 'ledger-db',
        timestamp: at(-4),
        level: 'WARN',
        count: 400,
        message:
          '# Query_time: 181.204412  Lock_time: 181.203981 Rows_sent: 0  Rows_examined: 0\nINSERT INTO `entries` (`account_id`, `amount`) VALUES (?, ?)',
      },
      {
        service: 'ledger-api',
        timestamp: at(-6),
        level: 'ERROR',
        count: 5000,
        message: 'level=error msg="request failed" status=503 err="saving entry: context deadline exceeded"',
      },
    ],
  };
};

describe('a release that is only a schema migration', () => {
  it('is a database change, and the lock its DDL holds is named', async () => {
    const run = await runScenario(scenario('ledger-api', env('job')));
    expect(run.rootCause.category).toBe('database');
    expect(run.rootCause.summary).toMatch(/schema migration/);
    expect(run.rootCause.summary).toMatch(/wait on the lock/);
    expect(run.rootCause.mitigation?.kind).toBe('rollback');
    expect(run.rootCause.mitigation?.target).toBe('ledger-migrator');
  });

  it("stays a deployment when it shipped in the alerting service's own release", async () => {
    const run = await runScenario(scenario('ledger-api', env('app')));
    expect(run.rootCause.category).toBe('deployment');
    expect(run.rootCause.summary).not.toMatch(/schema migration/);
  });
});
