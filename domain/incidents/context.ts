import type { Incident } from '../model.js';
import type { InvestigationContext, Ports } from '../ports.js';

/** How far before detection investigators look for causes. */
export const LOOKBACK_MINUTES = 60;

/** What every analyst step sees: the incident, its alerts, the catalog and the window to search. */
export async function investigationContext(
  ports: Pick<Ports, 'store' | 'evidence' | 'clock'>,
  incident: Incident,
): Promise<InvestigationContext> {
  const [alerts, services] = await Promise.all([ports.store.alerts(incident.id), ports.evidence.services()]);
  const from = new Date(new Date(incident.detectedAt).getTime() - LOOKBACK_MINUTES * 60_000).toISOString();
  const now = ports.clock.now().toISOString();
  const [, to] = [now, incident.detectedAt].sort();
  return { incident, alerts, services, window: { from, to } };
}
