/**
 * A host's connection-tracking table filling up is the network failing on that host (the kernel
 * drops new connections while CPU and traffic look normal), answered by spreading the load over
 * more hosts; its kernel line is the symptom, the table filling is what to name. The same climb in
 * a series of the proxy's own connections is compute running short.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

/** A climb from 1,400 to the 4,096 limit, flat at the limit for the last five minutes. */
const climb = (): Array<[string, number]> =>
  stepPoints(0, 0, -60).map(([t], i) => [t, Math.min(4096, Math.round(1400 + i * 50))]);

const env = (metricName: string): Partial<Scenario['environment']> => ({
  services: [
    api('edge-proxy', ['app-backend']),
    { name: 'app-backend', tier: 'critical' as const, owner: 'app' },
  ],
  metrics: [
    { namespace: 'Prometheus/node', metricName, service: 'edge-proxy', points: climb() },
    {
      namespace: 'Prometheus/nginx',
      metricName: 'upstream_connect_errors',
      service: 'edge-proxy',
      points: stepPoints(2, 300, -5, 1),
    },
  ],
  logs: [
    {
      service: 'edge-proxy',
      timestamp: at(-5),
      level: 'WARN',
      count: 98,
      message: 'kernel: nf_conntrack: nf_conntrack: table full, dropping packet',
    },
    {
      service: 'edge-proxy',
      timestamp: at(-5),
      level: 'ERROR',
      count: 12_000,
      message: 'connect() to 10.0.4.12:8080 failed (110: Connection timed out) while connecting to upstream',
    },
  ],
});

describe('a host network table filling', () => {
  it('names the connection-tracking table filling on the proxy as a network cause, scaled out', async () => {
    const run = await runScenario(scenario('edge-proxy', env('node_nf_conntrack_entries')));
    expect(run.rootCause.category).toBe('network');
    expect(run.rootCause.culprit).toBe('edge-proxy');
    expect(run.rootCause.mitigation?.kind).toBe('scale');
    expect(run.rootCause.summary).toContain('conntrack');
  });

  it('keeps a climb of the proxy’s own connections a capacity story', async () => {
    const run = await runScenario(scenario('edge-proxy', env('active_connections')));
    expect(run.rootCause.category).not.toBe('network');
  });
});
