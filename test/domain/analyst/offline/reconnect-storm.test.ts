/**
 * A rollout restarts the edge proxy at peak; every client reconnects at once and the TLS
 * handshakes pin its CPU. The release's content is beside the point, and rolling it back would
 * restart the proxy again: the proxy is short of capacity for the herd, and is scaled. Without a
 * sign of the restart (tasks stopped, connections closed), the release keeps the blame.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const env = (restartLogged: boolean): Partial<Scenario['environment']> => ({
  services: [api('edge-proxy'), api('web-client', ['edge-proxy'])],
  deployments: [
    {
      service: 'edge-proxy',
      version: 'v2020.04.29-1',
      previousVersion: 'v2020.04.28-2',
      startedAt: at(-13),
      completedAt: at(+10),
      status: 'succeeded',
      description: 'Hotfix: revert thumbnail route; rolling replace of 24 tasks',
    },
  ],
  metrics: [
    {
      namespace: 'ECS/ContainerInsights',
      metricName: 'CPUUtilization',
      service: 'edge-proxy',
      points: stepPoints(36, 99, -12, 1),
    },
    {
      namespace: 'AWS/NetworkELB',
      metricName: 'NewFlowCount',
      service: 'edge-proxy',
      points: stepPoints(55_000, 620_000, -12, 2000),
    },
  ],
  logs: [
    {
      service: 'edge-proxy',
      timestamp: at(-10),
      level: 'INFO',
      count: 600_000,
      message:
        '[info] 29#29: *11920377 client timed out (110: Connection timed out) while SSL handshaking, client: 198.51.100.23',
    },
    ...(restartLogged
      ? [
          {
            service: 'edge-proxy',
            timestamp: at(-13),
            level: 'INFO',
            count: 24,
            message:
              '[notice] 1#1: signal 15 (SIGTERM) received from 1, exiting; closing 76112 keepalive/websocket connections',
          },
        ]
      : []),
  ],
});

describe('a rollout that restarts a connection-holding proxy at peak', () => {
  it('is a reconnection storm: capacity, scaled, not rolled back', async () => {
    const { rootCause } = await runScenario(scenario('edge-proxy', env(true)));
    expect(rootCause.category).toBe('capacity');
    expect(rootCause.summary).toMatch(/TLS handshakes/);
    expect(rootCause.mitigation).toMatchObject({ kind: 'scale', target: 'edge-proxy' });
  });

  it('leaves the blame with the release when no restart shows', async () => {
    const { rootCause } = await runScenario(scenario('edge-proxy', env(false)));
    expect(rootCause.category).toBe('deployment');
  });
});
