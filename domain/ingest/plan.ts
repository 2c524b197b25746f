/**
 * The decision ingestion would take, from reads alone (`firebreak ingest --dry-run`). It follows the
 * same rules as Ingestor; under concurrent deliveries the real decision can differ (someone else
 * may open the incident first), which is exactly what the conditional claims are there for.
 */
import type { NormalizedDelivery } from '../alerts/delivery.js';
import { resolveService } from '../incidents/create.js';
import { type Incident, type NormalizedAlert, OPEN_STATUSES } from '../model.js';
import type { IncidentStore, ServiceInfo } from '../ports.js';
import { stillFiring } from './ingest.js';
import { intentOf, noteReason } from './intent.js';
import type { IngestOptions } from './options.js';
import { type AlertOutcome, type IngestResult, summarize } from './outcome.js';
import { eventKey } from './router.js';

interface PlanDeps {
  /** Absent when there is no store yet (a fresh data directory): everything is new. */
  store?: IncidentStore;
  now: Date;
  options: Pick<IngestOptions, 'groupWindowMinutes'>;
  catalog?: ServiceInfo[];
}

async function openIncidentFor(deps: PlanDeps, key: string): Promise<Incident | undefined> {
  const claim = await deps.store?.dedupClaim(key);
  if (!claim || (claim.expiresAt && claim.expiresAt <= deps.now.toISOString())) return undefined;
  const incident = await deps.store?.get(claim.incidentId);
  return incident && OPEN_STATUSES.includes(incident.status) ? incident : undefined;
}

async function linkedAlready(deps: PlanDeps, incident: Incident, alert: NormalizedAlert) {
  const alerts = (await deps.store?.alerts(incident.id)) ?? [];
  return {
    linked: alerts.some((a) => a.source === alert.source && a.sourceEventId === alert.sourceEventId),
    alerts,
  };
}

export async function planIngest(deps: PlanDeps, delivery: NormalizedDelivery): Promise<IngestResult> {
  const outcomes: AlertOutcome[] = [];
  /** An incident this delivery would open: its later firing alerts would join it. */
  let opened = false;
  for (const alert of delivery.alerts) {
    const intent = intentOf(alert);
    const holder = await openIncidentFor(deps, alert.fingerprint);
    const base = { alert, incidentId: holder?.id };
    if (holder) {
      const { linked, alerts } = await linkedAlready(deps, holder, alert);
      if (linked) {
        outcomes.push({ ...base, decision: 'ignore', reason: `redelivery: already linked to ${holder.id}` });
        continue;
      }
      if (intent === 'fire') {
        outcomes.push({
          ...base,
          decision: 'join',
          reason: `${alert.fingerprint} already has open incident ${holder.id}`,
        });
      } else if (intent === 'resolve') {
        const firing = stillFiring([...alerts, alert]);
        outcomes.push(
          firing.length
            ? { ...base, decision: 'record', reason: `${holder.id} still has firing alerts` }
            : { ...base, decision: 'resolve', reason: `${alert.source} reports recovery of ${holder.id}` },
        );
      } else {
        const why = intent === 'acknowledge' ? 'acknowledged in PagerDuty' : noteReason(alert);
        outcomes.push({ ...base, decision: 'record', reason: `${why}: recorded on ${holder.id}` });
      }
      continue;
    }
    if (intent !== 'fire') {
      const why = intent === 'resolve' ? `${alert.title} recovered` : noteReason(alert);
      outcomes.push({
        alert,
        decision: 'ignore',
        reason: `${why}; no open incident for ${alert.fingerprint}`,
      });
      continue;
    }
    if (opened) {
      outcomes.push({
        alert,
        decision: 'join',
        reason: 'same delivery as an alert that opens a new incident',
      });
      continue;
    }
    const service = resolveService(alert, deps.catalog ?? []);
    const group =
      service && deps.options.groupWindowMinutes > 0
        ? await openIncidentFor(deps, `svc:${service}`)
        : undefined;
    if (group) {
      outcomes.push({
        alert,
        incidentId: group.id,
        decision: 'join',
        reason: `related alert of service ${service} within the grouping window of ${group.id}`,
      });
      continue;
    }
    const earlier = await deps.store?.dedupClaim(eventKey(alert));
    if (earlier) {
      outcomes.push({
        alert,
        incidentId: earlier.incidentId,
        decision: 'ignore',
        reason: `redelivery: this event already opened ${earlier.incidentId}`,
      });
      continue;
    }
    opened = true;
    outcomes.push({
      alert,
      decision: 'start',
      reason: `would open a new incident for ${alert.fingerprint}${service ? ` (service ${service})` : ''}`,
    });
  }
  return summarize(outcomes, delivery.notes);
}
