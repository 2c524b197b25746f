import { z } from 'zod';
import { policyFor } from '../core/config.js';
import { loadIncident } from '../core/incidents/open.js';
import { notifyAudiences } from '../core/notify/notify.js';
import { IncidentId, Monitor } from '../core/phase-io.js';
import type { Ports } from '../core/ports.js';

export const StatusUpdateInput = z.object({ incidentId: IncidentId, monitor: Monitor });

/** Timeline entries people care about between updates (not the loop's own bookkeeping). */
const NEWSWORTHY = new Set([
  'root-cause',
  'approval-granted',
  'approval-rejected',
  'mitigation-applied',
  'mitigation-dry-run',
  'mitigation-failed',
  'escalated',
  'alert-repeat',
  'plan',
]);

/** The update the cadence promised, saying what changed since the last one. */
export async function statusUpdate(input: z.infer<typeof StatusUpdateInput>, ports: Ports) {
  const incident = await loadIncident(ports.store, input.incidentId);
  const policy = policyFor(ports.config, incident.severity ?? 'SEV3');
  const since = input.monitor.lastUpdateAt ?? incident.declaredAt ?? incident.detectedAt;
  const events = await ports.store.timeline(incident.id);
  const changes = events.filter((e) => e.at > since && NEWSWORTHY.has(e.type)).map((e) => e.text);
  if (input.monitor.alarm) changes.push(`alarm is ${input.monitor.alarm}`);
  const now = ports.clock.now();
  await notifyAudiences(ports, 'status-update', incident, policy.audiences, {
    changes: changes.length ? changes : ['no change since the last update'],
    nextUpdateAt: new Date(now.getTime() + policy.updateCadenceSeconds * 1000).toISOString(),
  });
  return { ...input.monitor, lastUpdateAt: now.toISOString() };
}
