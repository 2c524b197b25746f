/**
 * A full disk: a store whose own data volume filled keeps its data through a restart, so it gets
 * more room; a worker whose scratch space filled (nothing says its volume is full) is restarted.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

/** 60 minute points climbing from 95% to 100% and staying there. */
const filling = (): Array<[string, number]> =>
  Array.from({ length: 60 }, (_, i) => [at(i - 60), Math.min(100, 95 + i * 0.12)] as [string, number]);

const env = (volume: boolean, holder: string): Partial<Scenario['environment']> => ({
  services: [api('members-web', [holder]), { name: holder, tier: 'critical', owner: 'platform' }],
  metrics: [
    {
      namespace: 'AWS/ApplicationELB',
      metricName: 'HTTPCode_Target_5XX_Count',
      service: 'members-web',
      points: stepPoints(1, 220, -6, 1),
    },
    ...(volume
      ? [
          {
            namespace: 'CWAgent',
            metricName: 'disk_used_percent',
            service: holder,
            dimensions: { path: '/var/lib/data' },
            points: filling(),
          },
        ]
      : []),
  ],
  logs: [
    {
      service: holder,
      timestamp: at(-6),
      level: 'ERROR',
      count: 11_000,
      message: '[error] Uncaught error in HTTP request: {error,{badmatch,{error,enospc}}}',
    },
  ],
});

describe('a full disk', () => {
  it('on a store whose volume filled gets more room, not a restart', async () => {
    const run = await runScenario(scenario('members-web', env(true, 'members-couchdb')));
    expect(run.rootCause.culprit).toBe('members-couchdb');
    expect(run.rootCause.mitigation).toMatchObject({ kind: 'scale', target: 'members-couchdb' });
  });

  it('on a store with no sign its volume is full is restarted, as the signature suggests first', async () => {
    const run = await runScenario(scenario('members-web', env(false, 'members-couchdb')));
    expect(run.rootCause.culprit).toBe('members-couchdb');
    expect(run.rootCause.mitigation?.kind).toBe('restart');
  });
});
