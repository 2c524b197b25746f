import * as z from 'zod';
import { policyFor } from '../../domain/config.js';
import { IncidentId } from '../../domain/flow/phase-io.js';
import { loadIncident } from '../../domain/incidents/open.js';
import { recall, remember } from '../../domain/memory/recall.js';
import { describeHistory } from '../../domain/memory/records.js';
import { estimateImpactStart } from '../../domain/metrics/onset.js';
import { notifyAudiences } from '../../domain/notify/notify.js';
import type { Ports } from '../../domain/ports.js';
import { record } from '../../domain/timeline.js';

export const DeclareInput = z.object({
  incidentId: IncidentId,
  /** Set when re-triage raised severity: the declaration goes out again, to the new level's audiences. */
  reason: z.string().max(500).optional(),
});

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
    {
      status: before.status === 'MITIGATED' ? 'MITIGATED' : 'ACTIVE',
      declaredAt,
      impactStartedAt,
      updatedAt: now.toISOString(),
    },
    // A SEV4 ticket whose severity rose becomes an active incident.
    { expectStatus: ['TRIAGE', 'ACTIVE', 'TICKETED', 'MITIGATED'] },
  );
  const severity = incident.severity ?? 'SEV3';
  const policy = policyFor(ports.config, severity);
  // Responders see at once whether this happened before and what fixed it then.
  const similar = before.declaredAt ? undefined : await recall(ports, incident);
  const history = similar && describeHistory(similar);
  if (similar) {
    await record(
      ports,
      incident.id,
      'similar-incidents',
      history ?? `not seen in the last ${similar.horizonDays} days`,
      {
        itemsRead: similar.itemsRead,
        matches: similar.matches.map((m) => ({
          id: m.record.id,
          matchedOn: m.matchedOn,
          verdict: m.record.verdict,
        })),
      },
    );
    await remember(ports, incident);
  }
  if (!before.declaredAt || input.reason) {
    await record(
      ports,
      incident.id,
      'declared',
      `${before.declaredAt ? 're-declared' : 'declared'} ${severity}; informing ${policy.audiences.join(', ') || 'nobody'}${input.reason ? ` (${input.reason})` : ''}`,
      { severity, impactStartedAt, ...(input.reason ? { reason: input.reason } : {}) },
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
    { nextUpdateAt, ...(input.reason ? { reason: input.reason } : {}), ...(history ? { history } : {}) },
    // Each level is declared once to each audience: a raise reaches everyone its new level names.
    { once: input.reason ? `declared-${severity}` : 'declared' },
  );
  return { notified: sent };
}
