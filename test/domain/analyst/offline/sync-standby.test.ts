/**
 * Commits hang because the primary waits for a synchronous standby that does not confirm. The
 * caller quotes PostgreSQL's warning, but the fault is the database the caller uses (known as
 * PostgreSQL by its CloudNativePG exporter's series), and capacity would not help. A statement that
 * merely timed out says nothing about replication.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const env = (line: string): Partial<Scenario['environment']> => ({
  services: [
    api('rows-api', ['row-data']),
    { name: 'row-data', tier: 'critical' as const, owner: 'platform' },
  ],
  metrics: [
    {
      namespace: 'Prometheus',
      metricName: 'cnpg_backends_waiting_total',
      service: 'row-data',
      dimensions: { cluster: 'row-data' },
      points: stepPoints(0, 180, -20, 0),
    },
    {
      namespace: 'AWS/ApplicationELB',
      metricName: 'HTTPCode_Target_5XX_Count',
      service: 'rows-api',
      dimensions: { LoadBalancer: 'app/rows-api/1' },
      points: stepPoints(2, 1400, -20, 1),
    },
  ],
  logs: [
    {
      service: 'rows-api',
      timestamp: at(-19),
      level: 'ERROR',
      count: 20_000,
      message: line,
    },
  ],
});

describe('commits waiting for a synchronous standby', () => {
  it('blame the database, not the caller, and do not scale', async () => {
    const run = await runScenario(
      scenario(
        'rows-api',
        env(
          'update failed: WARNING:  canceling wait for synchronous replication due to user request DETAIL:  The transaction has already committed locally, but might not have been replicated to the standby.',
        ),
      ),
    );
    expect(run.rootCause.category).toBe('database');
    expect(run.rootCause.culprit).toBe('row-data');
    expect(run.rootCause.mitigation?.kind).not.toBe('scale');
  });

  it('are not read into a plain statement timeout', async () => {
    const run = await runScenario(
      scenario('rows-api', env('update failed: ERROR:  canceling statement due to statement timeout')),
    );
    expect(run.rootCause.summary).not.toMatch(/synchronous/i);
  });
});
