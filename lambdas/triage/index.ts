import * as z from 'zod';
import { policyFor } from '../core/config.js';
import { investigationContext } from '../core/incidents/context.js';
import { loadIncident } from '../core/incidents/open.js';
import { IncidentId } from '../core/phase-io.js';
import type { Ports } from '../core/ports.js';
import { record } from '../core/timeline.js';

export const TriageInput = z.object({ incidentId: IncidentId, executionArn: z.string().optional() });

/**
 * Classifies severity, picks the specialists to run, and fixes the cadence the flow will use.
 * Its output drives every Choice on severity downstream.
 */
export async function triage(input: z.infer<typeof TriageInput>, ports: Ports) {
  const incident = await loadIncident(ports.store, input.incidentId);
  const ctx = await investigationContext(ports, incident);
  const { value: decision, degraded, usage } = await ports.analyst.triage(ctx);
  const services = [...new Set([...(incident.service ? [incident.service] : []), ...decision.services])];
  await ports.store.update(incident.id, {
    severity: decision.severity,
    services,
    executionArn: input.executionArn ?? incident.executionArn,
    updatedAt: ports.clock.now().toISOString(),
    ...(usage ? { tokenUsage: usage } : {}),
  });
  await record(
    ports,
    incident.id,
    'triaged',
    `${decision.severity}: ${decision.rationale}${degraded ? ' (degraded: offline analyst)' : ''}`,
    { severity: decision.severity, specialists: decision.specialists, services },
    ports.analyst.name,
  );
  const policy = policyFor(ports.config, decision.severity);
  return {
    severity: decision.severity,
    specialists: decision.specialists,
    services,
    updateCadenceSeconds: policy.updateCadenceSeconds,
    checkIntervalSeconds: ports.config.checkIntervalSeconds,
  };
}
