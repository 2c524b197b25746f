/**
 * A database runs out of CPU as another of its callers takes eight times its usual requests. When
 * that caller is a service users call, the requests are their demand passed along: the database is
 * short of capacity and is scaled; restarting the caller would only drop users. When the caller is
 * a job of ours, the burst is work it chose to start, and stopping it is the move.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const env = (userFacing: boolean): Partial<Scenario['environment']> => ({
  services: [
    { ...api('order-worker', ['shop-db']), userFacing: false },
    { ...api('shop-front', ['shop-db']), userFacing },
    { name: 'shop-db', tier: 'critical' as const, owner: 'data' },
  ],
  metrics: [
    {
      namespace: 'AWS/ApplicationELB',
      metricName: 'RequestCount',
      service: 'shop-front',
      dimensions: { LoadBalancer: 'app/shop-front/1' },
      points: stepPoints(5000, 40_000, -20, 150),
    },
    {
      namespace: 'AWS/RDS',
      metricName: 'CPUUtilization',
      service: 'shop-db',
      dimensions: { DBInstanceIdentifier: 'shop-db' },
      points: stepPoints(35, 99, -18, 2),
    },
    {
      namespace: 'Orders',
      metricName: 'JobFailures',
      service: 'order-worker',
      dimensions: {},
      points: stepPoints(1, 300, -17, 1),
    },
  ],
  logs: [
    {
      service: 'order-worker',
      timestamp: at(-17),
      level: 'ERROR',
      count: 9000,
      message: 'psycopg2.errors.QueryCanceled: canceling statement due to statement timeout',
    },
  ],
});

describe("a database out of CPU under another caller's jump in requests", () => {
  it('is short of capacity when the caller is one users call', async () => {
    const run = await runScenario(scenario('order-worker', env(true)));
    expect(run.rootCause.category).toBe('capacity');
    expect(run.rootCause.mitigation?.kind).toBe('scale');
  });

  it("is that caller's burst of work when the caller is a job of ours", async () => {
    const run = await runScenario(scenario('order-worker', env(false)));
    expect(run.rootCause.mitigation).toMatchObject({ kind: 'restart', target: 'shop-front' });
  });
});
