import { recaller } from '../memory/recall.js';
import type { Incident, NormalizedAlert } from '../model.js';
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
  const [linked, services] = await Promise.all([ports.store.alerts(incident.id), ports.evidence.services()]);
  const alerts = inLinkOrder(incident, linked);
  const from = new Date(new Date(incident.detectedAt).getTime() - LOOKBACK_MINUTES * 60_000).toISOString();
  const now = ports.clock.now().toISOString();
  const [, to] = [now, incident.detectedAt].sort();
  const recall = recaller(ports, incident);
  return { incident, alerts, services, window: { from, to }, ...(recall ? { recall } : {}) };
}

/**
 * The incident's linked alerts with its own first: the alerts of the fingerprint that opened it,
 * then those that joined, each in the order they started. The store keeps them by source and event
 * id, so an Alertmanager alert joining a CloudWatch incident would otherwise come first and be
 * taken for the incident's own alarm (its word counted twice, its alarm watched instead).
 */
export function inLinkOrder(
  incident: Pick<Incident, 'fingerprint'>,
  alerts: NormalizedAlert[],
): NormalizedAlert[] {
  const joined = (a: NormalizedAlert) => (a.fingerprint === incident.fingerprint ? 0 : 1);
  return [...alerts].sort(
    (a, b) => joined(a) - joined(b) || Date.parse(a.startedAt) - Date.parse(b.startedAt),
  );
}
