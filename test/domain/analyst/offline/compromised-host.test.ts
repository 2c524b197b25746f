/**
 * A host of ours that GuardDuty sees sending out far more than it ever does has been compromised
 * and data is leaving: security, and the first action replaces what it holds (every credential an
 * outsider on it could read). The same finding about a vendor's host names no credential of ours.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const leaking = (external: boolean): Scenario =>
  scenario('ops-tools', {
    services: [
      api('client-api'),
      { name: 'ops-tools', tier: 'internal', owner: external ? 'vendor: managed tooling' : 'ops' },
    ],
    metrics: [
      {
        namespace: 'AWS/EC2',
        metricName: 'NetworkOut',
        service: 'ops-tools',
        unit: 'Bytes',
        points: stepPoints(4_500_000, 1_150_000_000, -40, 100_000),
      },
    ],
    securityEvents: [
      {
        timestamp: at(-5),
        kind: 'guardduty-finding',
        source: 'guardduty',
        count: 1,
        detail:
          'Behavior:EC2/TrafficVolumeUnusual (LOW 5.0) ops-tools-03 sent 11.4 GB to 203.0.113.45:443 (typical daily egress 60 MB)',
      },
    ],
  });

describe('a compromised host of ours', () => {
  it('is security, and its credentials are replaced first', async () => {
    const rc = (await runScenario(leaking(false))).rootCause;
    expect(rc.category).toBe('security');
    expect(rc.culprit).toBe('ops-tools');
    expect(rc.mitigation).toMatchObject({ kind: 'rotate-credentials', target: 'ops-tools' });
  });

  it("names no credential of ours to replace when the host is a vendor's", async () => {
    const rc = (await runScenario(leaking(true))).rootCause;
    expect(rc.mitigation?.kind).not.toBe('rotate-credentials');
  });
});
