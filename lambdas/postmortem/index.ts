import { z } from 'zod';
import { loadIncident } from '../core/incidents/open.js';
import { IncidentId } from '../core/phase-io.js';
import type { Ports } from '../core/ports.js';
import { postmortemFromRecord } from '../core/postmortem/template.js';
import { record } from '../core/timeline.js';

export const PostmortemInput = z.object({ incidentId: IncidentId });

/** Writes the blameless postmortem: by the analyst when it can, from the record otherwise. */
export async function postmortem(input: z.infer<typeof PostmortemInput>, ports: Ports) {
  const incident = await loadIncident(ports.store, input.incidentId);
  const timeline = await ports.store.timeline(incident.id);
  const written = await ports.analyst.writePostmortem?.(incident, timeline).catch(() => undefined);
  const markdown =
    written && !written.degraded
      ? written.value
      : postmortemFromRecord(incident, timeline, ports.clock.now());
  await ports.store.update(incident.id, { postmortem: markdown, updatedAt: ports.clock.now().toISOString() });
  const path = await ports.artifacts.writePostmortem(incident.id, markdown);
  await record(ports, incident.id, 'postmortem', `postmortem written${path ? ` to ${path}` : ''}`);
  return { path: path ?? null };
}
