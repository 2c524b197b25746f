import * as z from 'zod';
import { policyFor } from '../../domain/config.js';
import { IncidentId } from '../../domain/flow/phase-io.js';
import { loadIncident } from '../../domain/incidents/open.js';
import { emitResponseMetrics } from '../../domain/metrics/emit.js';
import { notifyAudiences } from '../../domain/notify/notify.js';
import type { Ports } from '../../domain/ports.js';
import { record } from '../../domain/timeline.js';

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
