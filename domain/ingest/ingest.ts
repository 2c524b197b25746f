/**
 * The ingestion decision, one alert at a time: start | join | resolve | record | ignore.
 *
 * - firing → join the open incident of its fingerprint (or of its service's window, or of its
 *   delivery), else open one and start its execution (named after the incident: idempotent);
 * - resolved → resolve the open incident once none of its fingerprints still fire; while its
 *   execution runs, the recovery checks in the flow own the all-clear, so it is recorded instead;
 * - acknowledged (PagerDuty) → record it and set acknowledgedAt;
 * - anything else (INSUFFICIENT_DATA, suppressed or muted alarms, other PagerDuty events) → recorded
 *   on the open incident's timeline, never paged; ignored when no incident is open.
 *
 * Every alert that touches an incident is linked first (keyed by source + event id, checked before it
 * is written), so a redelivery is a no-op whatever it would have done, and no alert is counted twice.
 *
 * Over 300 lines on purpose: the five decisions share one claim-and-link protocol whose order is
 * what keeps a storm from opening two incidents; it is kept readable as one sequence.
 */
import type { NormalizedDelivery } from '../alerts/delivery.js';
import type { Clock } from '../clock.js';
import { ConflictError } from '../errors.js';
import { closeAfterSourceRecovery, recoveryTime } from '../incidents/close.js';
import { resolveService } from '../incidents/create.js';
import { type Incident, type NormalizedAlert, OPEN_STATUSES } from '../model.js';
import type { Artifacts, IncidentStore, Notifier, ServiceInfo } from '../ports.js';
import { alertRef, record } from '../timeline.js';
import type { Engine } from './engine.js';
import { intentOf, noteReason } from './intent.js';
import { IncidentClosed, type Joined, LinkedAlertRecorder } from './linked-alerts.js';
import type { IngestOptions } from './options.js';
import { type AlertOutcome, type IngestResult, summarize } from './outcome.js';
import { Router } from './router.js';

export interface IngestDeps {
  store: IncidentStore;
  clock: Clock;
  engine: Engine;
  options: IngestOptions;
  /** The service catalog, when there is one (scenarios locally): maps alarms to their service. */
  catalog?: ServiceInfo[];
  /**
   * Where the all-clear goes when the source resolves an incident no execution is watching (after
   * hand-off); with it, a written postmortem is rewritten too. Without it, only the record changes.
   */
  notifier?: Notifier;
  artifacts?: Artifacts;
}

/** Alert identities already linked in this process: a redelivery is answered without a store call. */
class RecentlyLinked {
  private readonly seen = new Map<string, string>();
  constructor(private readonly max = 20_000) {}
  get(key: string): string | undefined {
    return this.seen.get(key);
  }
  add(key: string, incidentId: string): void {
    this.seen.set(key, incidentId);
    if (this.seen.size > this.max) this.seen.delete(this.seen.keys().next().value as string);
  }
}

const identity = (a: NormalizedAlert) => `${a.source}#${a.sourceEventId}`;

/** A later copy of an event in the same delivery: answered by its first copy's outcome, no store work. */
const copyOf = (alert: NormalizedAlert, first: AlertOutcome): AlertOutcome => ({
  decision: 'ignore',
  reason: `repeated in this delivery: ${alert.source} event ${alert.sourceEventId} was taken once (${first.decision})`,
  alert,
  ...(first.incidentId ? { incidentId: first.incidentId } : {}),
});

/** An outcome plus, for a firing alert, the open incident it went to (later alerts of the delivery follow it). */
type Routed = AlertOutcome & { routed?: Incident };

/** The fingerprints of an incident whose latest alert still fires. */
export function stillFiring(alerts: NormalizedAlert[]): string[] {
  const latest = new Map<string, NormalizedAlert>();
  for (const a of alerts) {
    if (a.status === 'info') continue;
    const seen = latest.get(a.fingerprint);
    // Later transitions win; at the same moment a resolution ends the episode it shares a start with.
    if (!seen || a.startedAt > seen.startedAt || (a.startedAt === seen.startedAt && a.status === 'resolved'))
      latest.set(a.fingerprint, a);
  }
  return [...latest.values()].filter((a) => a.status === 'firing').map((a) => a.fingerprint);
}

export class Ingestor {
  readonly router: Router;
  private readonly recorder: LinkedAlertRecorder;
  private readonly linked = new RecentlyLinked();

  constructor(private readonly deps: IngestDeps) {
    this.router = new Router(deps, deps.options);
    this.recorder = new LinkedAlertRecorder(deps);
  }

