/**
 * Links alerts that join an open incident, in group commits: joins that arrive while earlier ones
 * are being written share the next commit, so in a storm a handful of requests carry hundreds of
 * alerts, and every caller still waits until its alert is stored. With one delivery at a time (a
 * Lambda) every commit is that one alert: one read and one write.
 *
 * A commit reads first (one consistent batch read): incidents that closed meanwhile turn their
 * joiners away to be routed afresh, and alerts already linked are redeliveries. Then it writes the
 * new linked alert items (one batch write), each saying when and how it joined: the timeline shows
 * joins from them, and the incident's alert count is counted from them, so nothing is tallied or
 * named twice — a redelivery racing its original in another process rewrites the same item.
 */
import type { Clock } from '../clock.js';
import { ConflictError } from '../errors.js';
import { type Incident, type NormalizedAlert, OPEN_STATUSES } from '../model.js';
import type { LinkedAlerts } from '../ports.js';
import type { JoinKind } from '../timeline.js';

/** The incident closed before the alert could join it: route the alert again. */
export class IncidentClosed extends ConflictError {}

/** What became of a join: the incident as the commit read it, and whether this alert is new to it. */
export interface Joined {
  incident: Incident;
  /** False for a redelivery: the alert was linked already (by another call, here or elsewhere). */
  linked: boolean;
}

interface Waiter {
  incidentId: string;
  kind: JoinKind;
  alert: NormalizedAlert;
  resolve: (joined: Joined) => void;
  reject: (err: unknown) => void;
}

/**
 * Commits in flight at once. One would serialize a storm behind each round trip; a couple keep the
 * store busy while later joiners gather into the next commit (more make each commit smaller).
 */
const MAX_COMMITS_IN_FLIGHT = 2;

const linkKey = (incidentId: string, a: NormalizedAlert) => `${incidentId}#${a.source}#${a.sourceEventId}`;

export class LinkedAlertRecorder {
  private pending: Waiter[] = [];
  private scheduled = false;
  private inFlight = 0;
  /** Links being committed: a second call for the same alert waits for the first and is a redelivery. */
  private readonly committing = new Map<string, Promise<Joined>>();

  constructor(private readonly deps: { store: LinkedAlerts; clock: Clock }) {}

  /**
   * Resolves once the alert is linked (or found linked already); rejects with IncidentClosed when
   * the incident is no longer open.
   */
  record(incidentId: string, kind: JoinKind, alert: NormalizedAlert): Promise<Joined> {
    const key = linkKey(incidentId, alert);
    const earlier = this.committing.get(key);
    if (earlier) return earlier.then((joined) => ({ ...joined, linked: false }));
    const joined = new Promise<Joined>((resolve, reject) => {
      this.pending.push({ incidentId, kind, alert, resolve, reject });
    });
    this.committing.set(key, joined);
    const forget = () => this.committing.delete(key);
    joined.then(forget, forget);
    // Joiners of this same tick share one commit.
    if (!this.scheduled) {
      this.scheduled = true;
      queueMicrotask(() => {
        this.scheduled = false;
        this.flush();
      });
    }
    return joined;
  }

  private flush(): void {
    if (!this.pending.length || this.inFlight >= MAX_COMMITS_IN_FLIGHT) return;
    const batch = this.pending;
    this.pending = [];
    this.inFlight++;
    this.commit(batch)
      .catch((err) => {
        for (const w of batch) w.reject(err);
      })
      .finally(() => {
        this.inFlight--;
        this.flush();
      });
  }

  private async commit(batch: Waiter[]): Promise<void> {
    const { incidents, linked } = await this.deps.store.joinState(batch);
    const fresh: Array<Waiter & { incident: Incident }> = [];
    batch.forEach((w, i) => {
      const incident = incidents.get(w.incidentId);
      if (!incident || !OPEN_STATUSES.includes(incident.status)) {
        w.reject(new IncidentClosed(`incident ${w.incidentId} is ${incident?.status ?? 'gone'}`));
      } else if (linked[i]) {
        w.resolve({ incident, linked: false });
      } else {
        fresh.push({ ...w, incident });
      }
    });
    if (!fresh.length) return;
    const at = this.deps.clock.now().toISOString();
    const join = (w: (typeof fresh)[number]) => ({
      incidentId: w.incidentId,
      alert: w.alert,
      kind: w.kind,
      at,
    });
    try {
      await this.deps.store.linkJoined(fresh.map(join));
    } catch (err) {
      // The store refused the request for what one item holds, not for its load: write each alone,
      // so one alert that cannot be stored fails its own delivery and not the others of the commit.
      if (fresh.length === 1 || (err as Error).name !== 'ValidationException') throw err;
      await Promise.all(
        fresh.map((w) =>
          this.deps.store.linkJoined([join(w)]).then(
            () => w.resolve({ incident: w.incident, linked: true }),
            (one: unknown) => w.reject(one),
          ),
        ),
      );
      return;
    }
    for (const w of fresh) w.resolve({ incident: w.incident, linked: true });
  }
}
