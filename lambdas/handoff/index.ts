import * as z from 'zod';
import { policyFor } from '../core/config.js';
import { loadIncident } from '../core/incidents/open.js';
import { emitResponseMetrics } from '../core/metrics/emit.js';
import { notifyAudiences } from '../core/notify/notify.js';
import { IncidentId } from '../core/phase-io.js';
import type { Ports } from '../core/ports.js';
import { record } from '../core/timeline.js';

export const HandoffInput = z.object({ incidentId: IncidentId });

/**
 * The watch window is over without recovery: the automation steps back, the incident stays open,
 * and everyone already involved is told a human must take command. Its response figures so far are
 * recorded, so an unresolved incident still counts in the report and in CloudWatch.
 */
export async function handoff(input: z.infer<typeof HandoffInput>, ports: Ports) {
  const incident = await loadIncident(ports.store, input.incidentId);
  const policy = policyFor(ports.config, incident.severity ?? 'SEV3');
  await record(
    ports,
    incident.id,
    'handoff',
    `not recovered after ${ports.config.monitorDeadlineMinutes} min; automation stopped watching, incident stays open`,
  );
  // A SEV4 ticket that never cleared stays on the backlog: still nobody is paged for it.
  if (incident.severity !== 'SEV4') {
    const tiers = policy.escalation.slice(0, incident.escalationTier).map((t) => t.audience);
    await notifyAudiences(ports, 'handoff', incident, ['oncall', ...tiers], {}, { once: 'handoff' });
  }
  await emitResponseMetrics(ports, incident);
  return { status: incident.status };
}
