/**
 * Records alerts that joined an open incident: each incident's tally goes up by one atomic ADD
 * (only while it is open) and the timeline gets one entry per incident naming them. Joins that
 * arrive while a write is in flight share the next one (group commit): in a storm a few requests
 * carry hundreds of alerts, and every caller still waits until the entry naming its alert is
 * stored. With one delivery at a time (a Lambda), every batch is that one alert.
 */
import type { Clock } from '../clock.js';
import { ConflictError } from '../errors.js';
import { type Incident, type NormalizedAlert, OPEN_STATUSES, type TimelineEvent } from '../model.js';
import type { IncidentStore } from '../ports.js';

/** `repeat`: the fingerprint already belonged to the incident; `grouped`: a related alert joined it. */
export type JoinKind = 'repeat' | 'grouped';

/** The incident closed before the alert could be counted on it: route the alert again. */
export class IncidentClosed extends ConflictError {}

interface Waiter {
  incidentId: string;
  kind: JoinKind;
  alert: NormalizedAlert;
  resolve: (incident: Incident) => void;
  reject: (err: unknown) => void;
}

/** The alert as the timeline names it; the raw payload stays on the linked alert item, stored once. */
export const alertRef = (a: NormalizedAlert) => ({
  source: a.source,
  sourceEventId: a.sourceEventId,
  fingerprint: a.fingerprint,
  status: a.status,
  title: a.title,
  startedAt: a.startedAt,
});

function entry(kind: JoinKind, alerts: NormalizedAlert[], at: string): TimelineEvent {
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

const groupBy = <T>(items: T[], key: (t: T) => string): Map<string, T[]> => {
  const out = new Map<string, T[]>();
  for (const item of items) out.set(key(item), [...(out.get(key(item)) ?? []), item]);
  return out;
};

export class LinkedAlertRecorder {
  private pending: Waiter[] = [];
  private writing = false;

  constructor(private readonly deps: { store: IncidentStore; clock: Clock }) {}

  /** Resolves with the incident (its new tally) once the alert is counted and on the timeline. */
  record(incidentId: string, kind: JoinKind, alert: NormalizedAlert): Promise<Incident> {
    return new Promise<Incident>((resolve, reject) => {
      this.pending.push({ incidentId, kind, alert, resolve, reject });
      // Joiners of this same tick share the first write; later ones queue for the next.
      if (!this.writing) {
        this.writing = true;
        queueMicrotask(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending.length) {
        const batch = this.pending;
        this.pending = [];
        await this.write(batch).catch((err) => {
          for (const w of batch) w.reject(err);
        });
      }
    } finally {
      this.writing = false;
    }
  }

  private async write(batch: Waiter[]): Promise<void> {
    const at = this.deps.clock.now().toISOString();
    const byIncident = groupBy(batch, (w) => w.incidentId);
    // Count first, and only on incidents still open: one that closed meanwhile gets no entry.
    const counted = new Map<string, Incident>();
    await Promise.all(
      [...byIncident].map(async ([id, waiters]) => {
        try {
          counted.set(
            id,
            await this.deps.store.countAlerts(id, waiters.length, at, { whileStatus: [...OPEN_STATUSES] }),
          );
        } catch (err) {
          const closed = err instanceof ConflictError ? new IncidentClosed(err.message) : err;
          for (const w of waiters) w.reject(closed);
        }
      }),
    );
    const open = batch.filter((w) => counted.has(w.incidentId));
    const entries = [...groupBy(open, (w) => `${w.incidentId}|${w.kind}`).values()].map((waiters) => ({
      incidentId: waiters[0].incidentId,
      event: entry(
        waiters[0].kind,
        waiters.map((w) => w.alert),
        at,
      ),
    }));
    await this.deps.store.appendEvents(entries).catch((err) => {
      for (const w of open) w.reject(err);
      throw err;
    });
    for (const w of open) w.resolve(counted.get(w.incidentId) as Incident);
  }
}
