/**
 * A release of one dependency while another (a session cache) fills up: when the released
 * service's own telemetry shows nothing after it — latency in band, no new errors — nothing says
 * its code behaves differently, and the cache running out is not credited to it for timing alone.
 * When the released service starts failing after it, the release stays what drove the rest.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const env = (releaseFails: boolean): Partial<Scenario['environment']> => ({
  services: [
    api('portal-web', ['session-cache', 'query-api']),
    { name: 'session-cache', tier: 'critical' as const, owner: 'web', dependsOn: [] },
    { name: 'query-api', tier: 'high' as const, owner: 'search', userFacing: true, dependsOn: [] },
  ],
  deployments: [
    {
      service: 'query-api',
      version: 'q-2026.05.01.2',
      previousVersion: 'q-2026.05.01.1',
      startedAt: at(-30),
      completedAt: at(-26),
      status: 'succeeded',
      description: 'planner: cap facet cardinality',
    },
  ],
  metrics: [
    {
      namespace: 'Redis',
      metricName: 'memory_utilization_over_limit',
      service: 'session-cache',
      points: stepPoints(78, 99.5, -12, 1),
    },
    {
      namespace: 'Search',
      metricName: 'request_duration_p99',
      service: 'query-api',
      points: releaseFails ? stepPoints(0.4, 6, -25, 0.02) : stepPoints(0.4, 0.4, -15, 0.02),
    },
  ],
  logs: [
    {
      service: 'portal-web',
      timestamp: at(-10),
      level: 'WARN' as const,
      count: 9000,
      message: 'session not found -> redirect /signin',
    },
  ],
});

describe('a release that shows nothing on its own service', () => {
  it('is not credited with a sibling cache filling up', async () => {
    const run = await runScenario(scenario('portal-web', env(false), 'users logged out'));
    expect(run.rootCause.category).not.toBe('deployment');
    expect(run.rootCause.culprit).toBe('session-cache');
  });

  it('keeps the release in front when its own service went wrong after it', async () => {
    const run = await runScenario(scenario('portal-web', env(true), 'users logged out'));
    expect(run.rootCause.category).toBe('deployment');
  });
});
