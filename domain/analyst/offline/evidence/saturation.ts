/**
 * Saturation: a resource running out of headroom (CPU, memory, connections, throttles, storage,
 * queue backlog). A level near its ceiling, a series pinned flat at a new high (a pool at its
 * limit), throttles appearing from zero, or a steady climb (a leak) each count, with a weight
 * that says how sure the reading is.
 */

import { fmtNumber, median } from '../measure.js';
import { isPercent, type MetricKind, SATURATION_KINDS } from './metric-kinds.js';
import type { SeriesView } from './series.js';
import { isAnomalous } from './series.js';

export interface Saturation {
  view: SeriesView;
  /** What ran out: the series' kind, or `throttles` for consumption reaching provisioned capacity. */
  kind: MetricKind;
  /** The saturated thing: its service, else the series' first dimension value. */
  resource: string;
  /** Pinned flat near its peak: a hard limit reached. */
  pinned: boolean;
  /** Climbing steadily across the window rather than stepping: a leak or slow exhaustion. */
  creeping: boolean;
  /** When it started (onset, or the first point above the ceiling). */
  at: string;
  score: number;
  describe: string;
}

export function resourceOf(v: SeriesView): string {
  return v.service ?? Object.values(v.series.dimensions)[0] ?? v.series.metricName;
}

/** Most of the last points sit within 3% of the peak: the series hit a ceiling and stayed there. */
function isPinned(values: number[], peak: number): boolean {
  const tail = values.slice(-5);
  return (
    tail.length >= 3 &&
    tail.filter((x) => Math.abs(x - peak) <= Math.abs(peak) * 0.05).length >= tail.length - 1
  );
}

/**
 * Steady climb to the series' top (a leak or slow exhaustion): most steps up to the first time it
 * reaches its peak go up, and the rise is large (a quarter of the starting level, or 8 points of a
 * percentage). A step change is not a climb; a climb that then sits at a ceiling still is.
 */
export function isCreeping(values: number[], percent = false): boolean {
  if (values.length < 8) return false;
  const top = Math.max(...values);
  const reached = values.findIndex((x) => x >= top - Math.abs(top) * 0.01);
  const climb = values.slice(0, reached + 1);
  if (climb.length < 6) return false;
  let ups = 0;
  for (let i = 1; i < climb.length; i++) if (climb[i] > climb[i - 1]) ups++;
  const head = median(values.slice(0, 3));
  const rise = top - head;
  const large = percent ? rise >= 8 : rise > 0 && rise >= 0.25 * Math.abs(head);
  return ups / (climb.length - 1) >= 0.65 && large;
}

