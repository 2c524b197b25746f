/**
 * A datastore stepped down for a patch; one client of it reconnected within seconds, the alarming
 * service kept failing its calls by the thousand. The datastore recovered; the service did not:
 * its connection handling is at fault, and it is restarted, not the step-down undone. When the
 * other client never came back either, the datastore stays the suspect.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario } from './fixtures.js';
import { runScenario } from './harness.js';

type Log = NonNullable<Scenario['environment']['logs']>[number];

const env = (peerRecovers: boolean): Partial<Scenario['environment']> => ({
  services: [
    api('login', ['user-store']),
    api('admin-api', ['user-store']),
    { name: 'user-store', tier: 'critical' as const, owner: 'data-infra' },
  ],
  changes: [
    {
      timestamp: at(-6),
      source: 'aws.ssm',
      eventName: 'SendCommand',
      service: 'user-store',
      resource: 'user-store-1',
      actor: 'assumed-role/ops-maintenance/patch-window',
      summary: 'rs.stepDown(60) on primary before kernel patch reboot',
    },
  ],
  logs: [
    {
      service: 'admin-api',
      timestamp: at(-6),
      level: 'WARN',
      count: 1,
      message:
        'MongoNetworkError: connection 12 to user-store-1:27017 closed; driver reconnecting (attempt 1)',
    },
    (peerRecovers
      ? {
          service: 'admin-api',
          timestamp: at(-5),
          level: 'INFO',
          count: 1,
          message: 'mongodb: connected to new primary user-store-3:27017',
        }
      : {
          service: 'admin-api',
          timestamp: at(-5),
          level: 'ERROR',
          count: 9_000,
          message: 'MongoServerSelectionError: connection timed out (no primary available)',
        }) satisfies Log,
    {
      service: 'login',
      timestamp: at(-6),
      level: 'ERROR',
      count: 60_000,
      message: 'MongoError: Topology was destroyed',
    },
  ],
});

describe('clients that did not come back after a failover', () => {
  it('blame the service that kept failing while a peer reconnected, and restart it', async () => {
    const run = await runScenario(scenario('login', env(true)));
    expect(run.rootCause.category).toBe('code');
    expect(run.rootCause.culprit).toBe('login');
    expect(run.rootCause.summary).toContain('did not reconnect');
    expect(run.rootCause.mitigation).toMatchObject({ kind: 'restart', target: 'login' });
  });

  it('leave the datastore the suspect when the peer did not recover either', async () => {
    const run = await runScenario(scenario('login', env(false)));
    expect(run.rootCause.summary).not.toContain('did not reconnect');
  });
});
