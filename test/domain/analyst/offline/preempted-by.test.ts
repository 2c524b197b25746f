/**
 * A new workload that preempted what the alarming service calls is the change that took it away,
 * even with no edge between them in the catalog: the victim's own scheduler line names it. The
 * same deployment with no such line stays unrelated to the failure.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const env = (preempted: boolean): Partial<Scenario['environment']> => ({
  services: [
    api('query-api', ['tsdb-storage']),
    api('tsdb-storage', [], { userFacing: false }),
    api('profile-agent', [], { userFacing: false, tier: 'internal' }),
  ],
  deployments: [
    {
      service: 'profile-agent',
      version: '0.4.0',
      startedAt: at(-12),
      completedAt: at(-11),
      status: 'succeeded',
      author: 'argocd',
      kind: 'argocd',
      description: 'New DaemonSet monitoring/profile-agent for storage engine profiles',
    },
  ],
  metrics: [
    {
      namespace: 'Test/Query',
      metricName: 'QueryErrorRatio',
      service: 'query-api',
      dimensions: { Cluster: 'prod' },
      points: stepPoints(0.002, 0.99, -10, 0.0005),
    },
  ],
  logs: [
    {
      service: 'tsdb-storage',
      timestamp: at(-11),
      level: 'WARN',
      count: 64,
      message: preempted
        ? 'Warning  Preempted  pod/tsdb-storage-17  Preempted by monitoring/profile-agent-hx9k2 on node ip-10-12-37-118'
        : 'Warning  Unhealthy  pod/tsdb-storage-17  Readiness probe failed: connection refused',
    },
    {
      service: 'query-api',
      timestamp: at(-10),
      level: 'ERROR',
      count: 8000,
      message: 'query failed: partition 17: no healthy storage replicas available',
    },
  ],
});

describe('a workload preempted by a new one', () => {
  it('blames the deployment the preemption names and rolls it back', async () => {
    const run = await runScenario(scenario('query-api', env(true)));
    expect(run.rootCause.category).toBe('deployment');
    expect(run.rootCause.summary).toContain('profile-agent');
    expect(run.rootCause.mitigation).toMatchObject({ kind: 'rollback', target: 'profile-agent' });
  });

  it('leaves an unconnected deployment alone when nothing names it', async () => {
    const run = await runScenario(scenario('query-api', env(false)));
    expect(run.rootCause.mitigation?.target).not.toBe('profile-agent');
  });
});
