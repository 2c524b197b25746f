/**
 * Mail receivers throttling our sending IPs for their reputation, as our email provider's webhook
 * reports it: the provider we send through is the dependency that fails, whatever it is called
 * (here a name that says nothing of mail). With two providers to choose from, the line alone does
 * not say which, and neither is blamed by guess.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const env = (providers: string[]): Partial<Scenario['environment']> => ({
  services: [
    api('esp-events', [...providers, 'events-db']),
    { name: 'events-db', tier: 'high' as const, owner: 'messaging' },
    ...providers.map((name) => ({ name, tier: 'critical' as const, owner: 'external (vendor)' })),
  ],
  metrics: [
    {
      namespace: 'App/Email',
      metricName: 'ProviderDeferred',
      service: 'esp-events',
      points: stepPoints(400, 60_000, -25, 1),
    },
  ],
  logs: [
    {
      service: 'esp-events',
      timestamp: at(-24),
      level: 'INFO',
      count: 402_000,
      message:
        '{"event":"deferred","response":"451 4.7.650 The mail server [203.0.113.41] has been temporarily rate limited due to IP reputation.","attempt":3}',
    },
  ],
});

describe('a third party’s verdict on what we send', () => {
  it('blames the one provider we send through', async () => {
    const run = await runScenario(scenario('esp-events', env(['podaf']), 'mail deferred'));
    expect(run.rootCause.category).toBe('dependency');
    expect(run.rootCause.culprit).toBe('podaf');
  });

  it('does not pick one of two providers by guess', async () => {
    const run = await runScenario(scenario('esp-events', env(['podaf', 'quillon']), 'mail deferred'));
    expect(['podaf', 'quillon']).not.toContain(run.rootCause.culprit);
  });
});
