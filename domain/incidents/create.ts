/** Writing a new incident: its id, its service, and the records that make it visible. */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Incident, NormalizedAlert } from '../model.js';
import type { IncidentStore, ServiceInfo } from '../ports.js';
import { record } from '../timeline.js';

/** `inc-20261120-1004-7f3a`: sortable by detection time, short enough to say on a call. */
export function newIncidentId(detectedAt: string): string {
  const d = new Date(detectedAt);
  const stamp = (Number.isNaN(d.getTime()) ? new Date() : d)
    .toISOString()
    .replace(/[-:]/g, '')
    .slice(0, 13)
    .replace('T', '-');
  return `inc-${stamp}-${randomBytes(2).toString('hex')}`;
}

/** The alert's service, or the catalog service that owns the alarm. */
export function resolveService(alert: NormalizedAlert, catalog: ServiceInfo[]): string | undefined {
  if (alert.service) return alert.service;
  const names = [alert.title, alert.labels.alarmName, ...alert.resources].filter(Boolean);
  return catalog.find((s) => s.alarms?.some((a) => names.some((n) => n === a || n.endsWith(`:${a}`))))?.name;
}

/**
 * Writes a new incident for its first alerts. The caller holds whatever dedup claims apply; the
 * order (record, then alerts, then the first timeline entry) never leaves a half-made incident
 * that another delivery could join without finding.
 */
export async function createIncident(
  deps: { store: IncidentStore; clock: Clock },
  id: string,
  alerts: NormalizedAlert[],
  service: string | undefined,
): Promise<Incident> {
  const primary = alerts.find((a) => a.status === 'firing') ?? alerts[0];
  const now = deps.clock.now().toISOString();
  const incident: Incident = {
    id,
    status: 'TRIAGE',
    title: primary.title,
    service,
    services: service ? [service] : [],
    fingerprint: primary.fingerprint,
    source: primary.source,
    detectedAt: primary.startedAt,
    updatedAt: now,
    escalationTier: 0,
  };
  await deps.store.create(incident);
  for (const alert of alerts) await deps.store.linkAlert(id, alert);
  await record(deps, id, 'detected', `${primary.source} alert: ${primary.title}`, {
    fingerprint: primary.fingerprint,
    startedAt: primary.startedAt,
  });
  return incident;
}
