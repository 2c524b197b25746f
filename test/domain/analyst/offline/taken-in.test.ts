/**
 * A service that crashes right after loading a data file another service's release published is
 * broken by that release (the publisher's task role wrote the file minutes after it deployed),
 * not by the unrelated setting changed on it a few minutes earlier. Without the line that shows
 * the file being loaded, nothing ties the crash to the file, and the earlier setting stays ahead.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const env = (loaded: boolean): Partial<Scenario['environment']> => ({
  services: [
    api('edge-dns', ['edge-storage']),
    { name: 'edge-storage', tier: 'critical' as const, owner: 'edge' },
    { name: 'route-optimizer', tier: 'standard' as const, owner: 'edge', dependsOn: ['edge-storage'] },
  ],
  deployments: [
    {
      service: 'route-optimizer',
      version: '4.12.0',
      previousVersion: '4.11.3',
      startedAt: at(-7),
      completedAt: at(-5),
      status: 'succeeded',
      description: 'Compact encoding for the optimization data',
    },
  ],
  changes: [
    {
      timestamp: at(-9),
      eventName: 'UpdateRateLimitProfile',
      service: 'edge-dns',
      resource: 'edge-dns/ratelimit-eu',
      actor: 'ops-engineer',
      summary: 'per-source-IP response rate limit 400 -> 350 qps',
    },
    {
      timestamp: at(-2),
      eventName: 'PutObject',
      service: 'edge-storage',
      resource: 'edge-data-bucket/optimizer/optimization.bin',
      actor: 'route-optimizer-task-role',
      summary: 'Object overwritten (61.8 MB)',
    },
  ],
  metrics: [
    {
      namespace: 'EdgeDNS',
      metricName: 'QueriesAnswered',
      service: 'edge-dns',
      points: stepPoints(90_000, 4_000, -1, 2000),
    },
  ],
  logs: [
    ...(loaded
      ? [
          {
            service: 'edge-dns',
            timestamp: at(-1.5),
            level: 'INFO',
            count: 900,
            message: 'data sync: downloaded optimizer/optimization.bin (61.8 MB) from edge-storage; loading',
          },
        ]
      : []),
    { service: 'edge-dns', timestamp: at(-1), level: 'FATAL', count: 900, message: 'Stack overflow.' },
    {
      service: 'edge-dns',
      timestamp: at(-1),
      level: 'ERROR',
      count: 900,
      message: 'edge-dns.service: Main process exited, code=killed, status=6/ABRT',
    },
  ],
});

describe('a file taken in just before failing', () => {
  it('blames the release whose service published the file the crashing service loaded', async () => {
    const run = await runScenario(scenario('edge-dns', env(true)));
    expect(run.rootCause.category).toBe('deployment');
    expect(run.rootCause.culprit).toBe('4.12.0');
  });

  it('keeps the earlier setting ahead when nothing shows the file being loaded', async () => {
    const run = await runScenario(scenario('edge-dns', env(false)));
    expect(run.rootCause.culprit).not.toBe('4.12.0');
  });
});
