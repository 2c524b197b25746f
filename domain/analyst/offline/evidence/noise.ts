/**
 * Is there still an incident? An alert that its source already resolved, an alarm metric back at
 * baseline, an alarm flapping around its threshold, or an alarm whose metric never left its
 * normal band are the pages a senior SRE closes as noise rather than investigates.
 *
 * Recovery is a moment, not a flag: errors logged before the alarm went back to OK (or its metric
 * back to baseline) are the impact that was, not impact that is. A failover that threw a thousand
 * connection errors and then completed on its own has recovered; the same errors still arriving
 * after that moment mean it has not.
 */
import type { AlarmEvent } from '../../../ports.js';
import { lower } from '../measure.js';
import type { RankedSignature } from './logs.js';
import type { SeriesView } from './series.js';
import { isAnomalous } from './series.js';

export interface NoiseVerdict {
  /** The alert source itself says resolved. */
  resolved: boolean;
  /** The alarm's metric (or the alarm) is back to normal. */
  recovered: boolean;
  /** The alarm toggled ALARM/OK repeatedly, or its metric kept crossing its band. */
  flapping: boolean;
  /** The alarm's metric is present and never left its normal band. */
  flat: boolean;
  /**
   * When it recovered: the latest of the alarm's return to OK and its metrics' return to their
   * band. Set only when `recovered`.
   */
  recoveredAt?: string;
  /**
   * Anything on the affected service still anomalous at the end of the window, or new errors in
   * volume that were still being logged after the recovery (or at all, when it has not recovered).
   */
  ongoing: boolean;
  reasons: string[];
  evidence: string[];
}

export function assessNoise(opts: {
  alertResolved: boolean;
  alarmName?: string;
  service?: string;
  alarms: AlarmEvent[];
  views: SeriesView[];
  signatures: RankedSignature[];
  /** The way the alarm says its metric hurts, when it says (`alarmDirection`). */
  alarmFires?: 'up' | 'down';
}): NoiseVerdict {
  const reasons: string[] = [];
  const evidence: string[] = [];
  const resolved = opts.alertResolved;
  if (resolved) reasons.push('the alert source reports the alert resolved');

  const own = opts.alarms
    .filter((a) => !!opts.alarmName && lower(a.name) === lower(opts.alarmName))
    .sort((a, b) => a.at.localeCompare(b.at));
  const alarmEntries = own.filter((a) => a.state === 'ALARM').length;
  let flapping = alarmEntries >= 3;
  if (flapping) {
    reasons.push(`${opts.alarmName} entered ALARM ${alarmEntries} times in the window`);
    evidence.push(...own.map((a) => a.id));
  }
  const lastOwn = own[own.length - 1];
  let recovered = lastOwn?.state === 'OK' && alarmEntries > 0;
  const backAt: string[] = [];
  if (recovered) {
    reasons.push(`${opts.alarmName} returned to OK at ${lastOwn.at}`);
    evidence.push(lastOwn.id);
    backAt.push(new Date(lastOwn.at).toISOString());
  }

  const alertMetrics = opts.views.filter((v) => v.isAlertMetric);
  // An alarm on samples falling "less than the threshold" moved when its metric fell, whatever
  // the metric's name suggests.
  const moved = alertMetrics.filter((v) => v.onset && (v.bad || v.onset.direction === opts.alarmFires));
  const flat = alertMetrics.length > 0 && moved.length === 0;
  if (flat) {
    reasons.push(`${alertMetrics[0].series.metricName} never left its normal band`);
    evidence.push(alertMetrics[0].series.id);
  }
  if (moved.length && moved.every((v) => v.onset!.recovered)) {
    recovered = true;
    reasons.push(
      `${moved[0].series.metricName} is back at its baseline (${Math.round(moved[0].onset!.baseline * 100) / 100})`,
    );
    evidence.push(moved[0].series.id);
    backAt.push(...moved.map(backInBand));
  }
  if (moved.some((v) => v.onset!.flaps >= 2 && v.onset!.sustainedRatio < 0.7)) {
    flapping = true;
    reasons.push(`${moved[0].series.metricName} keeps crossing in and out of its band`);
  }

  const selfViews = opts.views.filter((v) => v.relation === 'self' || v.isAlertMetric);
  const stillBad = selfViews.some((v) => isAnomalous(v) && !v.onset!.recovered);
  const recoveredAt = recovered ? backAt.sort().at(-1) : undefined;
  const newErrors = opts.signatures.some(
    (s) =>
      s.isNew &&
      lower(s.sig.service) === lower(opts.service) &&
      s.sig.count >= 20 &&
      loggedSince(s, recoveredAt),
  );
  return {
    resolved,
    recovered,
    ...(recoveredAt ? { recoveredAt } : {}),
    flapping,
    flat,
    ongoing: stillBad || newErrors,
    reasons,
    evidence,
  };
}

/** Still being logged after the recovery (any time, when there was none): current, not past, impact. */
export const loggedSince = (s: RankedSignature, recoveredAt: string | undefined): boolean =>
  !recoveredAt || Date.parse(s.sig.lastSeen) > Date.parse(recoveredAt);

/** When a recovered series came back: the first point of its final run inside the band. */
export function backInBand(v: SeriesView): string {
  const o = v.onset!;
  const dir = o.direction === 'up' ? 1 : -1;
  const pts = [...v.series.points].sort((a, b) => a[0].localeCompare(b[0]));
  let i = pts.length;
  while (i > 0 && (pts[i - 1][1] - o.baseline) * dir <= o.tolerance) i--;
  return new Date(pts[Math.min(i, pts.length - 1)][0]).toISOString();
}
