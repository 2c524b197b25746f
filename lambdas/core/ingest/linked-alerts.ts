/**
 * Records alerts that joined an open incident: one timeline entry and one atomic count per batch.
 * Alerts joining the same incident while a write is in flight share the next write (group commit),
 * so a storm of repeats costs a few timeline entries instead of thousands, and every caller still
 * waits until the entry that names its alert is stored. With one delivery at a time (a Lambda),
 * every batch is that one alert.
 */
import type { Clock } from '../clock.js';
import type { Incident, NormalizedAlert } from '../model.js';
import type { IncidentStore } from '../ports.js';

/** `repeat`: the fingerprint already belonged to the incident; `grouped`: a related alert joined it. */
export type JoinKind = 'repeat' | 'grouped';

interface Waiter {
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

export class LinkedAlertRecorder {
  private readonly pending = new Map<string, Waiter[]>();
  private readonly writing = new Set<string>();

  constructor(private readonly deps: { store: IncidentStore; clock: Clock }) {}

  /** Resolves with the incident (its new tally) once the alert is on the timeline. */
  record(incidentId: string, kind: JoinKind, alert: NormalizedAlert): Promise<Incident> {
    const key = `${incidentId}|${kind}`;
    return new Promise<Incident>((resolve, reject) => {
      const queue = this.pending.get(key);
      if (queue) queue.push({ alert, resolve, reject });
      else this.pending.set(key, [{ alert, resolve, reject }]);
      // Joiners of this same tick share the first write; later ones queue for the next.
      if (!this.writing.has(key)) {
        this.writing.add(key);
        queueMicrotask(() => void this.drain(key, incidentId, kind));
      }
    });
  }

  private async drain(key: string, incidentId: string, kind: JoinKind): Promise<void> {
    try {
      for (let batch = this.take(key); batch.length; batch = this.take(key)) {
        try {
          const incident = await this.write(
            incidentId,
            kind,
            batch.map((w) => w.alert),
          );
          for (const w of batch) w.resolve(incident);
        } catch (err) {
          for (const w of batch) w.reject(err);
        }
      }
    } finally {
      this.writing.delete(key);
    }
  }

  private take(key: string): Waiter[] {
    const batch = this.pending.get(key) ?? [];
    this.pending.delete(key);
    return batch;
  }

  private async write(incidentId: string, kind: JoinKind, alerts: NormalizedAlert[]): Promise<Incident> {
    const at = this.deps.clock.now().toISOString();
    const titles = [...new Set(alerts.map((a) => a.title))];
    const named = `${titles.slice(0, 5).join(', ')}${titles.length > 5 ? `, and ${titles.length - 5} more` : ''}`;
    const text =
      kind === 'repeat'
        ? `${alerts.length === 1 ? 'repeat alert' : `${alerts.length} repeat alerts`}: ${named}`
        : `${alerts.length === 1 ? 'related alert joined' : `${alerts.length} related alerts joined`}: ${named}`;
    const [, incident] = await Promise.all([
      this.deps.store.appendEvent(incidentId, {
        at,
        type: kind === 'repeat' ? 'alert-repeat' : 'alert-grouped',
        actor: 'ingest',
        text,
        data: { alerts: alerts.map(alertRef) },
      }),
      this.deps.store.countAlerts(incidentId, alerts.length, at),
    ]);
    return incident;
  }
}
