/**
 * Approval of a mitigation: one place that opens the request and records the decision, whoever
 * answers it (the CLI, a signed link, the local prompt). A request is answered once: the one-time
 * approval token is kept only as a hash, and using it is a single conditional write.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';
import { ValidationError } from '../errors.js';
import type { Incident, MitigationAction } from '../model.js';
import type { ApprovalTokenRecord, IncidentStore } from '../ports.js';
import { record } from '../timeline.js';

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Why an approval cannot be decided: each is shown to the person as it is, and changes nothing. */
export type RefusalCode = 'none' | 'superseded' | 'used' | 'expired';

/** A decision that cannot be taken. The message is safe to show to whoever asked. */
export class ApprovalRefused extends ValidationError {
  override name = 'ApprovalRefused';
  constructor(
    readonly code: RefusalCode,
    message: string,
  ) {
    super(message);
  }
}

type Deps = { store: IncidentStore; clock: Clock };

/** Stores a pending approval and returns the one-time approval token (only its hash is kept). */
export async function openApproval(
  deps: Deps,
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

/**
 * The pending approval, if it can still be decided; refuses (throws ApprovalRefused) when there is
 * none, it was answered, it expired, or the token belongs to an earlier request. Reads only.
 */
export async function pendingApproval(
  deps: Deps,
  incidentId: string,
  opts: { approvalToken?: string } = {},
): Promise<ApprovalTokenRecord> {
  const pending = await deps.store.getApprovalToken(incidentId);
  if (!pending) throw new ApprovalRefused('none', `no approval is pending for ${incidentId}`);
  if (opts.approvalToken !== undefined && hashToken(opts.approvalToken) !== pending.tokenHash) {
    throw new ApprovalRefused(
      'superseded',
      `this approval link belongs to an earlier request for ${incidentId}; use the latest one`,
    );
  }
  if (pending.usedAt) {
    throw new ApprovalRefused(
      'used',
      `the approval for ${incidentId} was already decided at ${pending.usedAt}`,
    );
  }
  if (pending.expiresAt < deps.clock.now().toISOString()) {
    throw new ApprovalRefused('expired', `the approval for ${incidentId} expired at ${pending.expiresAt}`);
  }
  return pending;
}

export interface Decision {
  approved: boolean;
  /** Who decided, with the channel: `cli:alice`, `link:bob`, `local:--approve auto`. */
  actor: string;
  reason?: string;
  /** Decided by configuration (`--approve auto|deny`), not a person: it acknowledges nothing. */
  automatic?: boolean;
}

const ACTOR = /^[A-Za-z0-9 ._@:+/-]{1,80}$/;

/** A person's name as typed on a form or flag: printable, short, never markup. */
export function cleanActor(name: string): string {
  const flat = name.replace(/\s+/g, ' ').trim();
  if (!ACTOR.test(flat))
    throw new ValidationError('the approver name may use letters, digits and ._@:+/- only');
  return flat;
}

/**
 * Records a decision once. Refuses an unknown, superseded, expired or already used approval and
 * changes nothing then; returns the task token the engine is waiting on, so the caller can answer.
 * Any human decision, approval or rejection, is the incident's acknowledgement; an automatic one
 * (a mode that answers without a person) is recorded but acknowledges nothing, or MTTA would
 * measure the automation.
 */
export async function decideApproval(
  deps: Deps,
  incidentId: string,
  decision: Decision,
  opts: { approvalToken?: string } = {},
): Promise<{ taskToken: string; action: MitigationAction; decidedAt: string; pending: ApprovalTokenRecord }> {
  const pending = await pendingApproval(deps, incidentId, opts);
  const now = deps.clock.now().toISOString();
  if (!(await deps.store.consumeApprovalToken(incidentId, pending.tokenHash, now))) {
    throw new ApprovalRefused('used', `the approval for ${incidentId} was already decided`);
  }
  const incident = await deps.store.get(incidentId);
  const reason = decision.reason?.replace(/\s+/g, ' ').trim().slice(0, 500);
  await deps.store.update(incidentId, {
    mitigation: {
      action: pending.action,
      status: decision.approved ? 'approved' : 'rejected',
      approvedBy: decision.actor,
      decidedAt: now,
      detail: reason ?? '',
    },
    ...(incident && !incident.acknowledgedAt && !decision.automatic ? { acknowledgedAt: now } : {}),
    updatedAt: now,
  });
  await record(
    deps,
    incidentId,
    decision.approved ? 'approval-granted' : 'approval-rejected',
    `${decision.approved ? 'approved' : 'rejected'} by ${decision.actor}${reason ? `: ${reason}` : ''}`,
    { action: pending.action, by: decision.actor, at: now },
    decision.actor,
  );
  return { taskToken: pending.taskToken, action: pending.action, decidedAt: now, pending };
}

/**
 * The engine could not be told (it stopped waiting, or the call failed): puts things back as they
 * were so the record does not claim a decision that had no effect. `late` means the wait is over —
 * nothing will run — while otherwise the request is open again and can be answered anew.
 */
export async function undoDecision(
  deps: Deps,
  incident: Incident | undefined,
  pending: ApprovalTokenRecord,
  why: { late: boolean; detail: string },
): Promise<void> {
  if (!incident) return;
  const now = deps.clock.now().toISOString();
  if (!why.late) {
    const { usedAt: _used, ...open } = pending;
    await deps.store.putApprovalToken(incident.id, open);
  }
  await deps.store.update(incident.id, {
    mitigation: {
      action: pending.action,
      status: why.late ? 'timed-out' : 'awaiting-approval',
      detail: why.detail.slice(0, 500),
    },
    updatedAt: now,
  });
  await record(
    deps,
    incident.id,
    why.late ? 'approval-late' : 'approval-undelivered',
    why.late
      ? `decision arrived after the workflow stopped waiting; nothing was run (${why.detail.slice(0, 200)})`
      : `decision could not be delivered to the workflow and was withdrawn; answer again (${why.detail.slice(0, 200)})`,
  );
}
