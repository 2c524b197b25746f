/**
 * A native defect met by data the service just took in: every host aborts on a double free minutes
 * after applying a pushed rules bundle. The defect is the service's code; the first action is to
 * take the bundle back, since a restart only reloads it. Without a line saying the bundle was
 * applied, the push is not tied to the crash and a restart is all the knowledge offers.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario } from './fixtures.js';
import { runScenario } from './harness.js';

type Log = NonNullable<Scenario['environment']['logs']>[number];

const env = (applied: boolean): Partial<Scenario['environment']> => ({
  services: [
    api('edge', ['rules-distributor']),
    { name: 'rules-distributor', tier: 'high' as const, owner: 'data-platform' },
  ],
  changes: [
    {
      timestamp: at(-9),
      source: 'rules-distributor',
      eventName: 'PublishBundle',
      service: 'rules-distributor',
      resource: 'rules-bundle-4471',
      actor: 'rules-distributor',
      summary: 'rules bundle 4471: 212 modified rules, 1 deleted list; passed validation',
    },
  ],
  logs: [
    ...(applied
      ? [
          {
            service: 'edge',
            timestamp: at(-8),
            level: 'INFO',
            count: 300,
            message: 'applied rules bundle 4471 (modified=212 deleted=1)',
          } satisfies Log,
        ]
      : []),
    {
      service: 'edge',
      timestamp: at(-4),
      level: 'ERROR',
      count: 300,
      message:
        "*** Error in `/usr/local/bin/edge': double free or corruption (fasttop): 0x00007f2a5c04b1e0 ***",
    },
  ],
});

describe('a native defect met by pushed data', () => {
  it('is the service’s code, and the push it applied is rolled back', async () => {
    const run = await runScenario(scenario('edge', env(true)));
    expect(run.rootCause.category).toBe('code');
    expect(run.rootCause.culprit).toBe('edge');
    expect(run.rootCause.mitigation).toMatchObject({
      kind: 'rollback',
      params: { change: expect.stringContaining('publishbundle') },
    });
  });

  it('is restarted when nothing says the service took the push in', async () => {
    const run = await runScenario(scenario('edge', env(false)));
    expect(run.rootCause.culprit).toBe('edge');
    expect(run.rootCause.mitigation?.kind).not.toBe('rollback');
  });
});
