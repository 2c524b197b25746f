/**
 * A dependency that failed and was well again before the incident began did not start it: its own
 * alarm back to OK and its series back in their band, both before the onset. Such a candidate is
 * weakened with that reason; a lasting harm it left behind (a cache it emptied) is for other
 * evidence to show.
 */
import type { Analysis } from '../analysis.js';
import { backInBand } from '../evidence/noise.js';
import { isAnomalous } from '../evidence/series.js';
import { conf, hhmm, lower, ms } from '../measure.js';
import type { Candidate } from './candidate.js';

/** When the resource was last seen well again before the onset, or undefined if it was not. */
function wellBefore(a: Analysis, resource: string): string | undefined {
  const res = lower(resource);
  // Well again a little before: a series back in band in the onset's own minute is the onset.
  const onset = ms(a.onset) - 2 * 60_000;
  const alarms = a.snap.alarms.filter((x) => lower(x.service) === res).sort((p, q) => ms(p.at) - ms(q.at));
  const last = alarms.at(-1);
  if (last?.state === 'ALARM') return undefined;
  const alarmBack =
    alarms.some((x) => x.state === 'ALARM') && last?.state === 'OK' && ms(last.at) <= onset
      ? last.at
      : undefined;
  const views = a.views.filter((v) => lower(v.service) === res && isAnomalous(v) && v.bad);
  if (views.some((v) => !v.onset!.recovered || ms(backInBand(v)) > onset)) return undefined;
  const seriesBack = views.length ? views.map(backInBand).sort().at(-1) : undefined;
  return seriesBack && alarmBack ? [seriesBack, alarmBack].sort().at(-1) : (seriesBack ?? alarmBack);
}

export function recoveredBefore(a: Analysis, list: Candidate[]): void {
  for (const c of list) {
    if (!c.effect || c.changeAt || c.category === 'healthy' || c.category === 'security') continue;
    if (lower(c.effect.resource) === lower(a.snap.service)) continue;
    const back = wellBefore(a, c.effect.resource);
    if (!back) continue;
    c.confidence = conf(c.confidence * 0.6);
    c.against ??= `${c.category} (${c.culprit}): ${c.effect.resource} was well again by ${hhmm(back)}, before the onset at ${hhmm(a.onset)}`;
  }
}
