/**
 * A datastore we run is known by what its telemetry says it runs, whatever it is called: `site-kv`
 * with a MongoDB exporter failing, refusing its caller's connections, is the database failing. The
 * same failure of a service whose telemetry names no engine stays a dependency failing.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const env = (metricName: string): Partial<Scenario['environment']> => ({
  services: [api('origin-api', ['site-kv']), { name: 'site-kv', tier: 'critical' as const, owner: 'data' }],
  metrics: [
    { namespace: 'Prometheus', metricName, service: 'site-kv', points: stepPoints(1, 0, -6, 0) },
    {
      namespace: 'AWS/ApplicationELB',
      metricName: 'HTTPCode_Target_5XX_Count',
      service: 'origin-api',
      points: stepPoints(2, 4000, -5, 1),
    },
  ],
  logs: [
    {
      service: 'origin-api',
      timestamp: at(-5),
      level: 'ERROR',
      count: 30_000,
      message: 'GET /sites/abc 502: dial tcp 10.30.1.11:27017: connect: connection refused (site-kv)',
    },
  ],
});

describe('a datastore known by its telemetry', () => {
  it('calls a failing store with a MongoDB exporter a database failure and names it', async () => {
    const run = await runScenario(scenario('origin-api', env('mongodb_rs_primary_count')));
    expect(run.rootCause.category).toBe('database');
    expect(run.rootCause.culprit).toBe('site-kv');
  });

  it('leaves a store whose telemetry names no engine a failing dependency', async () => {
    const run = await runScenario(scenario('origin-api', env('kv_primary_count')));
    expect(run.rootCause.category).toBe('dependency');
    expect(run.rootCause.culprit).toBe('site-kv');
  });
});
