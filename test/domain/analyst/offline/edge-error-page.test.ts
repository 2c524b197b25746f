/**
 * Probes get Cloudflare's own 500 error page while the origin behind it serves normally and a
 * release went out half an hour before: the proxy is failing, the vendor is named and nothing of
 * ours is rolled back. A 502 from the same edge is the origin failing to answer it.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const env = (status: string): Partial<Scenario['environment']> => ({
  services: [
    api('notes-web', ['edge-proxy', 'notes-db']),
    { name: 'edge-proxy', tier: 'critical' as const, owner: 'vendor: Cloudflare (proxy)' },
    { name: 'notes-db', tier: 'critical' as const, owner: 'platform' },
  ],
  deployments: [
    {
      service: 'notes-web',
      version: 'v88',
      previousVersion: 'v87',
      startedAt: at(-40),
      completedAt: at(-33),
      status: 'succeeded',
      description: 'comments: markdown preview',
    },
  ],
  metrics: [
    {
      namespace: 'Synthetics',
      metricName: 'SuccessPercent',
      service: 'notes-web',
      dimensions: { Check: 'health' },
      points: stepPoints(100, 5, -12, 0),
    },
    {
      namespace: 'AWS/ApplicationELB',
      metricName: 'HTTPCode_Target_5XX_Count',
      service: 'notes-web',
      dimensions: { LoadBalancer: 'app/notes/1' },
      points: stepPoints(10, 10, -12, 3),
    },
  ],
  logs: [
    {
      service: 'synthetics',
      timestamp: at(-12),
      level: 'ERROR',
      count: 60,
      message: `probe eu-frankfurt: GET https://notes.example.com/api/health -> ${status} in 212ms; server: cloudflare; cf-ray: 9a0b3c7e1d2f5a44-FRA`,
    },
  ],
});

describe("an edge proxy's own error page", () => {
  it('blames the proxy vendor, not the release behind it', async () => {
    const run = await runScenario(scenario('notes-web', env('500 Internal Server Error')));
    expect(run.rootCause.category).toBe('dependency');
    expect(run.rootCause.culprit).toBe('edge-proxy');
    expect(run.rootCause.summary).toMatch(/Cloudflare/);
    expect(run.rootCause.mitigation?.kind).not.toBe('rollback');
  });

  it('does not blame the proxy for a 502, the origin failing to answer it', async () => {
    const run = await runScenario(scenario('notes-web', env('502 Bad Gateway')));
    expect(run.rootCause.summary).not.toMatch(/Cloudflare: the edge itself/);
  });
});
