/**
 * Noisy neighbours on a shared pool. An account- or cluster-wide series (no service, no dimension
 * naming one — Lambda's account ConcurrentExecutions, a shared cluster's CPU) that jumps to a
 * ceiling starves everyone drawing on it. The consumer whose own series of the same metric jumped
 * with it, and takes a large share of the pool, is the runaway consumer; services the catalog
 * does not connect can still hurt each other this way.
 */

import { lower, ms } from '../measure.js';
import type { Catalog } from './catalog.js';
import type { SeriesView } from './series.js';
import { isAnomalous } from './series.js';

export interface PoolHog {
  pool: SeriesView;
  hog: SeriesView;
  service: string;
  /** The hog's peak as a share of the pool's peak. */
  share: number;
  at: string;
}

const isShared = (v: SeriesView, catalog: Catalog) =>
  !v.service && !Object.values(v.series.dimensions).some((d) => catalog.get(d));

const peak = (v: SeriesView) => Math.max(...v.series.points.map((p) => p[1]));

export function poolHogs(views: SeriesView[], catalog: Catalog, affected: string | undefined): PoolHog[] {
  const out: PoolHog[] = [];
  for (const pool of views) {
    if (
      !isShared(pool, catalog) ||
      !isAnomalous(pool) ||
      pool.onset!.direction !== 'up' ||
      pool.onset!.magnitude < 0.5
    ) {
      continue;
    }
    for (const hog of views) {
      if (hog === pool || !hog.service || lower(hog.service) === lower(affected)) continue;
      if (
        lower(hog.series.metricName) !== lower(pool.series.metricName) ||
        hog.series.namespace !== pool.series.namespace
      ) {
        continue;
      }
      if (!isAnomalous(hog) || hog.onset!.direction !== 'up') continue;
      const lead = (ms(pool.onset!.at) - ms(hog.onset!.at)) / 60_000;
      if (lead < -5 || lead > 30) continue;
      const share = peak(hog) / Math.max(1e-9, peak(pool));
      if (share < 0.3) continue;
      out.push({ pool, hog, service: hog.service, share, at: hog.onset!.at });
    }
  }
  return out.sort((a, b) => b.share - a.share);
}
