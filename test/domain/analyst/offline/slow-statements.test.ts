/**
 * Statements the database logs as taking seconds, just after a migration changed the tables they
 * read, are that migration's effect: reverting it is the action (a lost index comes back). The
 * slow-statement signature names no action of its own, so without a change there is nothing to
 * revert.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const env = (migrated: boolean): Partial<Scenario['environment']> => ({
  services: [
    api('billing-api', ['billing-db']),
    { name: 'billing-db', tier: 'critical' as const, owner: 'core' },
  ],
  metrics: [
    {
      namespace: 'AWS/ApplicationELB',
      metricName: 'HTTPCode_Target_5XX_Count',
      service: 'billing-api',
      points: stepPoints(10, 5_000, -14, 3),
    },
  ],
  logs: [
    {
      service: 'billing-db',
      timestamp: at(-14),
      level: 'WARN',
      count: 9_000,
      message:
        'LOG:  duration: 7412.903 ms  execute <unnamed>: select * from customers left join customer_products on customer_products.customer_id = customers.id',
    },
  ],
  changes: migrated
    ? [
        {
          timestamp: at(-15),
          source: 'schema-migration',
          eventName: 'ApplyMigration',
          service: 'billing-db',
          resource: 'migrations/0142_align_collations',
          actor: 'eng:dev',
          summary: 'ALTER TABLE customer_products ALTER COLUMN customer_id TYPE text COLLATE "C"',
        },
      ]
    : [],
});

describe('slow statements after a migration', () => {
  it('reverts the migration', async () => {
    const { rootCause } = await runScenario(scenario('billing-api', env(true)));
    expect(rootCause.culprit).toBe('migrations/0142_align_collations');
    expect(rootCause.mitigation).toMatchObject({
      kind: 'rollback',
      params: { change: expect.stringContaining('applymigration') },
    });
  });

  it('reverts nothing with no change before them', async () => {
    const { rootCause } = await runScenario(scenario('billing-api', env(false)));
    expect(rootCause.mitigation?.kind).not.toBe('rollback');
  });
});
