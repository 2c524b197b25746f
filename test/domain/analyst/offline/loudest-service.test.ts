/**
 * An alert whose service is named after a team or a cluster ("validators-team"), nothing of the
 * catalog: the catalog service logging by far the most errors just before it fired is what it is
 * about, and its release of minutes before is rolled back. When two services fail about as loudly,
 * neither is picked, and the release is not tied to the alert.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario } from './fixtures.js';
import { runScenario } from './harness.js';

const env = (signerErrors: number, clientErrors = 28000): Partial<Scenario['environment']> => ({
  services: [api('sign-client'), api('key-signer')],
  deployments: [
    {
      service: 'sign-client',
      version: 'run-48213',
      previousVersion: 'run-48101',
      startedAt: at(-31),
      completedAt: at(-30),
      status: 'succeeded',
      description: 'pipeline run: apply playbooks/validators.yml',
    },
  ],
  logs: [
    {
      service: 'sign-client',
      timestamp: at(-29),
      level: 'ERROR',
      count: clientErrors,
      message:
        'failed to sign: rpc error: code = Unavailable desc = dial tcp 10.12.4.21:8881: connect: connection refused',
    },
    {
      service: 'key-signer',
      timestamp: at(-29),
      level: 'ERROR',
      count: signerErrors,
      message: 'sign request rejected: slashing protection check failed',
    },
  ],
});

describe('an alert that names no service of the catalog', () => {
  it('is about the one service logging far more errors than any other', async () => {
    const run = await runScenario(scenario('validators-team', env(10)));
    expect(run.rootCause.category).toBe('deployment');
    expect(run.rootCause.mitigation?.kind).toBe('rollback');
    expect(run.rootCause.mitigation?.target).toBe('sign-client');
  });

  it('reads a quiet incident the same as the same incident logging three times as much', async () => {
    const quiet = await runScenario(scenario('validators-team', env(1, 41)));
    const loud = await runScenario(scenario('validators-team', env(1, 123)));
    expect(quiet.rootCause.mitigation?.target).toBe('sign-client');
    expect(loud.rootCause.mitigation?.target).toBe('sign-client');
  });

  it('is about none when two services fail about as loudly', async () => {
    const run = await runScenario(scenario('validators-team', env(20000)));
    expect(run.rootCause.mitigation?.target).not.toBe('sign-client');
  });
});
