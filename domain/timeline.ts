import type { Clock } from './clock.js';
import type { NormalizedAlert, TimelineEvent } from './model.js';
import type { IncidentRecords } from './ports.js';

/** Appends one event to an incident's timeline at the clock's current time. */
export async function record(
  deps: { store: IncidentRecords; clock: Clock },
  incidentId: string,
  type: string,
  text: string,
  data?: unknown,
  actor = 'firebreak',
): Promise<void> {
  await deps.store.appendEvent(incidentId, { at: deps.clock.now().toISOString(), type, actor, text, data });
}

/** `repeat`: the fingerprint already belonged to the incident; `grouped`: a related alert joined it. */
export type JoinKind = 'repeat' | 'grouped';

/** An alert that joined an open incident, as its linked alert item records it. */
export interface Join {
  at: string;
  kind: JoinKind;
  alert: Pick<NormalizedAlert, 'source' | 'sourceEventId' | 'fingerprint' | 'status' | 'title' | 'startedAt'>;
}

/** The alert as the timeline names it; the raw payload stays on the linked alert item, stored once. */
export const alertRef = (a: Join['alert']) => ({
  source: a.source,
  sourceEventId: a.sourceEventId,
  fingerprint: a.fingerprint,
  status: a.status,
  title: a.title,
  startedAt: a.startedAt,
});

function joinEntry(kind: JoinKind, alerts: Join['alert'][], at: string): TimelineEvent {
  const titles = [...new Set(alerts.map((a) => a.title))];
  const named = `${titles.slice(0, 5).join(', ')}${titles.length > 5 ? `, and ${titles.length - 5} more` : ''}`;
  const n = alerts.length;
  return {
    at,
    type: kind === 'repeat' ? 'alert-repeat' : 'alert-grouped',
    actor: 'ingest',
    text:
      kind === 'repeat'
        ? `${n === 1 ? 'repeat alert' : `${n} repeat alerts`}: ${named}`
        : `${n === 1 ? 'related alert joined' : `${n} related alerts joined`}: ${named}`,
    data: { alerts: alerts.map(alertRef) },
  };
}

/**
 * The timeline as people read it: the recorded events, and one entry per moment and kind of join
 * naming the alerts that joined then. Joins are not written as events of their own — the linked
 * alert items record them — so a storm costs one write per alert, not two.
 */
export function withJoins(events: TimelineEvent[], joins: Join[]): TimelineEvent[] {
  const moments = new Map<string, Join[]>();
  for (const j of joins) {
    const key = `${j.at}|${j.kind}`;
    const list = moments.get(key);
    if (list) list.push(j);
    else moments.set(key, [j]);
  }
  const entries = [...moments.values()]
    .map((js) =>
      joinEntry(
        js[0].kind,
        js.map((j) => j.alert),
        js[0].at,
      ),
    )
    .sort((a, b) => a.at.localeCompare(b.at) || a.type.localeCompare(b.type));
  // Stable: at the same instant, recorded events keep their order and come first.
  return [...events, ...entries].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}
