import { z } from 'zod';
import { escalationAudience, policyFor } from '../core/config.js';
import { loadIncident } from '../core/incidents/open.js';
import { notifyAudiences } from '../core/notify/notify.js';
import { IncidentId } from '../core/phase-io.js';
import type { Ports } from '../core/ports.js';
import { record } from '../core/timeline.js';

export const EscalateInput = z.object({
  incidentId: IncidentId,
  /** Why now: the approval failed (its error name), or the tier's time came. */
  reason: z.string().max(200).optional(),
});

const REASONS: Record<string, string> = {
  ApprovalRejected: 'the proposed mitigation was rejected; nothing was run',
  'States.Timeout': 'nobody answered the approval request in time; nothing was run',
};

/** Pages the next tier of the severity's escalation ladder, with the reason. */
export async function escalate(input: z.infer<typeof EscalateInput>, ports: Ports) {
  const incident = await loadIncident(ports.store, input.incidentId);
  const policy = policyFor(ports.config, incident.severity ?? 'SEV3');
  const tier = Math.min(incident.escalationTier + 1, Math.max(policy.escalation.length, 1));
  const audience = escalationAudience(policy, tier) ?? 'oncall';
  const reason = REASONS[input.reason ?? ''] ?? input.reason ?? 'not recovered yet';
  const now = ports.clock.now().toISOString();
  if (input.reason && REASONS[input.reason] && incident.mitigation) {
    await ports.store.update(incident.id, {
      mitigation: {
        ...incident.mitigation,
        status: input.reason === 'States.Timeout' ? 'timed-out' : 'rejected',
      },
    });
  }
  const updated = await ports.store.update(incident.id, { escalationTier: tier, updatedAt: now });
  await record(ports, incident.id, 'escalated', `tier ${tier} (${audience}): ${reason}`, { tier, audience });
  await notifyAudiences(ports, 'escalation', updated, ['oncall', audience], { tier, reason });
  return { tier, audience };
}
