/**
 * The registry pages; the edge service it calls serves 503s; the edge service's own lines say it
 * cannot connect to its metadata database. The database is the failing dependency, one hop
 * further down the path; the edge service is its symptom. A line naming a longer name that merely
 * begins like the database's (`meta-db-proxy`) is not about the database.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const env = (named: string): Partial<Scenario['environment']> => ({
  services: [
    api('module-registry', ['deploy-edge']),
    api('deploy-edge', ['meta-db']),
    { name: 'meta-db', tier: 'critical' as const, owner: 'deploy' },
  ],
  metrics: [
    {
      namespace: 'DeployEdge',
      metricName: 'Responses5xx',
      service: 'deploy-edge',
      points: stepPoints(30, 45_000, -10, 2),
    },
  ],
  alarmStates: [{ name: 'deploy-edge-5xx', service: 'deploy-edge', state: 'ALARM', timestamp: at(-9) }],
  logs: [
    {
      service: 'deploy-edge',
      timestamp: at(-10),
      level: 'ERROR',
      count: 88_000,
      message: `metadata refresh failed: error connecting to ${named}.c4yq1h2k7s0d.us-east-1.rds.amazonaws.com:5432: Connection refused (os error 111)`,
    },
  ],
});

describe('a dependency failing in its calls to its own dependency', () => {
  it('passes the blame down the path to the one it cannot reach', async () => {
    const { rootCause } = await runScenario(scenario('module-registry', env('meta-db')));
    expect(rootCause.culprit).toBe('meta-db');
  });

  it('keeps it when the line names something else that begins with that name', async () => {
    const { rootCause } = await runScenario(scenario('module-registry', env('meta-db-proxy')));
    expect(rootCause.culprit).not.toBe('meta-db');
  });
});