  async ingest(delivery: NormalizedDelivery): Promise<IngestResult> {
    // Copies of one event in one delivery (a sender that repeats its alerts array) are collapsed
    // before any store work: the store would call each later copy a redelivery anyway, but only
    // after a few round trips apiece — a 500-copy group took seconds under load and held its sender.
    const firstCopy = new Map<string, AlertOutcome>();
    const outcomes: AlertOutcome[] = [];
    let deliveryIncident: Incident | undefined;
    for (const alert of delivery.alerts) {
      const first = firstCopy.get(identity(alert));
      if (first) {
        outcomes.push(copyOf(alert, first));
        continue;
      }
      const { routed, ...outcome } = await this.one(alert, deliveryIncident);
      firstCopy.set(identity(alert), outcome);
      outcomes.push(outcome);
      deliveryIncident ??= routed;
    }
    return summarize(outcomes, delivery.notes);
  }

  private one(alert: NormalizedAlert, deliveryIncident: Incident | undefined): Promise<Routed> {
    switch (intentOf(alert)) {
      case 'fire':
        return this.fire(alert, deliveryIncident);
      case 'resolve':
        return this.resolve(alert);
      case 'acknowledge':
        return this.acknowledge(alert);
      case 'note':
        return this.note(alert);
    }
  }

  private redelivery(alert: NormalizedAlert, incidentId: string): AlertOutcome {
    this.linked.add(identity(alert), incidentId);
    return {
      decision: 'ignore',
      reason: `redelivery of ${alert.source} event ${alert.sourceEventId}: already linked to ${incidentId}`,
      alert,
      incidentId,
    };
  }

  private async fire(
    alert: NormalizedAlert,
    deliveryIncident: Incident | undefined,
    rerouted = false,
  ): Promise<Routed> {
    const known = this.linked.get(identity(alert));
    if (known) return this.redelivery(alert, known);
    const service = resolveService(alert, this.deps.catalog ?? []);
    const route = await this.router.route(alert, service, deliveryIncident);
    const { incident } = route;
    if (route.created) {
      const executionArn = await this.startExecution(incident);
      // Only now: a retry after a failed start must reach the restart below, not this shortcut.
      this.linked.add(identity(alert), incident.id);
      return {
        decision: 'start',
        reason: `opened ${incident.id} for ${alert.fingerprint}${service ? ` (service ${service})` : ''}`,
        alert,
        incidentId: incident.id,
        executionArn,
        routed: incident,
      };
    }
    if (route.via === 'replay') {
      // The very event that opened the incident, delivered again: maybe the start it asked for failed.
      if (OPEN_STATUSES.includes(incident.status) && !incident.executionArn)
        await this.startExecution(incident);
      return { ...this.redelivery(alert, incident.id), routed: incident };
    }
    const kind = route.via === 'group' || route.via === 'delivery' ? 'grouped' : 'repeat';
    let joined: Joined;
    try {
      joined = await this.recorder.record(incident.id, kind, alert);
    } catch (err) {
      // Routed from a cached copy to an incident another process has just closed: route afresh.
      if (!(err instanceof IncidentClosed) || rerouted) throw err;
      this.router.forget(incident.id);
      return this.fire(alert, undefined, true);
    }
    const updated = joined.incident;
    if (!joined.linked) {
      // The source retried, perhaps because starting the execution failed: make sure it exists.
      if (!updated.executionArn) await this.startExecution(updated);
      return { ...this.redelivery(alert, incident.id), routed: updated };
    }
    this.linked.add(identity(alert), incident.id);
    this.router.remember(alert.fingerprint, updated);
    // Past the lease, an incident with no execution is one whose opener failed to start it (and was
    // not retried): this alert starts it, so no alert joins a response that never runs. Within the
    // lease the opener is still at it; the start is idempotent either way.
    const executionArn =
      updated.executionArn ?? (this.abandoned(updated) ? await this.startExecution(updated) : undefined);
    const why =
      kind === 'repeat'
        ? `${alert.fingerprint} already has open incident ${incident.id}`
        : route.via === 'group'
          ? `related alert of service ${service} within the ${this.deps.options.groupWindowMinutes}-minute window of ${incident.id}`
          : `same delivery as the alert that went to ${incident.id}`;
    return {
      decision: 'join',
      reason: why,
      alert,
      incidentId: incident.id,
      executionArn,
      routed: updated,
    };
  }

  private abandoned(incident: Incident): boolean {
    const age = this.deps.clock.now().getTime() - Date.parse(incident.updatedAt);
    return age > this.deps.options.claimLeaseSeconds * 1000;
  }

  private async startExecution(incident: Incident): Promise<string> {
    const { executionArn } = await this.deps.engine.start(incident.id);
    if (incident.executionArn !== executionArn) {
      const updated = await this.deps.store.update(incident.id, { executionArn });
      this.router.remember(incident.fingerprint, updated);
    }
    return executionArn;
  }

