import * as z from 'zod';
import { policyFor } from '../core/config.js';
import { loadIncident } from '../core/incidents/open.js';
import { estimateImpactStart } from '../core/metrics/onset.js';
import { notifyAudiences } from '../core/notify/notify.js';
import { IncidentId } from '../core/phase-io.js';
import type { Ports } from '../core/ports.js';
import { record } from '../core/timeline.js';

export const DeclareInput = z.object({ incidentId: IncidentId });

/**
 * Makes the incident official and tells everyone its severity says must know, at once, with the
 * time of the next update. Notes when users were first affected (the start of time to detect).
 */
export async function declare(input: z.infer<typeof DeclareInput>, ports: Ports) {
  const before = await loadIncident(ports.store, input.incidentId);
  const now = ports.clock.now();
  const declaredAt = before.declaredAt ?? now.toISOString();
  // Telemetry that cannot be read does not hold up the declaration.
  const impactStartedAt =
    before.impactStartedAt ?? (await estimateImpactStart(ports.evidence, before).catch(() => undefined));
  const incident = await ports.store.update(
    before.id,
    { status: 'ACTIVE', declaredAt, impactStartedAt, updatedAt: now.toISOString() },
    { expectStatus: ['TRIAGE', 'ACTIVE'] },
  );
  const severity = incident.severity ?? 'SEV3';
  const policy = policyFor(ports.config, severity);
  if (!before.declaredAt) {
    await record(
      ports,
      incident.id,
      'declared',
      `declared ${severity}; informing ${policy.audiences.join(', ') || 'nobody'}`,
      {
        severity,
        impactStartedAt,
      },
    );
  }
  const nextUpdateAt = policy.updateCadenceSeconds
    ? new Date(now.getTime() + policy.updateCadenceSeconds * 1000).toISOString()
    : undefined;
  const sent = await notifyAudiences(
    ports,
    'declared',
    await loadIncident(ports.store, incident.id),
    policy.audiences,
    { nextUpdateAt },
    { once: 'declared' },
  );
  return { notified: sent };
}
