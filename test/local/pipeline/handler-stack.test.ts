/**
 * The local engine invokes each phase through the same middleware stack as its Lambda: an AWS
 * throttling fault inside a phase is renamed TransientError, which the state machine retries,
 * instead of failing the execution into RecordFailure.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Actions } from '../../../domain/ports.js';
import { prepare, runIncident } from '../../../local/runner.js';

const scenario = JSON.parse(
  readFileSync(
    new URL('../../../examples/scenarios/checkout-5xx-after-deploy.json', import.meta.url),
    'utf8',
  ),
);

/** The simulated actions, except that the first call is throttled as an AWS client would be. */
const throttledOnce = (simulated: Actions): Actions => {
  let calls = 0;
  return {
    execute: async (action, opts) => {
      if (calls++ === 0)
        throw Object.assign(new Error('Rate exceeded'), {
          name: 'ThrottlingException',
          $metadata: { httpStatusCode: 400 },
        });
      return simulated.execute(action, opts);
    },
  };
};

describe('the local runner runs phases through the Lambda handler stack', () => {
  it('retries a throttled action as TransientError and the incident still resolves', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'firebreak-stack-'));
    const summary = await runIncident(prepare(scenario), {
      dataDir,
      approve: 'auto',
      actions: throttledOnce,
    });
    expect(summary.executionStatus).toBe('SUCCEEDED');
    expect(summary.states).not.toContain('RecordFailure');
    expect(summary.status).toBe('RESOLVED');
    expect(summary.mitigation).toMatchObject({ kind: 'rollback', status: 'applied' });
  }, 120_000);

  it('refuses a Task input its schema rejects with the same ValidationError as the Lambda', async () => {
    const { localPhaseHandler } = await import('../../../runtime/phase-stack.js');
    const { PHASES } = await import('../../../lambdas/phases.js');
    const triage = PHASES.TriageFunctionArn;
    const invoke = localPhaseHandler(triage.input, triage.run, () => {
      throw new Error('ports are not reached for a bad input');
    });
    await expect(invoke({ incidentId: 42 })).rejects.toMatchObject({
      name: 'ValidationError',
      message: expect.stringMatching(/^invalid input: /),
    });
  });
});
