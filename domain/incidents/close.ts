/**
 * An incident its source resolved after the automation let go (handed off, or no execution
 * running) ends the way a recovery the pipeline confirmed ends: everyone who was paged hears the
 * all-clear, and a postmortem already written is rewritten so it no longer says the incident is open.
 */
import type { Clock } from '../clock.js';
import type { Audience, Incident, NormalizedAlert } from '../model.js';
import { notifyAudiences } from '../notify/notify.js';
import type { Artifacts, IncidentRecords, IncidentStore, Notifier } from '../ports.js';
import { postmortemFromRecord } from '../postmortem/template.js';
import { record } from '../timeline.js';

export interface CloserDeps {
  store: IncidentStore;
  clock: Clock;
  notifier: Notifier;
  artifacts?: Artifacts;
}

/**
 * When the source says the incident recovered: its own time, never before the last recorded event
 * (the record stays in order whichever clock stamped it), the clock only when the alert has none.
 */
export function recoveryTime(alert: NormalizedAlert, lastEventAt: string | undefined, now: Date): string {
  const said = new Date(alert.startedAt);
  if (Number.isNaN(said.getTime())) return now.toISOString();
  const at = said.toISOString();
  return lastEventAt && lastEventAt > at ? lastEventAt : at;
}

/** Everyone who heard about the incident, from the deliveries on its timeline. */
async function paged(store: IncidentRecords, incidentId: string): Promise<Audience[]> {
  const audiences = (await store.timeline(incidentId))
    .filter((e) => e.type === 'notification')
    .map((e) => (e.data as { audience?: Audience } | undefined)?.audience)
    .filter((a): a is Audience => !!a);
  return [...new Set(audiences)];
}

/** Sends the all-clear to everyone paged and refreshes a written postmortem; once per incident. */
export async function closeAfterSourceRecovery(deps: CloserDeps, incident: Incident): Promise<void> {
  const audiences = await paged(deps.store, incident.id);
  if (audiences.length) {
    await notifyAudiences(
      { ...deps, clock: { now: () => new Date(incident.resolvedAt ?? deps.clock.now()) } },
      'all-clear',
      incident,
      audiences,
      {},
      { once: 'all-clear' },
    );
  }
  if (!incident.postmortem) return;
  const timeline = await deps.store.timeline(incident.id);
  const markdown = postmortemFromRecord(
    incident,
    timeline,
    new Date(incident.resolvedAt ?? deps.clock.now()),
    incident.actionItems ?? [],
    await deps.store.countLinkedAlerts(incident.id),
  );
  await deps.store.update(incident.id, { postmortem: markdown });
  const path = await deps.artifacts?.writePostmortem(incident.id, markdown);
  await record(
    { ...deps, clock: { now: () => new Date(incident.resolvedAt ?? deps.clock.now()) } },
    incident.id,
    'postmortem',
    `postmortem rewritten: resolved by its source${path ? ` (${path})` : ''}`,
  );
}
