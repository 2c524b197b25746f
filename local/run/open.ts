/**
 * Which incident a local run drives. Given one (`ingest`, `serve` opened it), that one. Given
 * alerts (`firebreak run` of a scenario or a payload), they go through the same routing as alert
 * ingestion (domain/ingest): a firing alert whose incident is still open — by fingerprint, or by
 * service within the grouping window — joins it instead of opening a second one next to it.
 */

import { loadIncident } from '../../domain/incidents/open.js';
import { RecordingEngine } from '../../domain/ingest/engine.js';
import { Ingestor } from '../../domain/ingest/ingest.js';
import { parseIngestOptions } from '../../domain/ingest/options.js';
import type { Incident, NormalizedAlert } from '../../domain/model.js';
import type { Ports } from '../../domain/ports.js';

export type Opened = { incident: Incident; joined?: undefined } | { incident: Incident; joined: string };

export async function openOrJoin(
  ports: Ports,
  target: { incidentId?: string; alerts: NormalizedAlert[] },
): Promise<Opened> {
  if (target.incidentId) return { incident: await loadIncident(ports.store, target.incidentId) };
  const firing = target.alerts.find((a) => a.status === 'firing');
  // The execution is this run: ingestion only records that it was asked to start it.
  const engine = new RecordingEngine();
  const result = await new Ingestor({
    store: ports.store,
    clock: ports.clock,
    engine,
    options: parseIngestOptions({}),
    catalog: await ports.evidence.services(),
  }).ingest({ source: firing?.source ?? target.alerts[0].source, alerts: target.alerts, notes: [] });
  if (!result.incidentId) throw new Error(`the alert opened no incident: ${result.reason}`);
  const incident = await loadIncident(ports.store, result.incidentId);
  return engine.starts.includes(incident.id) ? { incident } : { incident, joined: result.reason };
}
