/**
 * When the trouble began before the hour read. People report late ("certificate expired this
 * morning", customers noticing two hours in): the hour before the report then shows the incident
 * as the steady state, with nothing starting in it. The day's read of the same series shows where
 * it left its baseline, and that is when the investigation should look.
 */
import type { MetricSeries, TimeWindow } from '../../../ports.js';
import { detectOnset } from './onset.js';

/** A shift that held: most points after it out of the band, and still out now. */
const HELD = 0.8;
/** Doubled, or down by two fifths: the size of a shift worth moving the whole investigation for. */
const LARGE = { up: 1, down: 0.4 };

const heldShift = (series: MetricSeries) => {
  const o = detectOnset(series);
  return o && !o.recovered && o.sustainedRatio >= HELD && o.magnitude >= LARGE[o.direction] ? o : undefined;
};

const startsHere = (series: MetricSeries): boolean => {
  const o = detectOnset(series);
  return !!o && o.sustainedRatio >= 0.5 && o.magnitude >= 0.25;
};

/**
 * Something in the window read left its baseline: the affected service's own series when it has
 * any, else any series. The same bar an anomaly must clear anywhere (evidence/series.ts
 * `isAnomalous`): a count wobbling past its band for a point or two is not the incident starting.
 */
export function startsInWindow(inWindow: readonly MetricSeries[], service?: string): boolean {
  const own = inWindow.filter((m) => !!service && m.service?.toLowerCase() === service.toLowerCase());
  return (own.length ? own : inWindow).some(startsHere);
}

/**
 * The latest large shift still in force that began before `window` opened, when nothing in the
 * window itself left its baseline; otherwise undefined (the window already holds the onset).
 * When the affected service has series of its own, only they say whether the incident starts in
 * the window: a neighbour reacting to it in the hour read (an autoscaler scaling idle workers in)
 * does not make it start there.
 *
 * @example
 * const start = startedEarlier(hour, day, window, 'task-allocator'); // '2016-03-05T05:31:00.000Z'
 * if (start) window = { from: minutesBefore(start, 60), to: window.to };
 */
export function startedEarlier(
  inWindow: readonly MetricSeries[],
  day: readonly MetricSeries[],
  window: TimeWindow,
  service?: string,
): string | undefined {
  if (startsInWindow(inWindow, service)) return undefined;
  const from = Date.parse(window.from);
  const to = Date.parse(window.to);
  let latest: string | undefined;
  for (const m of day) {
    const points = m.points.filter(([t]) => Date.parse(t) <= to);
    const o = heldShift({ ...m, points });
    if (o && Date.parse(o.at) < from && (!latest || o.at > latest)) latest = o.at;
  }
  return latest;
}
