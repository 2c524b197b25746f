/**
 * One Availability Zone impaired: the same measure, kept per zone, went bad in exactly one zone
 * while the others held. Whatever broke is in that zone (its NAT gateway, its network path, its
 * hosts), and the way out is the one responders take first — move traffic away from the zone
 * (a zonal shift) — rather than waiting on a cause outside our control.
 */
import type { Analysis } from '../analysis.js';
import type { SeriesView } from '../evidence/series.js';
import { isAnomalous } from '../evidence/series.js';
import { lower } from '../measure.js';
import { action, type Candidate } from './candidate.js';

const ZONE_DIMENSION = /^(?:availability.?zone|az|zone)$/i;

const zoneOf = (v: SeriesView): string | undefined =>
  Object.entries(v.series.dimensions).find(([k]) => ZONE_DIMENSION.test(k))?.[1];

/** The one zone whose series went bad while the same series of every other zone did not. */
export function impairedZone(a: Analysis): { zone: string; view: SeriesView } | undefined {
  const groups = new Map<string, SeriesView[]>();
  for (const v of a.views) {
    if (!zoneOf(v)) continue;
    const rest = Object.entries(v.series.dimensions)
      .filter(([k]) => !ZONE_DIMENSION.test(k))
      .sort()
      .join(',');
    const key = `${v.series.namespace}|${v.series.metricName}|${rest}`;
    groups.set(key, [...(groups.get(key) ?? []), v]);
  }
  const found = new Map<string, SeriesView>();
  for (const list of groups.values()) {
    if (list.length < 2) continue;
    const bad = list.filter((v) => isAnomalous(v) && v.bad);
    if (bad.length === 1) found.set(zoneOf(bad[0])!, bad[0]);
  }
  if (found.size !== 1) return undefined;
  const [[zone, view]] = [...found];
  return { zone, view };
}

/**
 * The leading hypothesis without an action of its own (a network path, a provider) gets the zonal
 * shift, and names the zone.
 */
export function zonalImpairment(a: Analysis, list: Candidate[]): void {
  const top = [...list].sort((x, y) => y.confidence - x.confidence)[0];
  // A failover that does not yet say where from (around a network path) is made precise.
  const open = !top?.mitigation || (top.mitigation.kind === 'failover' && !top.mitigation.params.from);
  if (!top || !open || top.changeAt || !['network', 'dependency'].includes(top.category)) return;
  const hit = impairedZone(a);
  const service = a.snap.service;
  if (!hit || !service) return;
  top.mitigation = action(
    'failover',
    service,
    a.knownNames,
    `only ${hit.zone} is failing (${hit.view.series.metricName}); shift ${service}'s traffic away from ${hit.zone}`,
    { from: hit.zone },
  );
  if (!lower(top.culprit).includes(lower(hit.zone))) top.culprit = `${top.culprit} in ${hit.zone}`;
  top.summary = `${top.summary.replace(/\.$/, '')}; only ${hit.zone} is affected (${hit.view.series.metricName} there alone left its baseline).`;
  top.evidence = [...new Set([...top.evidence, hit.view.series.id])];
}
