/**
 * Traffic sent elsewhere: the alarming service's own requests fell away as it failed while, in the
 * same minutes, another endpoint's requests rose many times over — what used to arrive here now
 * arrives there. A routing change made just before (a DNS record, a route, a listener) is what
 * moved it. A release of the service itself cannot send away requests before they reach it: it
 * ranks below the routing change.
 */
import type { Analysis } from '../analysis.js';
import { isAnomalous } from '../evidence/series.js';
import { conf, fmtNumber, hhmm, lower, ms } from '../measure.js';
import type { Candidate } from './candidate.js';
import { factorOf } from './demand.js';

/** How far apart the fall here and the rise there may begin. */
const TOGETHER_MS = 5 * 60_000;
/** How long before the fall the routing change may have landed. */
const LEAD_MS = 30 * 60_000;

export function divertedTraffic(a: Analysis, list: Candidate[]): void {
  const self = lower(a.snap.service);
  const near = (t: string, u: string, d = TOGETHER_MS) => Math.abs(ms(t) - ms(u)) <= d;
  const lost = a.views.find(
    (v) =>
      lower(v.service) === self &&
      v.kind === 'traffic' &&
      isAnomalous(v) &&
      v.onset!.direction === 'down' &&
      v.onset!.magnitude >= 0.5 &&
      near(v.onset!.at, a.onset),
  );
  if (!lost) return;
  const gained = a.views.find(
    (v) =>
      !!v.service &&
      lower(v.service) !== self &&
      v.kind === 'traffic' &&
      isAnomalous(v) &&
      v.onset!.direction === 'up' &&
      factorOf(v) >= 5 &&
      near(v.onset!.at, lost.onset!.at),
  );
  if (!gained) return;
  const fell = ms(lost.onset!.at);
  const route = list
    .filter(
      (c) =>
        c.category === 'network' &&
        !!c.changeAt &&
        !c.against &&
        ms(c.changeAt) <= fell + 60_000 &&
        fell - ms(c.changeAt) <= LEAD_MS,
    )
    .sort((x, y) => y.confidence - x.confidence)[0];
  if (!route) return;
  const moved = `${a.snap.service}'s ${lost.series.metricName} fell from ${hhmm(lost.onset!.at)} (${fmtNumber(lost.onset!.baseline)} to ${fmtNumber(lost.onset!.peak)}) as ${gained.service}'s ${gained.series.metricName} rose ×${fmtNumber(factorOf(gained))}: the requests went there`;
  const top = Math.max(...list.filter((c) => c !== route).map((c) => c.confidence), 0);
  route.confidence = conf(Math.min(0.95, Math.max(route.confidence, top + 0.03)));
  if (!route.causalChain.includes(moved)) route.causalChain.splice(1, 0, moved);
  route.summary = `${route.summary.replace(/\.$/, '')}; ${moved}.`;
  for (const c of list) {
    if (c.category !== 'deployment' || lower(c.changeService) !== self) continue;
    c.confidence = conf(Math.min(c.confidence, route.confidence - 0.05));
    c.against ??= `${c.category} (${c.culprit}): ${a.snap.service}'s requests stopped arriving; a release of it does not send them elsewhere`;
  }
}