  /** The open incident for an alert that is not firing, linked; undefined (with the outcome) otherwise. */
  private async attach(
    alert: NormalizedAlert,
    why: string,
  ): Promise<{ incident: Incident } | { outcome: AlertOutcome }> {
    const incident = await this.router.holder(alert.fingerprint);
    if (!incident) {
      return {
        outcome: { decision: 'ignore', reason: `${why}; no open incident for ${alert.fingerprint}`, alert },
      };
    }
    if (!(await this.deps.store.linkAlert(incident.id, alert))) {
      return { outcome: this.redelivery(alert, incident.id) };
    }
    this.linked.add(identity(alert), incident.id);
    return { incident };
  }

  private async resolve(alert: NormalizedAlert): Promise<AlertOutcome> {
    const found = await this.attach(alert, `${alert.title} recovered`);
    if ('outcome' in found) return found.outcome;
    const { incident } = found;
    const data = { alert: alertRef(alert) };
    const firing = stillFiring(await this.deps.store.alerts(incident.id));
    if (firing.length) {
      await record(
        this.deps,
        incident.id,
        'alert-resolved',
        `${alert.title} recovered; still firing: ${firing.join(', ')}`,
        data,
        'ingest',
      );
      return {
        decision: 'record',
        reason: `${alert.fingerprint} recovered but ${incident.id} still has firing alerts`,
        alert,
        incidentId: incident.id,
      };
    }
    if (await this.deps.engine.running(incident.id)) {
      await record(
        this.deps,
        incident.id,
        'alert-resolved',
        `${alert.source} reports ${alert.title} recovered; the running response confirms it with its recovery checks`,
        data,
        'ingest',
      );
      return {
        decision: 'resolve',
        reason: `${alert.source} reports recovery of ${incident.id}; its running execution confirms and resolves it`,
        alert,
        incidentId: incident.id,
      };
    }
    // The source's own recovery time, so the record stays on the incident's clock (a simulated
    // run's, or the source's) rather than this process's wall clock.
    const now = recoveryTime(
      alert,
      (await this.deps.store.timeline(incident.id)).at(-1)?.at,
      this.deps.clock.now(),
    );
    let resolved: Incident;
    try {
      resolved = await this.deps.store.update(
        incident.id,
        { status: 'RESOLVED', resolvedAt: now, updatedAt: now },
        { expectStatus: [...OPEN_STATUSES] },
      );
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      return {
        decision: 'ignore',
        reason: `${incident.id} was closed meanwhile`,
        alert,
        incidentId: incident.id,
      };
    }
    const fingerprints = new Set([
      incident.fingerprint,
      ...(await this.deps.store.alerts(incident.id)).map((a) => a.fingerprint),
    ]);
    for (const fp of fingerprints) await this.deps.store.releaseFingerprint(fp, incident.id);
    this.router.forget(incident.id);
    const stamped = { ...this.deps, clock: { now: () => new Date(now) } };
    await record(
      stamped,
      incident.id,
      'resolved',
      `resolved by ${alert.source}: ${alert.title} recovered`,
      data,
      'ingest',
    );
    if (this.deps.notifier)
      await closeAfterSourceRecovery(
        { ...stamped, notifier: this.deps.notifier, artifacts: this.deps.artifacts },
        resolved,
      );
    return {
      decision: 'resolve',
      reason: `${alert.source} reports recovery: ${incident.id} resolved`,
      alert,
      incidentId: incident.id,
    };
  }

  private async acknowledge(alert: NormalizedAlert): Promise<AlertOutcome> {
    const found = await this.attach(alert, 'acknowledged in PagerDuty');
    if ('outcome' in found) return found.outcome;
    const { incident } = found;
    if (!incident.acknowledgedAt) {
      await this.deps.store.update(incident.id, {
        acknowledgedAt: alert.startedAt,
        updatedAt: this.deps.clock.now().toISOString(),
      });
    }
    const by = alert.labels.agent ? ` by ${alert.labels.agent}` : '';
    await record(
      this.deps,
      incident.id,
      'acknowledged',
      `acknowledged in PagerDuty${by}`,
      { alert: alertRef(alert) },
      'ingest',
    );
    return {
      decision: 'record',
      reason: `acknowledged${by}: ${incident.id}`,
      alert,
      incidentId: incident.id,
    };
  }

  private async note(alert: NormalizedAlert): Promise<AlertOutcome> {
    const why = noteReason(alert);
    const found = await this.attach(alert, why);
    if ('outcome' in found) return found.outcome;
    const { incident } = found;
    await record(
      this.deps,
      incident.id,
      'alert-note',
      `${why}: ${alert.title}`,
      { alert: alertRef(alert) },
      'ingest',
    );
    return {
      decision: 'record',
      reason: `${why}: recorded on ${incident.id}`,
      alert,
      incidentId: incident.id,
    };
  }
}
