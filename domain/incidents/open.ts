import type { Clock } from '../clock.js';
import { NotFoundError, ValidationError } from '../errors.js';
import type { Incident, NormalizedAlert } from '../model.js';
import type { IncidentRecords, IncidentStore, ServiceInfo } from '../ports.js';
import { createIncident, newIncidentId, resolveService } from './create.js';

/**
 * Opens a new incident for firing alerts, as a person asked (a console or `firebreak start`) or a
 * scenario replays. It never joins an open one: deduplication, grouping and redeliveries are alert
 * ingestion's business (domain/ingest), on the same claims.
 */
export async function openIncident(
  deps: { store: IncidentStore; clock: Clock },
  alerts: NormalizedAlert[],
  opts: { catalog?: ServiceInfo[] } = {},
): Promise<Incident> {
  const primary = alerts.find((a) => a.status === 'firing');
  if (!primary) throw new ValidationError('no firing alert to open an incident for');
  const service = resolveService(primary, opts.catalog ?? []);
  return createIncident(deps, newIncidentId(primary.startedAt), alerts, service);
}

export async function loadIncident(store: IncidentRecords, id: string): Promise<Incident> {
  const incident = await store.get(id);
  if (!incident) throw new NotFoundError(`incident ${id} not found`);
  return incident;
}
