/**
 * A playbook run that templated a service's configuration and broke it is a configuration change,
 * rolled back like a release; the same tool shipping a new package version is a deployment.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const env = (description: string): Partial<Scenario['environment']> => ({
  services: [
    api('reports-api', ['olap-nodes']),
    { name: 'olap-nodes', tier: 'critical' as const, owner: 'infra' },
  ],
  deployments: [
    {
      service: 'olap-nodes',
      version: 'infra-42',
      previousVersion: 'infra-41',
      startedAt: at(-14),
      completedAt: at(-12),
      status: 'succeeded',
      author: 'infra-oncall',
      kind: 'ansible',
      description,
    },
  ],
  metrics: [
    {
      namespace: 'AWS/ApplicationELB',
      metricName: 'HTTPCode_Target_5XX_Count',
      service: 'reports-api',
      dimensions: { LoadBalancer: 'app/reports-api/1' },
      points: stepPoints(2, 2500, -11, 1),
    },
  ],
  logs: [
    {
      service: 'olap-nodes',
      timestamp: at(-11),
      level: 'ERROR',
      count: 40_000,
      message: 'DB::Exception: Table reports.events_daily does not exist. (UNKNOWN_TABLE)',
    },
  ],
});

describe('a configuration-management run that applied configuration', () => {
  it('is a configuration change, rolled back', async () => {
    const run = await runScenario(
      scenario('reports-api', env('storage layout and server config templating')),
    );
    expect(run.rootCause.category).toBe('configuration');
    expect(run.rootCause.mitigation?.kind).toBe('rollback');
  });

  it('stays a deployment when the same tool ships a new version', async () => {
    const run = await runScenario(scenario('reports-api', env('server package upgrade 19.16 -> 19.17')));
    expect(run.rootCause.category).toBe('deployment');
  });
});
