import * as z from 'zod';
import { IncidentId } from '../../domain/flow/phase-io.js';
import { investigationContext } from '../../domain/incidents/context.js';
import { loadIncident } from '../../domain/incidents/open.js';
import { knownTargets, vetAction } from '../../domain/mitigation/allow-list.js';
import { describeAction } from '../../domain/notify/messages.js';
import type { Ports } from '../../domain/ports.js';
import { record } from '../../domain/timeline.js';

export const RecordTicketInput = z.object({ incidentId: IncidentId });

/**
 * SEV4: no user impact, so no page. The findings, and the fix the analysis suggests (vetted by the
 * allow-list, proposed only: a ticket never runs anything), go on a backlog ticket for working
 * hours. The flow then watches the alarm quietly, so noise that clears closes itself.
 */
export async function recordTicket(input: z.infer<typeof RecordTicketInput>, ports: Ports) {
  const incident = await loadIncident(ports.store, input.incidentId);
  const now = ports.clock.now().toISOString();
  const proposal = incident.rootCause?.mitigation;
  let suggestion = '';
  let mitigation = incident.mitigation;
  if (proposal) {
    const ctx = await investigationContext(ports, incident);
    const verdict = vetAction(
      proposal,
      knownTargets(incident, ctx.services, await ports.evidence.changes(ctx.window)),
    );
    if (verdict.ok) {
      mitigation = {
        action: verdict.action,
        status: 'proposed',
        detail: 'suggested on the SEV4 ticket; not run',
      };
      suggestion = `; suggested fix: ${describeAction(verdict.action)}`;
    }
  }
  await ports.store.update(incident.id, { status: 'TICKETED', mitigation, updatedAt: now });
  const cause = incident.rootCause
    ? `${incident.rootCause.category}: ${incident.rootCause.summary}`
    : 'no cause found';
  await record(
    ports,
    incident.id,
    'ticketed',
    `SEV4 backlog ticket opened, nobody paged — ${cause}${suggestion}`,
  );
  return { ticket: incident.id };
}