export function detectSaturation(views: SeriesView[]): Saturation[] {
  const out: Saturation[] = [];
  for (const v of views) {
    if (!SATURATION_KINDS.has(v.kind)) continue;
    const values = v.series.points.map((p) => p[1]);
    if (!values.length) continue;
    const peak = Math.max(...values);
    const low = Math.min(...values);
    const last = values[values.length - 1];
    const anomalous = isAnomalous(v);
    const o = v.onset;
    let score = 0;
    let describe = '';
    let at = o?.at ?? v.series.points[0][0];
    let pinned = false;
    const creeping = v.kind !== 'throttles' && isCreeping(values, isPercent(v.series));
    const down = /^(free|available|burstbalance|cpucreditbalance)/i.test(v.series.metricName);
    if (isPercent(v.series) && !down) {
      if (peak >= 90) {
        score = anomalous || creeping ? 0.8 : 0.55;
        const first = v.series.points.find((p) => p[1] >= 90);
        if (first && !o) at = first[0];
        describe = `${v.series.metricName} at ${fmtNumber(peak)}%`;
      } else if (peak >= 80 && (anomalous || creeping)) {
        score = 0.55;
        describe = `${v.series.metricName} climbing to ${fmtNumber(peak)}%`;
      } else if (anomalous && o!.magnitude >= 0.5) {
        score = 0.35;
        describe = `${v.series.metricName} up from ${fmtNumber(o!.baseline)}% to ${fmtNumber(peak)}%`;
      }
    } else if (down) {
      const first = values[0];
      if ((anomalous || creepingDown(values)) && last <= first * 0.15) {
        score = 0.8;
        describe = `${v.series.metricName} down from ${fmtNumber(first)} to ${fmtNumber(last)}`;
      } else if (anomalous || (first > 0 && last < first * 0.6 && creepingDown(values))) {
        score = 0.5;
        describe = `${v.series.metricName} falling from ${fmtNumber(first)} to ${fmtNumber(last)}`;
      }
    } else if (v.kind === 'throttles') {
      const base = o?.baseline ?? low;
      if (peak > 0 && (anomalous || base === 0)) {
        score = anomalous ? 0.75 : 0.5;
        describe = `${v.series.metricName} from ${fmtNumber(base)} to ${fmtNumber(peak)}`;
        if (!o) at = v.series.points.find((p) => p[1] > 0)?.[0] ?? at;
      }
    } else if (anomalous && o!.direction === 'up') {
      pinned = isPinned(values, peak) && o!.magnitude >= 0.5;
      score = pinned ? 0.8 : o!.magnitude >= 0.5 ? 0.6 : 0.4;
      describe = `${v.series.metricName} up from ${fmtNumber(o!.baseline)} to ${fmtNumber(peak)}${pinned ? ' and pinned there' : ''}`;
    } else if (creeping) {
      score = 0.5;
      describe = `${v.series.metricName} climbing steadily from ${fmtNumber(values[0])} to ${fmtNumber(last)}`;
    }
    if (score > 0) {
      out.push({ view: v, kind: v.kind, resource: resourceOf(v), pinned, creeping, at, score, describe });
    }
  }
  out.push(...provisionedHeadroom(views));
  return out.sort((a, b) => b.score - a.score);
}

/** Seconds between points, for turning a per-period Sum into a per-second rate. */
function periodSeconds(points: Array<[string, number]>): number {
  if (points.length < 2) return 60;
  return Math.max(1, (Date.parse(points[1][0]) - Date.parse(points[0][0])) / 1000);
}

/**
 * Consumption against provisioned capacity (DynamoDB's Consumed/Provisioned capacity units and
 * the like): at or above 90% of what is provisioned, requests are being throttled.
 */
function provisionedHeadroom(views: SeriesView[]): Saturation[] {
  const out: Saturation[] = [];
  for (const used of views) {
    const m = /^Consumed(.+)$/i.exec(used.series.metricName);
    if (!m) continue;
    const dims = JSON.stringify(used.series.dimensions);
    const cap = views.find(
      (v) =>
        v.series.metricName.toLowerCase() === `provisioned${m[1].toLowerCase()}` &&
        JSON.stringify(v.series.dimensions) === dims,
    );
    if (!cap) continue;
    const limit = new Map(cap.series.points);
    const period = periodSeconds(used.series.points);
    const ratios = used.series.points
      .filter(([t]) => (limit.get(t) ?? 0) > 0)
      .map(([t, u]) => {
        const l = limit.get(t)!;
        // A Sum over the period is compared with the per-second provision times the period.
        const perPeriod = u > l * 5 ? l * period : l;
        return [t, u / perPeriod] as [string, number];
      });
    const first = ratios.find(([, r]) => r >= 0.9);
    if (!first) continue;
    const last = ratios[ratios.length - 1][1];
    out.push({
      view: used,
      kind: 'throttles',
      resource: resourceOf(used),
      pinned: last >= 0.9,
      creeping: false,
      at: first[0],
      score: last >= 0.9 ? 0.8 : 0.5,
      describe: `${used.series.metricName} at ${Math.round(last * 100)}% of provisioned ${cap.series.metricName.replace(/^Provisioned/i, '')}, so requests are throttled`,
    });
  }
  return out;
}

function creepingDown(values: number[]): boolean {
  return isCreeping(values.map((x) => -x + 2 * Math.max(...values)));
}
