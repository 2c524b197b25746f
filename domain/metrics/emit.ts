import type { Incident } from '../model.js';
import type { Ports } from '../ports.js';
import { record } from '../timeline.js';
import { incidentFigures } from './emf.js';

/**
 * Records an incident's response figures once, when its automated response ends (resolved,
 * ticketed or handed off): on the timeline always, and to the metrics sink (CloudWatch EMF in AWS)
 * when there is one. A retried phase finds the timeline entry and does not count the incident twice.
 */
export async function emitResponseMetrics(
  ports: Pick<Ports, 'store' | 'clock' | 'metrics'>,
  incident: Incident,
): Promise<Record<string, number> | undefined> {
  const timeline = await ports.store.timeline(incident.id);
  if (timeline.some((e) => e.type === 'response-metrics')) return undefined;
  const figures = incidentFigures(incident);
  const now = ports.clock.now();
  await ports.metrics?.record(
    figures,
    {
      Severity: incident.severity ?? 'unclassified',
      Service: incident.service ?? 'unknown',
      incidentId: incident.id,
    },
    now,
  );
  await record(
    ports,
    incident.id,
    'response-metrics',
    Object.entries(figures)
      .map(([k, v]) => `${k}=${v}`)
      .join(' '),
    figures,
  );
  return figures;
}
