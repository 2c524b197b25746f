/**
 * Sessions seen from two devices at once, flagged by our own detector with no outsider behind it,
 * beginning as a CDN's cache policy changed, are that change misbehaving (a cache serving one
 * user's session to another), not an attack: the change is reverted. The person's report comes
 * forty minutes later and the series has five-minute points, so the onset is only found when the
 * series is read back far enough for a baseline. A secret rotated hours before, matching a known
 * failure only by being a rotation, does not outrank the change. Without the change, the finding
 * stands as a security incident.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { analyze } from '../../../../domain/analyst/offline/analysis.js';
import { gather } from '../../../../domain/analyst/offline/evidence/gather.js';
import { candidates } from '../../../../domain/analyst/offline/rank/candidates.js';
import { BUILTIN_KNOWLEDGE } from '../../../../domain/knowledge/builtin.js';
import { api, at, scenario } from './fixtures.js';
import { contextFor, runScenario } from './harness.js';

/** Five-minute points from two hours before the alert: `base` until `stepAt`, then `after`. */
const coarse = (base: number, after: number, stepAt: number): Array<[string, number]> => {
  const pts: Array<[string, number]> = [];
  for (let m = -118; m <= -3; m += 5) pts.push([at(m), m < stepAt ? base + (m % 2) : after + (m % 7)]);
  return pts;
};

const env = (withChange: boolean): Partial<Scenario['environment']> => ({
  services: [
    api('web-app', ['web-cdn', 'session-api']),
    { name: 'web-cdn', tier: 'critical' as const, owner: 'edge', dependsOn: [] },
    { name: 'session-api', tier: 'critical' as const, owner: 'identity', dependsOn: ['session-db'] },
    { name: 'session-db', tier: 'critical' as const, owner: 'identity' },
  ],
  changes: [
    {
      timestamp: at(-190),
      eventName: 'RotateSecret',
      service: 'session-api',
      resource: 'session-db/app-user',
      actor: 'secretsmanager.amazonaws.com',
      summary: 'Scheduled rotation of session-db application credentials (succeeded)',
    },
    ...(withChange
      ? [
          {
            timestamp: at(-43),
            eventName: 'UpdateDistribution',
            service: 'web-cdn',
            resource: 'E1W7QK3CDN2LX9',
            actor: 'terraform-prod-apply',
            summary:
              'Cache behaviors /static/*: cache policy changed to static-short; Set-Cookie no longer stripped',
          },
        ]
      : []),
  ],
  metrics: [
    {
      namespace: 'Identity',
      metricName: 'SessionSubjectMismatch',
      service: 'session-api',
      points: coarse(1, 200, -40),
    },
  ],
  securityEvents: [
    {
      timestamp: at(-10),
      kind: 'iam-anomaly',
      source: 'session-api anomaly detector',
      count: 412,
      detail: '412 sessions used from two or more unrelated IP/device fingerprints within 60s',
    },
  ],
});

describe('an exposure that began as a change landed', () => {
  it('reverts the cache change rather than treating the sessions as hijacked', async () => {
    const run = await runScenario(scenario('web-app', env(true), 'users are logged in as someone else'));
    expect(run.rootCause.category).toBe('configuration');
    expect(run.rootCause.culprit).toBe('E1W7QK3CDN2LX9');
    expect(run.rootCause.mitigation?.kind).toBe('rollback');
  });

  it('keeps the finding a security incident when no change lines up with it', async () => {
    const run = await runScenario(scenario('web-app', env(false), 'users are logged in as someone else'));
    expect(run.rootCause.category).toBe('security');
  });

  it('keeps the secret rotated hours before well below the change that landed with the onset', async () => {
    const { env: e, ctx } = contextFor(scenario('web-app', env(true), 'users are logged in as someone else'));
    const ranked = candidates(analyze(await gather(e, ctx), BUILTIN_KNOWLEDGE));
    const change = ranked.find((c) => c.culprit === 'E1W7QK3CDN2LX9');
    const rotation = ranked.find((c) => c.culprit === 'session-db/app-user');
    expect(change && rotation).toBeTruthy();
    expect(rotation!.confidence).toBeLessThanOrEqual(change!.confidence - 0.05);
  });
});
