import { LOOKBACK_MINUTES } from '../../domain/incidents/context.js';
import type { Incident } from '../../domain/model.js';
import type { Ports } from '../../domain/ports.js';

/**
 * Alarms whose latest state is ALARM on the incident's services, from the lookback before detection
 * until now: the count the monitor compares to see impact growing.
 */
export async function firingAlarms(
  ports: Pick<Ports, 'evidence' | 'clock'>,
  incident: Incident,
  services: string[],
): Promise<string[]> {
  if (!services.length) return [];
  const from = new Date(new Date(incident.detectedAt).getTime() - LOOKBACK_MINUTES * 60_000).toISOString();
  const to = ports.clock.now().toISOString();
  // Telemetry that cannot be read leaves the count unchanged rather than stopping the response.
  const events = await ports.evidence.alarms({ from, to, services }).catch(() => []);
  const latest = new Map<string, { at: string; state: string }>();
  for (const e of events) {
    const seen = latest.get(e.name);
    if (!seen || seen.at <= e.at) latest.set(e.name, { at: e.at, state: e.state });
  }
  return [...latest]
    .filter(([, v]) => v.state === 'ALARM')
    .map(([name]) => name)
    .sort();
}
