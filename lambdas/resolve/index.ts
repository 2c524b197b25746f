import { z } from 'zod';
import { policyFor } from '../core/config.js';
import { loadIncident } from '../core/incidents/open.js';
import { notifyAudiences } from '../core/notify/notify.js';
import { IncidentId } from '../core/phase-io.js';
import type { Ports } from '../core/ports.js';
import { record } from '../core/timeline.js';

export const ResolveInput = z.object({ incidentId: IncidentId });

/** Marks recovery, sends the all-clear, and frees the fingerprint for the next incident. */
export async function resolve(input: z.infer<typeof ResolveInput>, ports: Ports) {
  const now = ports.clock.now().toISOString();
  const before = await loadIncident(ports.store, input.incidentId);
  const incident = await ports.store.update(
    before.id,
    { status: 'RESOLVED', resolvedAt: now, updatedAt: now },
    { expectStatus: ['TRIAGE', 'ACTIVE', 'MITIGATED', 'TICKETED'] },
  );
  await ports.store.releaseFingerprint(incident.fingerprint, incident.id);
  await record(ports, incident.id, 'resolved', 'service recovered; incident resolved');
  const policy = policyFor(ports.config, incident.severity ?? 'SEV3');
  const audiences = [
    ...policy.audiences,
    ...policy.escalation.slice(0, incident.escalationTier).map((t) => t.audience),
  ];
  await notifyAudiences(ports, 'all-clear', incident, audiences);
  return { resolvedAt: now };
}
