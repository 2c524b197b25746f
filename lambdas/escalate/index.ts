import * as z from 'zod';
import { escalationAudience, policyFor } from '../../domain/config.js';
import { IncidentId } from '../../domain/flow/phase-io.js';
import { loadIncident } from '../../domain/incidents/open.js';
import type { Audience, Incident } from '../../domain/model.js';
import { describeAction } from '../../domain/notify/messages.js';
import { nextUpdateAt, notifyAudiences } from '../../domain/notify/notify.js';
import type { Ports } from '../../domain/ports.js';
import { record } from '../../domain/timeline.js';

export const EscalateInput = z.object({
  incidentId: IncidentId,
  /** Why now: the approval failed (its error name), or the tier's time came. */
  reason: z.string().max(200).optional(),
});

const APPROVAL_FAILURES: Record<string, string> = {
  ApprovalRejected: 'the proposed mitigation was rejected; nothing was run',
  'States.Timeout': 'nobody answered the approval request in time; nothing was run',
};

/** Why the tier is being paged, in the words a responder needs. */
function timeReason(incident: Incident, minutes: number): string {
  const m = incident.mitigation;
  if (m?.status === 'applied') {
    return `not recovered ${minutes} min after declaration; the ${describeAction(m.action)} applied at ${m.appliedAt?.slice(11, 16) ?? '?'} UTC has not restored service`;
  }
  if (m && ['proposed', 'rejected', 'timed-out', 'failed', 'dry-run'].includes(m.status)) {
    return `not recovered ${minutes} min after declaration; the proposed ${describeAction(m.action)} was not applied (${m.status})`;
  }
  return `not recovered ${minutes} min after declaration and no automated mitigation is available`;
}

/** Pages the next tier of the severity's escalation ladder, with the reason, on-call in copy. */
export async function escalate(input: z.infer<typeof EscalateInput>, ports: Ports) {
  const incident = await loadIncident(ports.store, input.incidentId);
  const policy = policyFor(ports.config, incident.severity ?? 'SEV3');
  const tier = Math.min(incident.escalationTier + 1, Math.max(policy.escalation.length, 1));
  const audience: Audience = escalationAudience(policy, tier) ?? 'oncall';
  const now = ports.clock.now();
  const minutes = Math.round(
    (now.getTime() - new Date(incident.declaredAt ?? incident.detectedAt).getTime()) / 60_000,
  );
  const approvalFailure = input.reason ? APPROVAL_FAILURES[input.reason] : undefined;
  const reason = approvalFailure ?? (input.reason ? input.reason : timeReason(incident, minutes));
  if (approvalFailure && incident.mitigation && incident.mitigation.status === 'awaiting-approval') {
    // Rejected through the CLI or a link, the record already says so; a timeout is written here.
    await ports.store.update(incident.id, {
      mitigation: {
        ...incident.mitigation,
        status: input.reason === 'States.Timeout' ? 'timed-out' : 'rejected',
      },
    });
  }
  if (approvalFailure && input.reason === 'States.Timeout') {
    // The workflow stopped waiting: close the request so a late link or CLI answer is refused.
    const pending = await ports.store.getApprovalToken(incident.id);
    if (pending && !pending.usedAt && pending.expiresAt > now.toISOString()) {
      await ports.store.putApprovalToken(incident.id, { ...pending, expiresAt: now.toISOString() });
    }
    await record(
      ports,
      incident.id,
      'approval-timed-out',
      'no decision before the approval request expired; nothing was run',
    );
  }
  const updated = await ports.store.update(incident.id, {
    escalationTier: tier,
    updatedAt: now.toISOString(),
  });
  await record(ports, incident.id, 'escalated', `tier ${tier} (${audience}): ${reason}`, { tier, audience });
  await notifyAudiences(
    ports,
    'escalation',
    updated,
    ['oncall', audience],
    {
      tier,
      paged: audience,
      reason,
      nextUpdateAt: nextUpdateAt(updated, policy.updateCadenceSeconds, now),
    },
    { once: `escalation-t${tier}` },
  );
  return { tier, audience };
}
