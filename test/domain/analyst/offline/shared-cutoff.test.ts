/**
 * Two services cut off at once from a datastore they both use, each client wording it its own way,
 * while only one of them was just released: the datastore is failing, not the release. A peer cut
 * off from something it does not share with the released service says nothing about the release.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

type Env = Partial<Scenario['environment']>;

const env = (peerShares: boolean): Env => ({
  services: [
    api('orders-api', ['vendor-pg']),
    {
      name: 'sync-workers',
      tier: 'critical',
      owner: 'team',
      dependsOn: [peerShares ? 'vendor-pg' : 'other-db'],
    },
    { name: 'vendor-pg', tier: 'critical', owner: 'external vendor (managed Postgres)' },
    { name: 'other-db', tier: 'critical', owner: 'team' },
  ],
  metrics: [
    {
      namespace: 'AWS/ApplicationELB',
      metricName: 'HTTPCode_Target_5XX_Count',
      service: 'orders-api',
      points: stepPoints(2, 800, -8, 1),
    },
  ],
  deployments: [
    {
      service: 'orders-api',
      version: '2.4.1',
      previousVersion: '2.4.0',
      startedAt: at(-22),
      completedAt: at(-20),
      status: 'succeeded',
      description: 'Add webhook signature check; bump pg client',
    },
  ],
  logs: [
    {
      service: 'orders-api',
      timestamp: at(-8),
      level: 'ERROR',
      count: 5_000,
      message: 'Error: connect ETIMEDOUT 3.126.44.210:5432 (host=pg-prod-a.eu.pghost.example)',
    },
    {
      service: 'sync-workers',
      timestamp: at(-7),
      level: 'ERROR',
      count: 1_800,
      message: 'job sync:contacts failed: Error: Connection terminated due to connection timeout',
    },
  ],
});

describe('a peer cut off from the datastore it shares with a released service', () => {
  it('makes the shared datastore the cause, not the release', async () => {
    const rc = (await runScenario(scenario('orders-api', env(true)))).rootCause;
    expect(rc.category).toBe('dependency');
    expect(rc.culprit).toBe('vendor-pg');
    expect(rc.mitigation?.kind).not.toBe('rollback');
  });

  it('leaves the release the suspect when the peer is cut off from something else', async () => {
    const rc = (await runScenario(scenario('orders-api', env(false)))).rootCause;
    expect(rc.category).toBe('deployment');
    expect(rc.mitigation?.kind).toBe('rollback');
  });
});
