import type { Clock } from '../clock.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { Router } from '../ingest/router.js';
import type { Incident, NormalizedAlert } from '../model.js';
import type { IncidentStore, ServiceInfo } from '../ports.js';
import { record } from '../timeline.js';
import { createIncident, newIncidentId, resolveService } from './create.js';

export { createIncident, newIncidentId, resolveService } from './create.js';

export type OpenResult =
  | { decision: 'start'; incident: Incident }
  | { decision: 'join'; incident: Incident; linked: boolean };

/**
 * Opens an incident for firing alerts, or joins the open one holding the fingerprint.
 * With `dedup: false` (an explicit human start or a scenario replay) it always opens a new one.
 * Alert ingestion (lambdas/core/ingest) decides with more care — grouping by service, resolutions,
 * redeliveries, starting the execution — on the same claims; this is the plain primitive.
 */
export async function openIncident(
  deps: { store: IncidentStore; clock: Clock },
  alerts: NormalizedAlert[],
  opts: { catalog?: ServiceInfo[]; dedup?: boolean; claimHours?: number } = {},
): Promise<OpenResult> {
  const primary = alerts.find((a) => a.status === 'firing');
  if (!primary) throw new ValidationError('no firing alert to open an incident for');
  const service = resolveService(primary, opts.catalog ?? []);
  if (opts.dedup === false) {
    const incident = await createIncident(deps, newIncidentId(primary.startedAt), alerts, service);
    return { decision: 'start', incident };
  }
  const router = new Router(deps, {
    groupWindowMinutes: 0,
    claimHours: opts.claimHours ?? 24,
    claimLeaseSeconds: 60,
    routeCacheMs: 0,
    replayKeepHours: 7 * 24,
  });
  const route = await router.route(primary, service);
  const rest = alerts.filter((a) => a !== primary);
  if (route.created) {
    for (const alert of rest) await deps.store.linkAlert(route.incident.id, alert);
    return { decision: 'start', incident: route.incident };
  }
  const linked = await deps.store.linkAlert(route.incident.id, primary);
  if (linked) {
    await record(deps, route.incident.id, 'alert-repeat', `repeat alert: ${primary.title}`, {
      source: primary.source,
      sourceEventId: primary.sourceEventId,
    });
  }
  return { decision: 'join', incident: route.incident, linked };
}

export async function loadIncident(store: IncidentStore, id: string): Promise<Incident> {
  const incident = await store.get(id);
  if (!incident) throw new NotFoundError(`incident ${id} not found`);
  return incident;
}
