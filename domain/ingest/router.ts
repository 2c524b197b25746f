/**
 * Routes a firing alert to the one open incident it belongs to, opening one when there is none.
 * Correctness rests on two single-item conditional writes (dynalite has no transactions):
 *
 * 1. `DEDUP#<fingerprint>` — at most one open incident per fingerprint (`claimFingerprint`).
 * 2. `DEDUP#svc:<service>` — the service's grouping window: while it is open, a new fingerprint of
 *    that service joins the incident holding the window instead of opening another.
 *
 * A claim is made before its incident is written, so a racing delivery may find a claim whose
 * incident is not there yet: it waits briefly, and takes the claim over only when the claim is older
 * than the lease (its writer died). Within one process, concurrent routings of one fingerprint share
 * a single lookup, and a routing is reused for `routeCacheMs` — the storm path costs no reads.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Clock } from '../clock.js';
import { TransientError } from '../errors.js';
import { createIncident, newIncidentId } from '../incidents/create.js';
import { type Incident, type NormalizedAlert, OPEN_STATUSES } from '../model.js';
import type { DedupClaim, IncidentStore } from '../ports.js';
import type { IngestOptions } from './options.js';

export interface Route {
  incident: Incident;
  /** True only for the call whose alert opened the incident. */
  created: boolean;
  /**
   * How the alert found its incident: its own fingerprint, its service's window, its delivery, a new
   * one — or `replay`: the alert is the very event that opened an earlier (possibly closed) incident.
   */
  via: 'fingerprint' | 'group' | 'delivery' | 'new' | 'replay';
}

const ATTEMPTS = 4;
/** The dedup slot remembering which incident an event opened: `DEDUP#event:<source>#<event id>`. */
export const eventKey = (a: NormalizedAlert) => `event:${a.source}#${a.sourceEventId}`;
const isOpen = (incident: Incident | undefined): incident is Incident =>
  !!incident && OPEN_STATUSES.includes(incident.status);

export class Router {
  private readonly cache = new Map<string, { incident: Incident; until: number }>();
  private readonly flights = new Map<string, Promise<Route>>();

  constructor(
    private readonly deps: { store: IncidentStore; clock: Clock },
    private readonly opts: Pick<
      IngestOptions,
      'groupWindowMinutes' | 'claimHours' | 'claimLeaseSeconds' | 'routeCacheMs' | 'replayKeepHours'
    >,
  ) {}

  /**
   * The open incident for this firing alert. `attachTo` is the incident an earlier alert of the
   * same delivery went to: a fingerprint nobody holds joins it (one Alertmanager group, one problem).
   */
  async route(alert: NormalizedAlert, service: string | undefined, attachTo?: Incident): Promise<Route> {
    const key = alert.fingerprint;
    const hit = this.cache.get(key);
    if (hit && hit.until > Date.now()) return { incident: hit.incident, created: false, via: 'fingerprint' };
    const flight = this.flights.get(key);
    if (flight) return { ...(await flight), created: false };
    const routing = this.routeUncached(alert, service, attachTo);
    this.flights.set(key, routing);
    try {
      const route = await routing;
      // A replay points at the closed incident its event opened: nothing to reuse for others.
      if (isOpen(route.incident)) this.remember(key, route.incident);
      return route;
    } finally {
      this.flights.delete(key);
    }
  }

  /** Keeps a fresher copy of an incident for the fingerprints routed to it. */
  remember(fingerprint: string, incident: Incident): void {
    if (this.opts.routeCacheMs > 0) {
      this.cache.set(fingerprint, { incident, until: Date.now() + this.opts.routeCacheMs });
    }
  }

  /** Forgets routings to an incident that has just closed, so the next alert is routed afresh. */
  forget(incidentId: string): void {
    for (const [key, entry] of this.cache) if (entry.incident.id === incidentId) this.cache.delete(key);
  }

  /** The open incident holding a fingerprint; claims on closed or abandoned incidents are cleared. */
  async holder(fingerprint: string): Promise<Incident | undefined> {
    const claim = await this.deps.store.dedupClaim(fingerprint);
    if (!claim) return undefined;
    const incident = await this.awaitIncident(claim);
    if (isOpen(incident)) return incident;
    await this.deps.store.releaseFingerprint(fingerprint, claim.incidentId);
    return undefined;
  }

