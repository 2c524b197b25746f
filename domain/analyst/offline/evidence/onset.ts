/**
 * Onset detection on one metric series: when did it leave its own baseline, in which direction,
 * how far, and is it back. A robust baseline (median and MAD of the points before the candidate)
 * keeps one noisy point from looking like an incident, and a sustain check keeps one spike from
 * looking like an onset.
 */
import type { MetricSeries } from '../../../ports.js';
import { median, robustSigma } from '../measure.js';

export interface Onset {
  seriesId: string;
  direction: 'up' | 'down';
  /** First anomalous point. */
  at: string;
  baseline: number;
  /** Half-width of the normal band around the baseline. */
  tolerance: number;
  /** Most extreme value after onset in the onset's direction. */
  peak: number;
  last: number;
  /** |peak − baseline| relative to the baseline (or the band when the baseline is ~0). */
  magnitude: number;
  /** The latest points are back inside the normal band. */
  recovered: boolean;
  /** Times the series went back into the band and out again after onset. */
  flaps: number;
  /** Points in the anomalous state after onset / points after onset. */
  sustainedRatio: number;
}

const MIN_BASELINE = 5;
/** The share of the band a point past its edge must keep to count as staying out. */
const STAY = 0.85;

/** Metrics that report a state rather than count events: a status check, a health or cluster status. */
const STATE_FLAG = /status|health/i;

/**
 * Band half-width: noise-scaled (robust sigma), never narrower than a tenth of the level, than
 * half again the widest excursion the baseline already made, or — for small counts, where 0, 1
 * and 3 errors a minute are all normal — than Poisson noise.
 */
export function tolerance(base: number[], floor = 0.5, gauge = false): number {
  const m = median(base);
  const excursion = Math.max(...base.map((x) => Math.abs(x - m)));
  const counts = !gauge && base.every((x) => Number.isInteger(x) && x >= 0);
  // A count that never once happened in the baseline: two or more at a time is already news.
  const poisson = counts ? (m === 0 && excursion === 0 ? 0.5 : 3 * Math.sqrt(Math.max(m, 1))) : 0;
  return Math.max(4 * robustSigma(base), 0.1 * Math.abs(m), 1.5 * excursion, poisson, floor);
}

/** An absolute floor for the band: tiny for small-valued ratios, half a unit for counts. */
const floorFor = (base: number[]): number => {
  const level = Math.max(...base.map(Math.abs));
  return level <= 1.5 ? 0.02 : 0.5;
};

/**
 * Whole numbers that count what is provisioned or running (desired capacity, tasks, healthy
 * hosts), set rather than sampled: they carry no Poisson noise, and 14 -> 24 moves as 42 -> 72 does.
 */
const CAPACITY_GAUGE =
  /desired|inservice|in_service|healthyhost|unhealthyhost|runningtask|pendingtask|replicas|instancecount|nodecount|capacity$/i;

/** How many times the first excursion a later departure must be for that excursion to be noise. */
const NOISE_TO_DEPARTURE = 5;

/**
 * A short baseline reads the series' own noise as an onset: a first excursion that falls back into
 * the band for a while, followed by a departure many times its size. The noise is then part of the
 * baseline, and the departure is the onset.
 */
function noiseBeforeDeparture(
  after: number[],
  out: (x: number) => boolean,
  dev: (x: number) => number,
): boolean {
  const back = after.findIndex((x, k) => k > 0 && !out(x) && k + 1 < after.length && !out(after[k + 1]));
  if (back < 0) return false;
  const first = Math.max(...after.slice(0, back).map(dev));
  const later = after.slice(back);
  const peak = Math.max(...later.map(dev));
  return peak >= NOISE_TO_DEPARTURE * first;
}

export function detectOnset(series: MetricSeries): Onset | undefined {
  const pts = [...series.points].sort((a, b) => a[0].localeCompare(b[0]));
  const v = pts.map((p) => p[1]);
  if (v.length < MIN_BASELINE + 1) return undefined;
  // A flag (a status check, cluster red/green) reads only 0 or 1: leaving a steady value is the
  // whole signal, not Poisson noise around a small count.
  // Two values, one of them 0 (a flag, however scaled).
  const flag = STATE_FLAG.test(series.metricName) && v.includes(0) && new Set(v).size === 2;
  for (let i = MIN_BASELINE; i < v.length; i++) {
    const base = v.slice(0, i);
    const m = median(base);
    const tol =
      flag && base.every((x) => x === base[0])
        ? 0.5
        : tolerance(base, floorFor(base), CAPACITY_GAUGE.test(series.metricName));
    const dev = v[i] - m;
    if (Math.abs(dev) <= tol) continue;
    const dir = dev > 0 ? 1 : -1;
    const out = (x: number) => (x - m) * dir > tol;
    const next = v.slice(i + 1, i + 4);
    // Staying out is judged a little more loosely than getting out: a step that lands just past the
    // band's edge and holds there is a step, not three points that each just missed it.
    const stays = (x: number) => (x - m) * dir > STAY * tol;
    const confirmed = next.length === 0 || next.filter(stays).length >= Math.ceil((next.length * 2) / 3);
    if (!confirmed) continue;
    const after = v.slice(i);
    if (noiseBeforeDeparture(after, stays, (x) => (x - m) * dir)) continue;
    const peak = dir > 0 ? Math.max(...after) : Math.min(...after);
    const tail = after.slice(-2);
    let flaps = 0;
    for (let k = 1; k < after.length; k++) if (!out(after[k - 1]) && out(after[k])) flaps++;
    return {
      seriesId: series.id,
      direction: dir > 0 ? 'up' : 'down',
      at: pts[i][0],
      baseline: m,
      tolerance: tol,
      peak,
      last: v[v.length - 1],
      magnitude: Math.abs(peak - m) / Math.max(Math.abs(m), tol),
      recovered: after.length >= 3 && tail.every((x) => !out(x)),
      flaps,
      sustainedRatio: after.filter(out).length / after.length,
    };
  }
  return undefined;
}
