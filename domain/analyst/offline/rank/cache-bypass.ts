/**
 * Origin load from a cache that stopped caching: the requests reaching a service multiplied while
 * the CDN in front of it (a dependent of it in the catalog) served a falling share from cache.
 * Users did not multiply; the cache let them through. What made it let them through is a change
 * about caching made shortly before the hit rate began to fall (a release of what publishes cache
 * policies, a distribution's behaviour): it leads, and undoing it is the fix. The saturation ranks
 * below it as its effect.
 */
import type { Analysis } from '../analysis.js';
import { isAnomalous, type SeriesView } from '../evidence/series.js';
import { conf, hhmm, lower, median, ms, uniq } from '../measure.js';
import { action, type Candidate, releaseRollback } from './candidate.js';

const HIT_RATE = /cache.?hit.?(rate|ratio)/i;
const ABOUT_CACHING = /\bcach(e|es|ed|ing)\b|cache-control|\bttl\b/i;
/** How long before the hit rate began to fall the change may have landed. */
const BEFORE_MS = 2 * 60 * 60_000;

/**
 * When a hit rate began to fall for good: its onset downwards, or (a slow slide, which no step
 * detector sees) the first point 3 % under where it began, with the last a tenth under.
 */
function fallingFrom(v: SeriesView): string | undefined {
  if (isAnomalous(v) && v.onset!.direction === 'down') return v.onset!.at;
  const pts = v.series.points;
  if (pts.length < 10) return undefined;
  const head = median(pts.slice(0, 5).map(([, x]) => x));
  if (!(head > 0) || pts[pts.length - 1][1] > head * 0.9) return undefined;
  return pts.find(([, x]) => x < head * 0.97)?.[0];
}

export function cacheBypass(a: Analysis, list: Candidate[]): void {
  const sat = list.find((c) => !c.changeAt && c.effect?.loadLinked && !c.effect.explained);
  if (!sat?.effect) return;
  const origin = lower(sat.effect.resource);
  const fronts = new Set(a.snap.catalog.dependents(sat.effect.resource).map(lower));
  let fell: { view: SeriesView; at: string } | undefined;
  for (const v of a.views) {
    if (!HIT_RATE.test(v.series.metricName) || !fronts.has(lower(v.service))) continue;
    const at = fallingFrom(v);
    if (at) fell = { view: v, at };
  }
  if (!fell) return;
  const from = ms(fell.at);
  const change = [...a.changes, ...a.olderChanges]
    .filter(
      (s) =>
        s.flavor !== 'platform' &&
        s.flavor !== 'benign' &&
        ms(s.change.at) <= from + 5 * 60_000 &&
        ms(s.change.at) >= from - BEFORE_MS &&
        ABOUT_CACHING.test(`${s.change.summary} ${s.change.resource ?? ''}`),
    )
    .sort((x, y) => ms(y.change.at) - ms(x.change.at))[0];
  if (!change) return;
  const ch = change.change;
  const release = ch.kind === 'deployment';
  const what = ch.summary.slice(0, 120);
  const confidence = conf(Math.min(0.92, Math.max(0.75, sat.confidence + 0.05)));
  sat.confidence = conf(Math.min(sat.confidence, confidence - 0.1));
  sat.against ??= `${sat.category} (${sat.culprit}): ${origin}'s load came through ${fell.view.service}, whose cache hit rate fell from ${hhmm(fell.at)} after ${change.service ?? ch.resource} changed how it caches`;
  list.push({
    category: release ? 'deployment' : 'configuration',
    culprit: release
      ? (change.service ?? ch.version ?? 'the release')
      : (ch.resource ?? change.service ?? 'the change'),
    summary:
      `${change.service ?? ch.resource} changed how responses are cached at ${hhmm(ch.at)} ("${what}"); ` +
      `from ${hhmm(fell.at)} ${fell.view.service}'s ${fell.view.series.metricName} fell and the requests it used to absorb ` +
      `reached ${sat.effect.resource}: ${sat.effect.headline}.`,
    causalChain: [
      `${change.service ?? ch.resource}: ${what}`,
      `${fell.view.service} serves less from cache (${fell.view.series.metricName} falling from ${hhmm(fell.at)})`,
      sat.effect.headline,
      `${a.snap.alert?.title ?? 'the alert'} fired`,
    ],
    confidence,
    evidence: uniq([ch.id, fell.view.series.id, ...sat.evidence]),
    mitigation: release
      ? releaseRollback(ch, change.service, a.knownNames, ': it stopped responses being cached')
      : action('rollback', change.service ?? ch.resource, a.knownNames, `revert: ${what}`, { change: ch.id }),
    specialists: ['changes', 'performance'],
    since: ch.at,
    changeAt: ch.at,
    changeService: change.service,
  });
}
