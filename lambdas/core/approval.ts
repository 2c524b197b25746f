/**
 * Approval of a mitigation: one place that issues the request and records the decision, whoever
 * answers it (the CLI, a signed link, the local prompt).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from './clock.js';
import { ConflictError, ValidationError } from './errors.js';
import type { MitigationAction } from './model.js';
import type { IncidentStore } from './ports.js';
import { record } from './timeline.js';

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Stores a pending approval and returns the one-time approval token (only its hash is kept). */
export async function openApproval(
  deps: { store: IncidentStore; clock: Clock },
  incidentId: string,
  action: MitigationAction,
  taskToken: string,
  ttlSeconds: number,
): Promise<{ approvalToken: string; expiresAt: string }> {
  const approvalToken = randomBytes(24).toString('base64url');
  const expiresAt = new Date(deps.clock.now().getTime() + ttlSeconds * 1000).toISOString();
  await deps.store.putApprovalToken(incidentId, {
    tokenHash: hashToken(approvalToken),
    taskToken,
    action,
    expiresAt,
  });
  return { approvalToken, expiresAt };
}

export interface Decision {
  approved: boolean;
  actor: string;
  reason?: string;
}

/**
 * Records a decision once. Refuses an unknown, expired or already used approval; returns the
 * task token the engine is waiting on, so the caller can answer it.
 */
export async function decideApproval(
  deps: { store: IncidentStore; clock: Clock },
  incidentId: string,
  decision: Decision,
  opts: { approvalToken?: string } = {},
): Promise<{ taskToken: string; action: MitigationAction }> {
  const pending = await deps.store.getApprovalToken(incidentId);
  if (!pending) throw new ValidationError(`no approval is pending for ${incidentId}`);
  const now = deps.clock.now().toISOString();
  if (opts.approvalToken !== undefined && hashToken(opts.approvalToken) !== pending.tokenHash) {
    throw new ValidationError('approval link is not valid');
  }
  if (pending.usedAt)
    throw new ConflictError(`approval for ${incidentId} was already decided at ${pending.usedAt}`);
  if (pending.expiresAt < now)
    throw new ValidationError(`approval for ${incidentId} expired at ${pending.expiresAt}`);
  if (!(await deps.store.consumeApprovalToken(incidentId, pending.tokenHash, now))) {
    throw new ConflictError(`approval for ${incidentId} was already decided`);
  }
  const incident = await deps.store.get(incidentId);
  await deps.store.update(incidentId, {
    mitigation: {
      action: pending.action,
      status: decision.approved ? 'approved' : 'rejected',
      approvedBy: decision.actor,
      decidedAt: now,
      detail: decision.reason ?? '',
    },
    ...(decision.approved && incident && !incident.acknowledgedAt ? { acknowledgedAt: now } : {}),
    updatedAt: now,
  });
  await record(
    deps,
    incidentId,
    decision.approved ? 'approval-granted' : 'approval-rejected',
    `${decision.approved ? 'approved' : 'rejected'} by ${decision.actor}${decision.reason ? `: ${decision.reason}` : ''}`,
    { action: pending.action },
    decision.actor,
  );
  return { taskToken: pending.taskToken, action: pending.action };
}
