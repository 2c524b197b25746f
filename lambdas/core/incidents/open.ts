import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';
import { NotFoundError, ValidationError } from '../errors.js';
import type { Incident, NormalizedAlert } from '../model.js';
import type { IncidentStore, ServiceInfo } from '../ports.js';
import { record } from '../timeline.js';

/** `inc-20261120-1004-7f3a`: sortable by detection time, short enough to say on a call. */
export function newIncidentId(detectedAt: string): string {
  const d = new Date(detectedAt);
  const stamp = d.toISOString().replace(/[-:]/g, '').slice(0, 13).replace('T', '-');
  return `inc-${stamp}-${randomBytes(2).toString('hex')}`;
}

/** The alert's service, or the catalog service that owns the alarm. */
export function resolveService(alert: NormalizedAlert, catalog: ServiceInfo[]): string | undefined {
  if (alert.service) return alert.service;
  const names = [alert.title, alert.labels.alarmName, ...alert.resources].filter(Boolean);
  return catalog.find((s) => s.alarms?.some((a) => names.some((n) => n === a || n.endsWith(`:${a}`))))?.name;
}

export type OpenResult =
  | { decision: 'start'; incident: Incident }
  | { decision: 'join'; incident: Incident; linked: boolean };

/**
 * Opens an incident for firing alerts, or joins the open one holding the fingerprint.
 * With `dedup: false` (an explicit human start or a scenario replay) it always opens a new one.
 * Writes in an order that never leaves a half-made incident visible: the dedup claim first
 * (so a racing delivery joins), then the record, then its alerts and first timeline entry.
 */
export async function openIncident(
  deps: { store: IncidentStore; clock: Clock },
  alerts: NormalizedAlert[],
  opts: { catalog?: ServiceInfo[]; dedup?: boolean; claimHours?: number } = {},
): Promise<OpenResult> {
  const primary = alerts.find((a) => a.status === 'firing');
  if (!primary) throw new ValidationError('no firing alert to open an incident for');
  const now = deps.clock.now();
  const detectedAt = primary.startedAt;
  const id = newIncidentId(detectedAt);
  if (opts.dedup !== false) {
    const expires = new Date(now.getTime() + (opts.claimHours ?? 24) * 3_600_000);
    const claim = await deps.store.claimFingerprint(primary.fingerprint, id, expires);
    if (!claim.claimed) {
      const existing = await deps.store.get(claim.incidentId);
      if (existing) {
        const linked = await deps.store.linkAlert(existing.id, primary);
        if (linked) {
          await record(deps, existing.id, 'alert-repeat', `repeat alert: ${primary.title}`, {
            raw: primary.raw,
          });
          await deps.store.update(existing.id, {
            alertCount: existing.alertCount + 1,
            updatedAt: now.toISOString(),
          });
        }
        return { decision: 'join', incident: existing, linked };
      }
      // The claim points at an incident that was never written (its writer died): take it over.
      await deps.store.releaseFingerprint(primary.fingerprint, claim.incidentId);
      return openIncident(deps, alerts, opts);
    }
  }
  const service = resolveService(primary, opts.catalog ?? []);
  const incident: Incident = {
    id,
    status: 'TRIAGE',
    title: primary.title,
    service,
    services: service ? [service] : [],
    fingerprint: primary.fingerprint,
    source: primary.source,
    detectedAt,
    updatedAt: now.toISOString(),
    escalationTier: 0,
    alertCount: alerts.length,
  };
  await deps.store.create(incident);
  for (const alert of alerts) await deps.store.linkAlert(id, alert);
  await record(deps, id, 'detected', `${primary.source} alert: ${primary.title}`, {
    fingerprint: primary.fingerprint,
    startedAt: detectedAt,
  });
  return { decision: 'start', incident };
}

export async function loadIncident(store: IncidentStore, id: string): Promise<Incident> {
  const incident = await store.get(id);
  if (!incident) throw new NotFoundError(`incident ${id} not found`);
  return incident;
}
