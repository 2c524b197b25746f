/**
 * Every metric series, read once: which service it belongs to, what it measures, when it left its
 * baseline and whether that movement is the bad direction. The incident onset — the earliest bad
 * movement on the affected service or what it depends on — anchors change correlation.
 */
import type { MetricSeries } from '../../../ports.js';
import { lower, mentionedNames } from '../measure.js';
import type { Catalog, Relation } from './catalog.js';
import { badDirection, type MetricKind, metricKind, SATURATION_KINDS } from './metric-kinds.js';
import { detectOnset, type Onset } from './onset.js';

export interface SeriesView {
  series: MetricSeries;
  kind: MetricKind;
  /** Catalog service the series belongs to, by tag or by a dimension naming a known service. */
  service?: string;
  relation: Relation;
  /** What the series is about: a dependency named by a Dependency/Upstream-style dimension, else its service. */
  subject?: string;
  onset?: Onset;
  /** The onset moved in the direction that hurts. */
  bad: boolean;
  /** The series behind the alert (its metric and dimensions, or the alert's service and kind). */
  isAlertMetric: boolean;
}

export function seriesService(s: MetricSeries, catalog: Catalog): string | undefined {
  if (s.service) return catalog.get(s.service)?.name ?? s.service;
  for (const v of Object.values(s.dimensions)) {
    const named = catalog.get(v)?.name ?? mentionedNames(v, catalog.names())[0];
    if (named) return named;
  }
  return undefined;
}

const CALLEE_DIMENSION =
  /^(dependency|upstream|downstream|target|provider|peer|remote|callee|backend)(service|name)?$/i;

/** A known service named by a dimension that says whom the series measures calls to. */
export function seriesSubject(
  s: MetricSeries,
  catalog: Catalog,
  own: string | undefined,
): string | undefined {
  for (const [k, v] of Object.entries(s.dimensions)) {
    if (CALLEE_DIMENSION.test(k) && catalog.get(v)) return catalog.get(v)!.name;
  }
  return own;
}

/** Kinds of metric the alert talks about, from its title and description. */
export function alertKinds(text: string): MetricKind[] {
  const t = text.toLowerCase();
  const kinds: MetricKind[] = [];
  if (/5xx|4xx|error|fault|fail|exception/.test(t)) kinds.push('errors');
  if (/latency|p9\d|slow|duration|response time|timeout/.test(t)) kinds.push('latency');
  if (/cpu/.test(t)) kinds.push('cpu');
  if (/memory|oom|heap/.test(t)) kinds.push('memory');
  if (/connection/.test(t)) kinds.push('connections');
  if (/throttl/.test(t)) kinds.push('throttles');
  if (/disk|storage|space/.test(t)) kinds.push('storage');
  if (/queue|backlog|lag|age of oldest/.test(t)) kinds.push('queue');
  if (/healthy|unhealthy|down|unavailable|availability/.test(t)) kinds.push('availability');
  if (/traffic|requests|rps|volume|drop/.test(t)) kinds.push('traffic');
  return kinds;
}

/**
 * The direction an alarm fires in, from its own words: CloudWatch's state reason ("were less than
 * the threshold") or its comparison operator (`LessThanThreshold`); undefined when it says both
 * or neither.
 */
export function alarmDirection(raw: string): 'up' | 'down' | undefined {
  const down = /less\s?than(?:\s?or\s?equal\s?to)?\s?(?:the\s)?(?:lower\s?)?threshold/i.test(raw);
  const up = /greater\s?than(?:\s?or\s?equal\s?to)?\s?(?:the\s)?(?:upper\s?)?threshold/i.test(raw);
  return down === up ? undefined : down ? 'down' : 'up';
}

export function readSeries(
  metrics: MetricSeries[],
  opts: { catalog: Catalog; service?: string; alertText: string; alertRaw: string },
): SeriesView[] {
  const raw = lower(opts.alertRaw);
  const kinds = alertKinds(opts.alertText);
  const views = metrics.map((series) => {
    const kind = metricKind(series);
    const service = seriesService(series, opts.catalog);
    const onset = detectOnset(series);
    const dir = badDirection(series);
    const bad = !!onset && (dir === 'both' || onset.direction === dir);
    const dims = Object.values(series.dimensions);
    const named = raw.includes(lower(series.metricName)) && dims.every((d) => raw.includes(lower(d)));
    return {
      series,
      kind,
      service,
      relation: opts.catalog.relation(service, opts.service),
      subject: seriesSubject(series, opts.catalog, service),
      onset,
      bad,
      isAlertMetric: named,
    };
  });
  // Without an exact match, the alert metric is the affected service's series of the kind the alert
  // names, else its largest symptom movement.
  if (!views.some((v) => v.isAlertMetric)) {
    for (const v of views) if (v.relation === 'self' && kinds.includes(v.kind)) v.isAlertMetric = true;
  }
  if (!views.some((v) => v.isAlertMetric)) {
    const symptom = views
      .filter((v) => v.relation === 'self' && v.bad && v.onset && !SATURATION_KINDS.has(v.kind))
      .sort((x, y) => y.onset!.magnitude - x.onset!.magnitude)[0];
    if (symptom) symptom.isAlertMetric = true;
  }
  return views;
}

/** Sustained, sizeable, bad-direction movement: what counts as an anomaly. */
export const isAnomalous = (v: SeriesView): boolean =>
  v.bad && !!v.onset && v.onset.sustainedRatio >= 0.5 && v.onset.magnitude >= 0.25;

/**
 * When the incident began: the onset of the alerted metric itself, else the earliest anomaly on
 * the affected service, else on what it depends on, else `fallback` (the alert). Anchoring on the
 * alerted symptom keeps an older, unrelated wobble in a dependency from moving the clock.
 */
export function incidentOnset(views: SeriesView[], fallback: string): string {
  const earliest = (keep: (v: SeriesView) => boolean) =>
    views
      .filter((v) => isAnomalous(v) && keep(v))
      .map((v) => v.onset!.at)
      .sort()[0];
  const t =
    earliest((v) => v.isAlertMetric) ??
    earliest((v) => v.relation === 'self') ??
    earliest((v) => v.relation === 'dependency');
  return t && t < fallback ? t : fallback;
}
