import { z } from 'zod';
import { policyFor } from '../core/config.js';
import { loadIncident } from '../core/incidents/open.js';
import { notifyAudiences } from '../core/notify/notify.js';
import { IncidentId } from '../core/phase-io.js';
import type { Ports } from '../core/ports.js';
import { record } from '../core/timeline.js';

export const DeclareInput = z.object({ incidentId: IncidentId });

/** Makes the incident official and tells everyone its severity says must know, at once. */
export async function declare(input: z.infer<typeof DeclareInput>, ports: Ports) {
  const now = ports.clock.now();
  const incident = await ports.store.update(
    input.incidentId,
    { status: 'ACTIVE', declaredAt: now.toISOString(), updatedAt: now.toISOString() },
    { expectStatus: ['TRIAGE', 'ACTIVE'] },
  );
  const severity = incident.severity ?? 'SEV3';
  const policy = policyFor(ports.config, severity);
  await record(ports, incident.id, 'declared', `declared ${severity}`);
  const nextUpdateAt = policy.updateCadenceSeconds
    ? new Date(now.getTime() + policy.updateCadenceSeconds * 1000).toISOString()
    : undefined;
  const sent = await notifyAudiences(
    ports,
    'declared',
    await loadIncident(ports.store, incident.id),
    policy.audiences,
    {
      nextUpdateAt,
    },
  );
  return { notified: sent };
}
