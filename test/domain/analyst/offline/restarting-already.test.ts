/**
 * A service of ours that panics again after every restart the platform already made (its restart
 * counter climbing) is not restarted once more: with no release to roll back, the code path is
 * switched off. A panic the platform has not been restarting keeps the restart.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const env = (restarts: number): Partial<Scenario['environment']> => ({
  services: [api('auth-service', ['directory-service']), api('directory-service')],
  metrics: [
    {
      namespace: 'ContainerInsights',
      metricName: 'pod_number_of_container_restarts',
      service: 'directory-service',
      dimensions: { PodName: 'directory-service' },
      points: stepPoints(0, restarts, -14, 0),
    },
  ],
  logs: [
    {
      service: 'directory-service',
      timestamp: at(-14),
      level: 'ERROR',
      count: 11,
      message:
        'panic: runtime error: invalid memory address or nil pointer dereference [signal SIGSEGV: segmentation violation code=0x1 addr=0x18 pc=0x1a4f3c2]',
    },
    {
      service: 'auth-service',
      timestamp: at(-14),
      level: 'ERROR',
      count: 2600,
      message:
        'rpc error: code = Unavailable desc = connection error: dial tcp 10.42.7.19:9090: connect: connection refused',
    },
  ],
});

describe('a crash the platform keeps restarting', () => {
  it('is switched off where it runs, not restarted again', async () => {
    const run = await runScenario(scenario('auth-service', env(11)));
    expect(run.rootCause.category).toBe('code');
    expect(run.rootCause.culprit).toBe('directory-service');
    expect(run.rootCause.mitigation?.kind).toBe('feature-flag');
  });

  it('keeps the restart when the platform has not been restarting it', async () => {
    const run = await runScenario(scenario('auth-service', env(0)));
    expect(run.rootCause.culprit).toBe('directory-service');
    expect(run.rootCause.mitigation?.kind).toBe('restart');
  });
});
