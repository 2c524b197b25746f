/**
 * A change to something of ours that arrives on a provider's own feed (the registrar reports it
 * put our domain on hold) is that provider acting: a dependency failure, named as the provider,
 * with nothing of ours to revert. The same record from our own audit trail is our change.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const env = (source: string): Partial<Scenario['environment']> => ({
  services: [
    api('storefront', ['public-dns']),
    { name: 'public-dns', tier: 'critical' as const, owner: 'netops', dependsOn: ['domain-registrar'] },
    { name: 'domain-registrar', tier: 'critical' as const, owner: 'external' },
  ],
  changes: [
    {
      timestamp: at(-9),
      source,
      eventName: 'DomainStatusChanged',
      resource: 'shop-example.com',
      actor: 'registrar compliance desk',
      summary: 'EPP status clientHold added',
      service: 'public-dns',
    },
  ],
  metrics: [
    {
      namespace: 'AWS/CloudFront',
      metricName: 'Requests',
      service: 'storefront',
      dimensions: { DistributionId: 'E1' },
      points: stepPoints(90_000, 20_000, -6, 2_000),
    },
  ],
  logs: [
    {
      service: 'storefront',
      timestamp: at(-6),
      level: 'ERROR',
      count: 900,
      message: 'synthetic probe: lookup www.shop-example.com on 1.1.1.1:53: no such host (rcode NXDOMAIN)',
    },
  ],
});

describe("a change on a provider's own feed", () => {
  it('is the provider failing us, with nothing of ours to revert', async () => {
    const run = await runScenario(scenario('storefront', env('registrar'), 'storefront traffic dropped'));
    expect(run.rootCause.category).toBe('dependency');
    expect(run.rootCause.summary).toContain('domain-registrar');
    expect(run.rootCause.mitigation?.kind ?? 'none').not.toBe('rollback');
  });

  it('names who made it when the record is filed under the provider itself', async () => {
    const base = env('registrar');
    const own = { ...base, changes: base.changes!.map((c) => ({ ...c, service: 'domain-registrar' })) };
    const run = await runScenario(scenario('storefront', own, 'storefront traffic dropped'));
    expect(run.rootCause.category).toBe('dependency');
    expect(run.rootCause.summary).toContain('registrar compliance desk');
  });

  it('is our change when our own audit trail records it', async () => {
    const run = await runScenario(
      scenario('storefront', env('aws.cloudtrail'), 'storefront traffic dropped'),
    );
    expect(run.rootCause.category).not.toBe('dependency');
  });
});
