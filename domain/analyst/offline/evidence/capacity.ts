/**
 * Healthy capacity a service has lost: hosts, tasks or instances in service at the end of the
 * window against the level before it. A dependency down to a fifth of its hosts takes the path
 * through it down with it, whether or not its callers' request counts are there to show a ratio.
 */
import { lower, median } from '../measure.js';
import type { SeriesView } from './series.js';

/** In-service counts (healthy hosts, running tasks), not success rates or percentages. */
const IN_SERVICE = /healthyhost|running(task|count)|inservice|healthy_?(instances|targets|hosts)/i;

export function capacityLost(
  views: SeriesView[],
  service: string,
): { lost: number; evidence: string } | undefined {
  let worst: { lost: number; evidence: string } | undefined;
  for (const v of views) {
    // By name, whatever kind the name reads as: RunningTaskCount is a count of tasks, not traffic.
    if (lower(v.service) !== lower(service)) continue;
    if (!IN_SERVICE.test(v.series.metricName) || /unhealthy/i.test(v.series.metricName)) continue;
    const pts = [...v.series.points].sort((a, b) => a[0].localeCompare(b[0])).map((p) => p[1]);
    if (pts.length < 6) continue;
    const before = median(pts.slice(0, Math.floor(pts.length / 2)));
    const now = median(pts.slice(-3));
    if (before <= 0) continue;
    const lost = Math.max(0, 1 - now / before);
    if (!worst || lost > worst.lost) worst = { lost, evidence: v.series.id };
  }
  return worst;
}

/**
 * An in-service count at zero at the end of the window: no host, task or instance left to serve,
 * however long ago it fell (an outage older than the window has no "before" to compare with).
 */
export function noCapacity(views: SeriesView[], service: string): string | undefined {
  for (const v of views) {
    if (lower(v.service) !== lower(service)) continue;
    if (!IN_SERVICE.test(v.series.metricName) || /unhealthy/i.test(v.series.metricName)) continue;
    const pts = [...v.series.points].sort((a, b) => a[0].localeCompare(b[0])).map((p) => p[1]);
    if (pts.length >= 3 && pts.slice(-3).every((p) => p <= 0)) return v.series.id;
  }
  return undefined;
}

/** The dependencies down to a fifth or less of their healthy capacity. */
export const dependenciesDown = (views: SeriesView[], dependencies: string[]) =>
  dependencies
    .map((service) => ({ service, ...capacityLost(views, service) }))
    .filter((d): d is { service: string; lost: number; evidence: string } => (d.lost ?? 0) >= 0.8);
