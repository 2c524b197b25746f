/**
 * AWS cut the account's Lambda concurrency from 1000 to 10 (after an abuse report), and the
 * function behind the extension was throttled a minute later: the provider's restriction is the
 * cause, and nothing of ours lifts it. A quota the provider raised is no such story.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const env = (summary: string): Partial<Scenario['environment']> => ({
  services: [api('wallet-ext', ['balance-fn']), api('balance-fn', [], { userFacing: false })],
  changes: [
    {
      timestamp: at(-12),
      source: 'service-quotas',
      eventName: 'QuotaValueChanged',
      service: 'balance-fn',
      resource: 'lambda L-B99A9384 (Concurrent executions)',
      actor: 'AWS',
      summary,
    },
  ],
  metrics: [
    {
      namespace: 'AWS/Lambda',
      metricName: 'Throttles',
      service: 'balance-fn',
      dimensions: { FunctionName: 'balance-fn' },
      points: stepPoints(0, 900, -11, 0),
    },
  ],
  logs: [
    {
      service: 'balance-fn',
      timestamp: at(-11),
      level: 'ERROR',
      count: 5600,
      message: '(7b1e0c2a) Execution failed due to configuration error: Rate Exceeded.',
    },
  ],
});

describe('a limit the provider lowered', () => {
  it('is the provider restricting us, with nothing of ours to undo', async () => {
    const run = await runScenario(
      scenario('wallet-ext', env('Applied quota value 1000 -> 10 for account 111122223333 (all functions)')),
    );
    expect(run.rootCause.category).toBe('dependency');
    expect(run.rootCause.summary).toMatch(/AWS restricted balance-fn/);
    expect(run.rootCause.mitigation).toBeNull();
  });

  it('is no restriction when the provider raised the quota', async () => {
    const run = await runScenario(
      scenario('wallet-ext', env('Applied quota value 10 -> 1000 for account 111122223333 (all functions)')),
    );
    expect(run.rootCause.summary).not.toMatch(/restricted/);
  });
});
