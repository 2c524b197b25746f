/**
 * A provider we depend on telling us, in its own name, that it stopped serving us (delivery held
 * pending a trust and safety review) is that dependency failing for us, whatever prompted it. The
 * same provider only reporting what it noticed leaves its service standing.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const env = (detail: string): Partial<Scenario['environment']> => ({
  services: [
    api('email-dispatcher', ['email-provider']),
    { name: 'email-provider', tier: 'critical' as const, owner: 'platform', dependsOn: [] },
  ],
  metrics: [
    {
      namespace: 'Mail/Events',
      metricName: 'DeliveredEvents',
      service: 'email-dispatcher',
      points: stepPoints(650, 3, -15, 40),
    },
  ],
  securityEvents: [
    {
      timestamp: at(-19),
      kind: 'vendor-notice',
      source: 'email-provider trust & safety',
      count: 1,
      detail,
    },
  ],
});

describe("a provider's hold", () => {
  it('reads a provider stopping our delivery as that dependency failing', async () => {
    const run = await runScenario(
      scenario(
        'email-dispatcher',
        env(
          'A suspicious link was noticed in an outbound email. Delivery of mail from that account has been stopped pending review.',
        ),
      ),
    );
    expect(run.rootCause.category).toBe('dependency');
    expect(run.rootCause.culprit).toBe('email-provider');
  });

  it('does not blame the provider for only reporting what it noticed', async () => {
    const run = await runScenario(
      scenario(
        'email-dispatcher',
        env('A suspicious link was noticed in an outbound email sent from one of your accounts.'),
      ),
    );
    expect(run.rootCause.culprit).not.toBe('email-provider');
  });
});
