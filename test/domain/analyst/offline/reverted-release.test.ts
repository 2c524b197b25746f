/**
 * The release that broke the API was already rolled back before the page, and the failure goes
 * on: the release is still the cause, but rolling it back again does nothing, so the next move is
 * a restart. Without the revert on record, the rollback stays the first move.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const release = {
  service: 'boot-api',
  version: '1893',
  previousVersion: '1892',
  startedAt: at(-45),
  completedAt: at(-43),
  status: 'succeeded' as const,
  author: 'ci',
  kind: 'ecs',
  description: 'logging module 2.0',
};
const revert = {
  ...release,
  version: '1892',
  previousVersion: '1893',
  startedAt: at(-20),
  completedAt: at(-15),
  status: 'rolled-back' as const,
  author: 'oncall',
  description: 'revert logging module 2.0',
};

const env = (reverted: boolean): Partial<Scenario['environment']> => ({
  services: [api('boot-api')],
  deployments: reverted ? [release, revert] : [release],
  metrics: [
    {
      namespace: 'AWS/ApplicationELB',
      metricName: 'HTTPCode_Target_5XX_Count',
      service: 'boot-api',
      dimensions: { LoadBalancer: 'app/boot-api/1' },
      points: stepPoints(3, 4000, -42, 2),
    },
  ],
  logs: [
    {
      service: 'boot-api',
      timestamp: at(-42),
      level: 'ERROR',
      count: 3000,
      message:
        'FATAL ERROR: Ineffective mark-compacts near heap limit Allocation failed - JavaScript heap out of memory',
    },
  ],
});

describe('a release already rolled back while the failure goes on', () => {
  it('stays the cause, and the next move is a restart', async () => {
    const run = await runScenario(scenario('boot-api', env(true)));
    expect(run.rootCause.category).toBe('deployment');
    expect(run.rootCause.mitigation?.kind).toBe('restart');
  });

  it('is rolled back when nothing reverted it yet', async () => {
    const run = await runScenario(scenario('boot-api', env(false)));
    expect(run.rootCause.mitigation?.kind).toBe('rollback');
  });
});
