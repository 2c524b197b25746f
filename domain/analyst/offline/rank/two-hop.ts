/**
 * A deployment two hops away: a rollout on a service that something the alarming service uses
 * depends on (an agent under a cache fleet, a library service under a queue's consumers). The
 * rollout disturbs the middle hop, and the middle hop's loss lands on another dependency (a cache
 * emptied, so the database behind it takes every read). The overloaded dependency is what pages
 * and what looks guilty; it is the symptom when the rollout came first, the middle hop moved
 * right after the rollout, and the overload began after that, along a path the catalog draws.
 */
import type { Analysis } from '../analysis.js';
import { isAnomalous } from '../evidence/series.js';
import { conf, hhmm, lower, ms, uniq } from '../measure.js';
import type { Candidate } from './candidate.js';

/** A deployment is stamped when it completes; its first hosts change a few minutes earlier. */
const ROLLOUT_GRACE_MS = 6 * 60_000;
/** How soon after the rollout the middle hop must move for the two to be linked. */
const HOP_WINDOW_MS = 15 * 60_000;

export function throughIntermediary(a: Analysis, list: Candidate[]): void {
  const affected = a.snap.service;
  if (!affected) return;
  const catalog = a.snap.catalog;
  const path = [affected, ...catalog.dependencies(affected)];
  const onPath = new Set(path.map(lower));
  for (const d of list) {
    if (d.category !== 'deployment' || !d.changeAt || !d.changeService || d.against || d.confidence < 0.3)
      continue;
    const rollout = ms(d.changeAt);
    const origin = lower(d.changeService);
    // Services the alarming one uses that call the rolled-out service, and the first of their
    // series to move just after the rollout.
    const hops = path
      .filter((c) => lower(c) !== origin && catalog.dependencies(c).map(lower).includes(origin))
      .map((c) => ({
        service: c,
        moved: a.views
          .filter(
            (v) =>
              isAnomalous(v) &&
              lower(v.service) === lower(c) &&
              ms(v.onset!.at) >= rollout - ROLLOUT_GRACE_MS &&
              ms(v.onset!.at) <= rollout + HOP_WINDOW_MS,
          )
          .sort((x, y) => x.onset!.at.localeCompare(y.onset!.at))[0],
      }))
      .filter((h) => !!h.moved);
    if (!hops.length) continue;
    for (const x of list) {
      const effect = x.effect;
      if (x === d || x.changeAt || !effect || effect.explained || !effect.loadLinked) continue;
      const r = lower(effect.resource);
      if (!onPath.has(r) || r === origin) continue;
      const hop = hops.find((h) => ms(h.moved!.onset!.at) <= ms(effect.at) + 2 * 60_000);
      if (!hop || ms(effect.at) <= rollout - ROLLOUT_GRACE_MS) continue;
      const moved = hop.moved!;
      const step = `${hop.service} moved right after the rollout (${moved.series.metricName} from ${hhmm(moved.onset!.at)})`;
      if (!d.causalChain.includes(step)) d.causalChain.splice(1, 0, step);
      if (!d.causalChain.includes(effect.headline)) d.causalChain.splice(2, 0, effect.headline);
      d.evidence = uniq([...d.evidence, moved.series.id, ...x.evidence.slice(0, 2)]);
      d.confidence = conf(Math.min(0.9, d.confidence + 0.1));
      d.summary = `${d.summary.replace(/\.$/, '')}; through ${hop.service}, which moved as it rolled out, it led to: ${effect.headline}.`;
      // What followed the rollout along that path is its effect, never ranked above it.
      x.confidence = conf(Math.min(x.confidence, d.confidence - 0.05));
      x.against = `${x.category} (${x.culprit}): ${effect.headline} at ${hhmm(effect.at)}, after ${d.changeService}'s rollout at ${hhmm(d.changeAt)} reached ${hop.service}`;
    }
  }
}
