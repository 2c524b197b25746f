/**
 * A feature's own switch: when the failing work is one feature's (its calls to a vendor that stopped
 * answering), and the evidence shows a flag by that feature's name switched on, the first action
 * turns that flag off on the service that owns it. A flag listed off, or one named for another
 * feature, changes nothing.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { knownSwitches } from '../../../../domain/analyst/offline/evidence/switches.js';
import type { ChangeRecord } from '../../../../domain/ports.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const vendorSlow = (flags: string): Scenario =>
  scenario('controller-api', {
    services: [
      api('controller-api', ['relayline']),
      { name: 'relayline', tier: 'standard', owner: 'vendor' },
    ],
    metrics: [
      {
        namespace: 'App',
        metricName: 'Latency',
        service: 'controller-api',
        unit: 'Milliseconds',
        points: stepPoints(120, 9_800, -14, 10),
      },
    ],
    logs: [
      {
        service: 'controller-api',
        timestamp: at(-14),
        level: 'ERROR',
        message:
          "realtime publish failed topic=user/usr_3JD0 change=session_created: requests.exceptions.ReadTimeout: HTTPSConnectionPool(host='api.relayline.example', port=443): Read timed out. (read timeout=10)",
        count: 40_000,
      },
    ],
    changes: [
      {
        timestamp: at(-120),
        source: 'appconfig',
        eventName: 'GetLatestConfiguration',
        service: 'controller-api',
        resource: 'appconfig:controller-flags/prod',
        actor: 'controller-api',
        summary: `feature flags unchanged since last week: ${flags}`,
      },
    ],
  });

describe("a feature's own switch", () => {
  it('turns off the flag named for the failing work, on the service that lists it', async () => {
    const run = await runScenario(vendorSlow('realtime_updates=true, new_policy_engine=false'));
    expect(run.rootCause.culprit).toBe('relayline');
    expect(run.rootCause.mitigation).toMatchObject({ kind: 'feature-flag', target: 'controller-api' });
    expect(run.rootCause.mitigation?.rationale).toContain('realtime_updates');
  });

  it('leaves a flag that is off, or one named for another feature, alone', async () => {
    for (const flags of ['realtime_updates=false, new_policy_engine=true', 'new_policy_engine=true']) {
      const run = await runScenario(vendorSlow(flags));
      expect(run.rootCause.culprit).toBe('relayline');
      expect(run.rootCause.mitigation?.kind).not.toBe('feature-flag');
    }
  });

  it('takes the newest word on a flag: one turned off since it was listed on stays off', () => {
    const read = (id: string, when: number, summary: string): ChangeRecord => ({
      id,
      kind: 'change',
      service: 'controller-api',
      at: at(when),
      summary,
    });
    const found = knownSwitches(
      [],
      [
        read('c1', -300, 'feature flags loaded: realtime_updates=on, bulk_export=on'),
        read('c2', -30, 'feature flags loaded: realtime_updates=off'),
      ],
      [],
      ['controller-api'],
    );
    expect(found.map((s) => s.flag)).toEqual(['bulk_export']);
  });
});
