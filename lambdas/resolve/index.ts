import * as z from 'zod';
import { policyFor } from '../../domain/config.js';
import { IncidentId } from '../../domain/flow/phase-io.js';
import { loadIncident } from '../../domain/incidents/open.js';
import { notifyAudiences } from '../../domain/notify/notify.js';
import type { Ports } from '../../domain/ports.js';
import { record } from '../../domain/timeline.js';

export const ResolveInput = z.object({ incidentId: IncidentId });

/**
 * Marks recovery, frees the fingerprint for the next incident, and sends the all-clear to everyone
 * who heard about the incident: the severity's audiences and every tier it escalated to.
 */
export async function resolve(input: z.infer<typeof ResolveInput>, ports: Ports) {
  const before = await loadIncident(ports.store, input.incidentId);
  const now = before.resolvedAt ?? ports.clock.now().toISOString();
  const incident =
    before.status === 'RESOLVED'
      ? before
      : await ports.store.update(
          before.id,
          { status: 'RESOLVED', resolvedAt: now, updatedAt: now },
          { expectStatus: ['TRIAGE', 'ACTIVE', 'MITIGATED', 'TICKETED'] },
        );
  await ports.store.releaseFingerprint(incident.fingerprint, incident.id);
  if (before.status !== 'RESOLVED') {
    const how =
      incident.mitigation?.status === 'applied'
        ? `after ${incident.mitigation.action.kind} ${incident.mitigation.action.target}`
        : 'without an automated mitigation';
    await record(ports, incident.id, 'resolved', `service recovered ${how}; incident resolved`);
  }
  const policy = policyFor(ports.config, incident.severity ?? 'SEV3');
  const audiences = [
    ...policy.audiences,
    ...policy.escalation.slice(0, incident.escalationTier).map((t) => t.audience),
  ];
  await notifyAudiences(ports, 'all-clear', incident, audiences, {}, { once: 'all-clear' });
  return { resolvedAt: now };
}
