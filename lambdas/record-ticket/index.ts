import { z } from 'zod';
import { loadIncident } from '../core/incidents/open.js';
import { IncidentId } from '../core/phase-io.js';
import type { Ports } from '../core/ports.js';
import { record } from '../core/timeline.js';

export const RecordTicketInput = z.object({ incidentId: IncidentId });

/** SEV4: no user impact, so no page. The findings go on a backlog ticket for working hours. */
export async function recordTicket(input: z.infer<typeof RecordTicketInput>, ports: Ports) {
  const incident = await loadIncident(ports.store, input.incidentId);
  const now = ports.clock.now().toISOString();
  await ports.store.update(incident.id, { status: 'TICKETED', updatedAt: now });
  const cause = incident.rootCause
    ? `${incident.rootCause.category}: ${incident.rootCause.summary}`
    : 'no cause found';
  await record(ports, incident.id, 'ticketed', `SEV4 backlog ticket opened, nobody paged — ${cause}`);
  return { ticket: incident.id };
}
