/**
 * Glue records removed at the registrar the afternoon before; the next morning mail signing finds
 * the sender domains unresolvable as caches expire. The delegation change is the cause and is
 * reverted; without it, the same failures are a DNS failure and nothing is reverted.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario } from './fixtures.js';
import { runScenario } from './harness.js';

const env = (withChange: boolean): Partial<Scenario['environment']> => ({
  services: [
    api('mailer', ['name-servers']),
    { name: 'name-servers', tier: 'critical' as const, owner: 'infra' },
  ],
  changes: withChange
    ? [
        {
          timestamp: at(-16 * 60),
          source: 'registrar',
          eventName: 'DeleteHost',
          service: 'name-servers',
          resource: 'glue ns1-ns4.dns.example-mailer.co.uk',
          actor: 'infra-engineer',
          summary: 'Removed glue records for ns1-ns4.dns.example-mailer.co.uk as part of the DNS migration',
        },
      ]
    : [],
  logs: [
    {
      service: 'mailer',
      timestamp: at(-20),
      level: 'WARN',
      count: 900,
      message: 'click redirect host r1.clientbrand.co.uk unresolvable from resolver 8.8.8.8 (SERVFAIL)',
    },
  ],
});

describe('a delegation changed at the registrar', () => {
  it('is the cause, reverted, though made the day before', async () => {
    const run = await runScenario(scenario('mailer', env(true)));
    expect(run.rootCause.category).toBe('configuration');
    expect(run.rootCause.culprit).toMatch(/glue/);
    expect(run.rootCause.mitigation?.kind).toBe('rollback');
  });

  it('is not invented when no such change was made', async () => {
    const run = await runScenario(scenario('mailer', env(false)));
    expect(run.rootCause.mitigation?.kind).not.toBe('rollback');
  });
});
