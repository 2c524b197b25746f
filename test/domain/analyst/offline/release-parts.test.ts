/**
 * A record made for the very service a release deploys, alongside it (the chart's access entry,
 * created a second before its pods), is part of that release: one hypothesis, the deployment. The
 * same kind of record half an hour earlier is a change of its own.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const env = (changeAt: string): Partial<Scenario['environment']> => ({
  services: [
    api('assistant', ['prod-cluster']),
    { name: 'prod-cluster', tier: 'critical' as const, owner: 'platform' },
    { name: 'node-agent', tier: 'internal' as const, owner: 'observability', dependsOn: ['prod-cluster'] },
  ],
  deployments: [
    {
      service: 'node-agent',
      version: 'v1.0.0',
      startedAt: at(-10),
      completedAt: at(-9),
      status: 'succeeded',
      description: 'New DaemonSet: per-node inventory collectors',
    },
  ],
  changes: [
    {
      timestamp: changeAt,
      eventName: 'CreateAccessEntry',
      service: 'node-agent',
      resource: 'prod-cluster',
      actor: 'arn:aws:sts::111122223333:assumed-role/chart-deployer/ci-4411',
      summary:
        'Access entry for the node-agent service account (ClusterRole view: list/watch pods, nodes, endpoints)',
    },
  ],
  metrics: [
    {
      namespace: 'AWS/ApplicationELB',
      metricName: 'HTTPCode_Target_5XX_Count',
      service: 'assistant',
      points: stepPoints(2, 4000, -6, 1),
    },
  ],
  logs: [
    {
      service: 'node-agent',
      timestamp: at(-9),
      level: 'ERROR',
      count: 60_000,
      message: 'inventory: the server was unable to return a response in the time allotted (get pods)',
    },
    {
      service: 'prod-cluster',
      timestamp: at(-9),
      level: 'WARN',
      count: 48_000,
      message:
        'kube-apiserver: "List" url:/api/v1/pods,user-agent:node-agent/v1.0.0,verb:LIST (total time: 13998ms)',
    },
    {
      service: 'prod-cluster',
      timestamp: at(-8),
      level: 'ERROR',
      count: 90_000,
      message: 'kube-apiserver: apf: request rejected (429) priority level workload-low: too many requests',
    },
    {
      service: 'assistant',
      timestamp: at(-6),
      level: 'ERROR',
      count: 300_000,
      message: 'lookup router.inference.svc.cluster.local on 172.20.0.10:53: server misbehaving',
    },
  ],
});

describe('parts of a release', () => {
  it('folds a record for the deployed service, made alongside the release, into the deployment', async () => {
    const run = await runScenario(
      scenario('assistant', env(new Date(Date.parse(at(-10)) - 1000).toISOString())),
    );
    expect(run.rootCause.category).toBe('deployment');
    expect(run.rootCause.culprit).toMatch(/node-agent|v1\.0\.0/);
    expect(run.rootCause.summary).toContain('as part of it');
  });

  it('keeps a record made half an hour before the release a change of its own', async () => {
    const run = await runScenario(scenario('assistant', env(at(-40))));
    expect(run.rootCause.summary).not.toContain('as part of it');
  });
});
