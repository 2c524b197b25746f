/**
 * A database out of connection slots because one client's pool took them is that client's
 * setting, not the database: the client is named and the story is configuration. When the
 * client only started work (its own connection count did not rise by much of what the database
 * gained), the database running out stays the story.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const env = (poolGrew: boolean): Partial<Scenario['environment']> => ({
  services: [
    api('public-api', ['orders-db']),
    { name: 'ledger-worker', tier: 'high' as const, owner: 'payments', dependsOn: ['orders-db'] },
    { name: 'orders-db', tier: 'critical' as const, owner: 'dba' },
  ],
  metrics: [
    {
      namespace: 'AWS/RDS',
      metricName: 'DatabaseConnections',
      service: 'orders-db',
      dimensions: { DBInstanceIdentifier: 'orders-db' },
      points: stepPoints(220, 498, -15, 6),
    },
    {
      namespace: 'Ledger/Pool',
      metricName: 'ConnectionsByApplication',
      service: 'ledger-worker',
      points: poolGrew ? stepPoints(40, 300, -16, 2) : stepPoints(40, 52, -16, 2),
    },
  ],
  logs: [
    {
      service: 'ledger-worker',
      level: 'INFO' as const,
      message: 'started settlement batch of 500 ledger entries',
      timestamp: at(-16),
      count: 30,
    },
    {
      service: 'public-api',
      level: 'ERROR' as const,
      message: 'FATAL: remaining connection slots are reserved for non-replication superuser connections',
      timestamp: at(-14),
      count: 900,
    },
  ],
});

describe("a client's pool that filled the database", () => {
  it('names the client and calls it configuration when its own connections took the slots', async () => {
    const run = await runScenario(scenario('public-api', env(true), 'public-api 5xx'));
    expect(run.rootCause.category).toBe('configuration');
    expect(run.rootCause.culprit).toBe('ledger-worker');
    expect(run.rootCause.summary).toContain("ledger-worker's connection pool took orders-db's connections");
  });

  it('keeps the database the story when the client only started work', async () => {
    const run = await runScenario(scenario('public-api', env(false), 'public-api 5xx'));
    expect(run.rootCause.category).toBe('database');
    expect(run.rootCause.culprit).toBe('orders-db');
  });
});
