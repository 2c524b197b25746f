/**
 * When users were first affected: the earliest sustained metric onset on the incident's own
 * services before the alert fired. It is the start of "time to detect"; without telemetry it stays
 * unknown rather than pretending detection was instant.
 */
import { detectOnset } from '../analyst/offline/evidence/onset.js';
import type { Incident } from '../model.js';
import type { Evidence } from '../ports.js';

/** How far before detection an onset may lie and still belong to this incident. */
const LOOKBACK_MS = 60 * 60_000;

export async function estimateImpactStart(
  evidence: Pick<Evidence, 'metrics'>,
  incident: Incident,
): Promise<string | undefined> {
  const services = incident.service ? [incident.service] : incident.services;
  if (!services.length) return undefined;
  const detected = new Date(incident.detectedAt).getTime();
  if (Number.isNaN(detected)) return undefined;
  const window = {
    from: new Date(detected - LOOKBACK_MS).toISOString(),
    to: new Date(detected).toISOString(),
  };
  const series = await evidence.metrics({ ...window, services });
  const onsets = series
    .map((s) => detectOnset(s))
    // An onset that is over again, or that flickered, is not what the alert is about.
    .filter((o) => o && !o.recovered && o.sustainedRatio >= 0.6)
    .map((o) => new Date(o?.at as string).getTime())
    .filter((t) => t <= detected && t >= detected - LOOKBACK_MS);
  return onsets.length ? new Date(Math.min(...onsets)).toISOString() : undefined;
}
