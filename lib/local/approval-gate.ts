/**
 * The local stand-in for the human on the other end of a `.waitForTaskToken` task. It answers
 * through the same `decideApproval` the CLI and the approval links use.
 */
import { createInterface } from 'node:readline/promises';
import { decideApproval } from '../../lambdas/core/approval.js';
import type { Clock } from '../../lambdas/core/clock.js';
import { ApprovalRejected } from '../../lambdas/core/errors.js';
import type { MitigationAction } from '../../lambdas/core/model.js';
import { describeAction } from '../../lambdas/core/notify/messages.js';
import type { IncidentStore } from '../../lambdas/core/ports.js';

export const APPROVAL_MODES = ['auto', 'prompt', 'deny', 'timeout'] as const;
export type ApprovalMode = (typeof APPROVAL_MODES)[number];

/** Step Functions reports an expired wait as `States.Timeout`; the flow's Catch matches that name. */
class ApprovalTimeout extends Error {
  constructor() {
    super('no approval decision before the timeout');
    this.name = 'States.Timeout';
  }
}

export async function askOnTerminal(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(question);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

export async function awaitDecision(
  deps: { store: IncidentStore; clock: Clock },
  incidentId: string,
  action: MitigationAction,
  mode: ApprovalMode,
  ask: (question: string) => Promise<boolean> = askOnTerminal,
): Promise<{ approved: true; by: string; at: string }> {
  if (mode === 'timeout') throw new ApprovalTimeout();
  const approved =
    mode === 'auto'
      ? true
      : mode === 'deny'
        ? false
        : await ask(`  ? Approve ${describeAction(action)} for ${incidentId}? [y/N] `);
  const actor = mode === 'prompt' ? `local:${process.env.USER ?? 'operator'}` : `local:--approve ${mode}`;
  await decideApproval(deps, incidentId, {
    approved,
    actor,
    reason: approved ? undefined : 'rejected at the local prompt',
  });
  if (!approved) throw new ApprovalRejected(`${actor} rejected ${describeAction(action)}`);
  return { approved: true, by: actor, at: deps.clock.now().toISOString() };
}
