import { recaller } from '../memory/recall.js';
import type { Incident } from '../model.js';
import type { InvestigationContext, Ports } from '../ports.js';

/** How far before detection investigators look for causes. */
export const LOOKBACK_MINUTES = 60;

/**
 * What every analyst step sees: the incident, its alerts, the catalog, the window to search and,
 * when memory is wired, a lazy lookup of similar past incidents (read only if an analyst asks).
 */
export async function investigationContext(
  ports: Pick<Ports, 'store' | 'evidence' | 'clock'> & Partial<Pick<Ports, 'memory' | 'config'>>,
  incident: Incident,
): Promise<InvestigationContext> {
  const [alerts, services] = await Promise.all([ports.store.alerts(incident.id), ports.evidence.services()]);
  const from = new Date(new Date(incident.detectedAt).getTime() - LOOKBACK_MINUTES * 60_000).toISOString();
  const now = ports.clock.now().toISOString();
  const [, to] = [now, incident.detectedAt].sort();
  const recall = recaller(ports, incident);
  return { incident, alerts, services, window: { from, to }, ...(recall ? { recall } : {}) };
}
