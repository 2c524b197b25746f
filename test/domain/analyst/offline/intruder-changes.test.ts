/**
 * A sign-in the tooling flags (a new country, a breached password), then a publish by that same
 * account minutes later, before builds start failing: the publish is the intruder's work, so the
 * account's credentials are rotated and the publish is not treated as an ordinary release to roll
 * back. When the publish came from someone else, the flag does not make it an intrusion.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const env = (actor: string): Partial<Scenario['environment']> => ({
  services: [
    { ...api('build-runner', ['artifact-registry']), userFacing: false },
    { name: 'artifact-registry', tier: 'critical' as const, owner: 'tooling', dependsOn: [] },
  ],
  changes: [
    {
      timestamp: at(-12),
      eventName: 'PublishPackageVersion',
      service: 'artifact-registry',
      resource: 'date-utils@2.4.1',
      actor,
      summary: 'date-utils 2.4.1 published; adds an install script',
    },
  ],
  securityEvents: [
    {
      timestamp: at(-30),
      kind: 'iam-anomaly',
      source: 'registry-auth',
      count: 1,
      detail: 'sign-in for maintainer okafor from a new country with password only',
    },
  ],
  metrics: [
    {
      namespace: 'Builds',
      metricName: 'FailedBuilds',
      service: 'build-runner',
      points: stepPoints(1, 40, -8, 1),
    },
  ],
  logs: [
    {
      service: 'build-runner',
      timestamp: at(-8),
      level: 'ERROR' as const,
      count: 80,
      message: 'npm ERR! date-utils@2.4.1 install: `node ./scripts/setup.js` Exit status 1',
    },
  ],
});

describe('changes made by a flagged account', () => {
  it('rotates the account that made them and names what it did', async () => {
    const run = await runScenario(scenario('build-runner', env('maintainer:okafor'), 'builds failing'));
    expect(run.rootCause.category).toBe('security');
    expect(run.rootCause.mitigation?.kind).toBe('rotate-credentials');
    expect(run.rootCause.summary).toContain('date-utils@2.4.1');
  });

  it('leaves a publish by another account to the change story', async () => {
    const run = await runScenario(scenario('build-runner', env('maintainer:ishikawa'), 'builds failing'));
    expect(run.rootCause.mitigation?.kind).not.toBe('rotate-credentials');
  });
});
