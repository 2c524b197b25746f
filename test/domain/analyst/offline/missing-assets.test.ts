/**
 * The CDN alarms on 4xx: browsers ask it for asset files that are not there. The pages asking for
 * them come from the web app that calls it, and a release of that app a quarter of an hour
 * earlier changed what they ask for. When the CDN fails on its own (5xx), its caller's release is
 * no suspect for it.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const env = (metricName: string): Partial<Scenario['environment']> => ({
  services: [api('careers-web', ['static-cdn']), api('static-cdn', [], { userFacing: true })],
  deployments: [
    {
      service: 'careers-web',
      version: '2026.05.01-2',
      previousVersion: '2026.05.01-1',
      startedAt: at(-17),
      completedAt: at(-15),
      status: 'succeeded',
      author: 'ci',
      kind: 'ecs',
      description: 'new landing page bundle',
    },
  ],
  metrics: [
    {
      namespace: 'AWS/CloudFront',
      metricName,
      service: 'static-cdn',
      dimensions: { DistributionId: 'E2Q7K4X9M1B3ZD' },
      points: stepPoints(0.3, 6, -14, 0.05),
    },
  ],
});

describe("a CDN asked for files its caller's release references", () => {
  it('blames the release of the caller', async () => {
    const run = await runScenario(scenario('static-cdn', env('4xxErrorRate')));
    expect(run.rootCause.category).toBe('deployment');
    expect(run.rootCause.mitigation).toMatchObject({ kind: 'rollback', target: 'careers-web' });
  });

  it("does not blame the caller's release for the CDN's own failures", async () => {
    const run = await runScenario(scenario('static-cdn', env('5xxErrorRate')));
    expect(run.rootCause.mitigation?.target).not.toBe('careers-web');
  });
});
