import * as z from 'zod';
import { IncidentId } from '../../domain/flow/phase-io.js';
import { loadIncident } from '../../domain/incidents/open.js';
import { recall, relatedSection, remember } from '../../domain/memory/recall.js';
import { emitResponseMetrics } from '../../domain/metrics/emit.js';
import { estimateImpactStart } from '../../domain/metrics/onset.js';
import type { Ports } from '../../domain/ports.js';
import { writePostmortem } from '../../domain/postmortem/compose.js';
import { joinSections, splitSections } from '../../domain/postmortem/sections.js';
import { record } from '../../domain/timeline.js';

export const PostmortemInput = z.object({ incidentId: IncidentId });

/** Who owns follow-ups: the service's owner in the catalog, else its team by name. */
async function ownerOf(ports: Ports, service: string | undefined): Promise<string> {
  const catalog = await ports.evidence.services().catch(() => []);
  const owner = catalog.find((s) => s.name === service)?.owner;
  return owner ?? (service ? `${service} owners` : 'service owners');
}

/**
 * Writes the blameless postmortem (by the analyst when it can, from the record otherwise), keeps
 * its action items on the incident, and records the response figures once the response is over.
 */
export async function postmortem(input: z.infer<typeof PostmortemInput>, ports: Ports) {
  let incident = await loadIncident(ports.store, input.incidentId);
  if (!incident.impactStartedAt) {
    // The SEV4 path skips Declare, where this is usually noted.
    const impactStartedAt = await estimateImpactStart(ports.evidence, incident).catch(() => undefined);
    if (impactStartedAt) incident = await ports.store.update(incident.id, { impactStartedAt });
  }
  const timeline = await ports.store.timeline(incident.id);
  const now = ports.clock.now();
  const written = await writePostmortem(ports.analyst, incident, timeline, {
    now,
    owner: await ownerOf(ports, incident.service),
    alertsLinked: await ports.store.countLinkedAlerts(incident.id),
  });
  // Past incidents like this one, after the required sections: the history a reader weighs the cause against.
  const related = relatedSection(await recall(ports, incident));
  const doc = splitSections(written.markdown);
  const sections = doc.sections
    .filter((s) => s.name.trim().toLowerCase() !== 'related incidents')
    .map((s, i, all) => (i === all.length - 1 && related ? { ...s, body: `${s.body.trimEnd()}\n\n` } : s));
  const markdown = related
    ? joinSections({ head: doc.head, sections: [...sections, { name: 'Related incidents', body: related }] })
    : written.markdown;
  const updated = await ports.store.update(incident.id, {
    postmortem: markdown,
    // A re-run keeps the items (and their status) people may already be working on.
    actionItems: incident.actionItems?.length ? incident.actionItems : written.actionItems,
    updatedAt: now.toISOString(),
  });
  await remember(ports, updated);
  const path = await ports.artifacts.writePostmortem(incident.id, markdown);
  await record(
    ports,
    incident.id,
    'postmortem',
    `postmortem written by the ${written.author}${written.fallbackReason ? ` (${written.fallbackReason})` : ''}${path ? ` to ${path}` : ''}; ${updated.actionItems?.length ?? 0} action item(s)`,
  );
  await emitResponseMetrics(ports, updated);
  return { path: path ?? null, author: written.author };
}