  private async routeUncached(
    alert: NormalizedAlert,
    service: string | undefined,
    attachTo: Incident | undefined,
  ): Promise<Route> {
    const { store } = this.deps;
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const held = await this.holder(alert.fingerprint);
      if (held) return { incident: held, created: false, via: 'fingerprint' };
      if (isOpen(attachTo)) {
        const claim = await store.claimFingerprint(alert.fingerprint, attachTo.id, this.claimExpiry());
        if (claim.claimed) return { incident: attachTo, created: false, via: 'delivery' };
        continue;
      }
      const id = newIncidentId(alert.startedAt);
      const grouping = !!service && this.opts.groupWindowMinutes > 0;
      if (grouping) {
        const window = await store.claimServiceWindow(service, id, this.window());
        if (!window.claimed) {
          const group = window.incidentId ? await this.awaitIncident(window) : undefined;
          if (isOpen(group)) {
            const claim = await store.claimFingerprint(alert.fingerprint, group.id, this.claimExpiry());
            if (!claim.claimed) continue; // another delivery claimed this fingerprint: join its holder
            await store.claimServiceWindow(service, group.id, this.window()); // the window slides on
            return { incident: group, created: false, via: 'group' };
          }
          if (window.incidentId) await store.releaseServiceWindow(service, window.incidentId);
          continue;
        }
      }
      const claim = await store.claimFingerprint(alert.fingerprint, id, this.claimExpiry());
      if (!claim.claimed) {
        if (grouping) await store.releaseServiceWindow(service, id);
        continue;
      }
      // The event that opens an incident is remembered for days, so its redelivery after that
      // incident closed cannot open another.
      const first = await store.claimFingerprint(eventKey(alert), id, this.eventExpiry());
      if (!first.claimed) {
        await store.releaseFingerprint(alert.fingerprint, id);
        if (grouping) await store.releaseServiceWindow(service, id);
        const earlier = await store.get(first.incidentId);
        if (earlier) return { incident: earlier, created: false, via: 'replay' };
        await store.releaseFingerprint(eventKey(alert), first.incidentId); // its incident never appeared
        continue;
      }
      let incident: Incident;
      try {
        incident = await createIncident(this.deps, id, [alert], service);
      } catch (err) {
        // The incident record was never written: let go of the claims made for it, so the retry (or
        // the next alert) opens one instead of waiting out the lease. Once written, it stays, and the
        // next alert routed to it starts its execution.
        if (!(await store.get(id).catch(() => 'unknown'))) {
          await Promise.allSettled([
            store.releaseFingerprint(alert.fingerprint, id),
            store.releaseFingerprint(eventKey(alert), id),
            ...(grouping ? [store.releaseServiceWindow(service, id)] : []),
          ]);
        }
        throw err;
      }
      return { incident, created: true, via: 'new' };
    }
    throw new TransientError(
      `could not route ${alert.fingerprint}: claims kept changing; retry the delivery`,
    );
  }

  /**
   * The incident a claim points at. A claim younger than the lease whose incident is not there yet
   * is being opened right now: wait for it. Older, it was abandoned (undefined).
   */
  private async awaitIncident(claim: DedupClaim): Promise<Incident | undefined> {
    for (let wait = 10; ; wait *= 2) {
      const incident = await this.deps.store.get(claim.incidentId);
      if (incident) return incident;
      const age = Date.now() - Date.parse(claim.claimedAt ?? '');
      if (!(age < this.opts.claimLeaseSeconds * 1000)) return undefined;
      if (wait > 1280) throw new TransientError(`incident ${claim.incidentId} is still being opened; retry`);
      await sleep(wait);
    }
  }

  private eventExpiry(): Date {
    return new Date(this.deps.clock.now().getTime() + this.opts.replayKeepHours * 3_600_000);
  }

  private claimExpiry(): Date {
    return new Date(this.deps.clock.now().getTime() + this.opts.claimHours * 3_600_000);
  }

  private window(): { now: Date; until: Date } {
    const now = this.deps.clock.now();
    return { now, until: new Date(now.getTime() + this.opts.groupWindowMinutes * 60_000) };
  }
}
