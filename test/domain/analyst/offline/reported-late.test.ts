/**
 * A person reports a breach an hour into it: nothing users see has moved, so the onset is only when
 * they wrote. A GuardDuty finding naming the IAM user still belongs to the incident when it fell
 * inside the window we were asked to investigate, even fifty minutes before the report, and so does
 * an anomaly of the same principal from hours earlier (intruders are noticed late); one from days
 * before, past the dwell look-back, does not make the call on its own.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { at, scenario } from './fixtures.js';
import { runScenario } from './harness.js';

const env = (findingAt: number): Partial<Scenario['environment']> => ({
  services: [
    { name: 'infra-automation', tier: 'internal' as const, owner: 'platform' },
    { name: 'config-store', tier: 'critical' as const, owner: 'ingest' },
  ],
  securityEvents: [
    {
      timestamp: at(findingAt),
      kind: 'guardduty-finding',
      source: 'GuardDuty',
      count: 1,
      detail:
        'Discovery:S3/AnomalousBehavior - An IAM entity (IAMUser svc-deploy-legacy) invoked an S3 API in a suspicious way (GetObject on config-store-prod, unusual volume and source ASN)',
    },
  ],
});

const report = (findingAt: number) =>
  runScenario(
    scenario(
      'infra-automation',
      env(findingAt),
      'CloudTrail shows one of our legacy service users reading the config bucket en masse from addresses I do not recognise',
    ),
  );

describe('a breach reported by a person', () => {
  it('takes in a finding from inside the investigated window, before the usual 45 minutes', async () => {
    const { rootCause } = await report(-50);
    expect(rootCause.category).toBe('security');
    expect(rootCause.culprit).toBe('svc-deploy-legacy');
    expect(rootCause.mitigation).toMatchObject({
      kind: 'rotate-credentials',
      params: { principal: 'svc-deploy-legacy' },
    });
  });

  it('takes in an anomaly of the same principal from hours before the window', async () => {
    const { rootCause } = await report(-180);
    expect(rootCause.mitigation?.kind).toBe('rotate-credentials');
  });

  it('does not act on a finding from days before', async () => {
    const { rootCause } = await report(-4 * 24 * 60);
    expect(rootCause.mitigation?.kind).not.toBe('rotate-credentials');
  });
});
