import * as z from 'zod';
import { policyFor } from '../../domain/config.js';
import { IncidentId, Monitor } from '../../domain/flow/phase-io.js';
import { loadIncident } from '../../domain/incidents/open.js';
import type { TimelineEvent } from '../../domain/model.js';
import { notifyAudiences } from '../../domain/notify/notify.js';
import type { Ports } from '../../domain/ports.js';

export const StatusUpdateInput = z.object({ incidentId: IncidentId, monitor: Monitor });

/** Timeline entries people care about between updates (not the loop's own bookkeeping). */
const NEWSWORTHY = new Set([
  'root-cause',
  'approval-granted',
  'approval-rejected',
  'approval-late',
  'mitigation-applied',
  'mitigation-dry-run',
  'mitigation-failed',
  'escalated',
  'alert-repeat',
  'plan',
]);

/** The alarm's story since the last update, from the loop's own checks: one line, not one per check. */
function alarmStory(checks: TimelineEvent[], healthyNeeded: number): string | undefined {
  if (!checks.length) return undefined;
  const states = checks.map((c) => (c.data as { state?: string } | undefined)?.state ?? 'unknown');
  const last = states[states.length - 1];
  const healthy =
    (checks[checks.length - 1].data as { healthyChecks?: number } | undefined)?.healthyChecks ?? 0;
  if (last === 'OK') {
    return `alarm back to OK; confirming recovery (${healthy} of ${healthyNeeded} healthy checks)`;
  }
  if (states.includes('OK')) return `alarm recovered briefly, then returned to ${last}`;
  return `alarm still ${last} across ${checks.length} check(s) since the last update`;
}

/** The update the cadence promised, saying what changed since the last one. */
export async function statusUpdate(input: z.infer<typeof StatusUpdateInput>, ports: Ports) {
  const incident = await loadIncident(ports.store, input.incidentId);
  const policy = policyFor(ports.config, incident.severity ?? 'SEV3');
  const since = input.monitor.lastUpdateAt ?? incident.declaredAt ?? incident.detectedAt;
  const events = (await ports.store.timeline(incident.id)).filter((e) => e.at > since);
  const changes = events
    .filter((e) => NEWSWORTHY.has(e.type))
    .map((e) => `${e.at.slice(11, 16)} UTC ${e.text}`);
  const story = alarmStory(
    events.filter((e) => e.type === 'recovery-check'),
    ports.config.healthyChecksToResolve,
  );
  if (story) changes.push(story);
  const now = ports.clock.now();
  const nextUpdateAt = new Date(now.getTime() + policy.updateCadenceSeconds * 1000).toISOString();
  await notifyAudiences(
    ports,
    'status-update',
    incident,
    policy.audiences,
    { changes: changes.length ? changes : ['no change since the last update'], nextUpdateAt },
    { once: `status-update@${input.monitor.checks}` },
  );
  return { ...input.monitor, lastUpdateAt: now.toISOString() };
}
