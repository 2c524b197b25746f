import * as z from 'zod';
import { IncidentId } from '../../domain/flow/phase-io.js';
import { investigationContext } from '../../domain/incidents/context.js';
import { loadIncident } from '../../domain/incidents/open.js';
import { Specialist } from '../../domain/model.js';
import type { Ports } from '../../domain/ports.js';
import { record } from '../../domain/timeline.js';

export const InvestigateInput = z.object({ incidentId: IncidentId, specialist: Specialist });

/** One specialist's look at the evidence. The Map runs one of these per specialist, in parallel. */
export async function investigate(input: z.infer<typeof InvestigateInput>, ports: Ports) {
  const incident = await loadIncident(ports.store, input.incidentId);
  const ctx = await investigationContext(ports, incident);
  const { value: finding, degraded, usage } = await ports.analyst.investigate(input.specialist, ctx);
  const top = finding.hypotheses[0];
  await record(
    ports,
    incident.id,
    'finding',
    `${input.specialist}: ${top ? `${top.summary} (${Math.round(top.confidence * 100)}%)` : 'nothing notable'}${degraded ? ' [degraded]' : ''}`,
    { finding, usage },
    `${ports.analyst.name}:${input.specialist}`,
  );
  return { ...finding, status: degraded ? 'degraded' : finding.status, usage };
}
