/**
 * Changes and the effects they drove: a saturated resource or failing dependency that began just
 * after a change on its path is that change's effect, and ranks below it.
 */
import type { Analysis } from '../analysis.js';
import { conf, lower, ms, uniq } from '../measure.js';
import type { Candidate } from './candidate.js';

/**
 * A release whose own service shows nothing after it — its series all within their band, no new
 * error in its logs — while it is watched: nothing says its new code behaves differently, so what
 * goes wrong elsewhere is not credited to it for timing alone.
 */
export function silentRelease(a: Analysis, c: Candidate): boolean {
  if (c.category !== 'deployment' || !c.changeAt || !c.changeService) return false;
  const svc = lower(c.changeService);
  const since = ms(c.changeAt) - 5 * 60_000;
  const own = a.views.filter((v) => lower(v.service) === svc);
  // Watched: what its callers would see of it (its errors or its latency) is measured.
  if (!own.some((v) => v.kind === 'errors' || v.kind === 'latency')) return false;
  // Any move in the bad direction counts, however faint: silence has to be plain to be evidence.
  const moved = own.some((v) => !!v.onset && v.bad && ms(v.onset.at) >= since);
  const errors = a.signatures.some(
    (s) => s.isNew && lower(s.sig.service) === svc && ms(s.sig.firstSeen) >= since,
  );
  return !moved && !errors;
}

/**
 * A change shortly before a saturated resource or failing dependency explains it: the change is
 * the root cause and the saturation its effect (a flag ramp overloading a dependency, a limit cut
 * throttling a function). Effects that already name their own trigger are left alone, and so are
 * the changes `silent` says showed nothing of their own.
 */
export function cascade(list: Candidate[], silent: (c: Candidate) => boolean = () => false): void {
  for (const change of list) {
    if (!change.changeAt || change.confidence < 0.3 || silent(change)) continue;
    let boost = 0;
    const effects: string[] = [];
    const driven: Candidate[] = [];
    for (const effect of list) {
      if (!effect.effect || effect.effect.explained || effect === change) continue;
      const onItself =
        !!change.changeService && lower(change.changeService) === lower(effect.effect.resource);
      if (!onItself && !effect.effect.loadLinked) continue;
      const gap = (ms(effect.effect.at) - ms(change.changeAt)) / 60_000;
      // Deployments are stamped at completion and take effect while rolling out.
      const grace = change.category === 'deployment' ? 6 : 2;
      if (gap < -grace || gap > 30) continue;
      boost += 0.15;
      effect.confidence = conf(effect.confidence * 0.75);
      driven.push(effect);
      effects.push(effect.effect.headline);
      change.causalChain.splice(1, 0, effect.effect.headline);
      change.evidence = uniq([...change.evidence, ...effect.evidence.slice(0, 3)]);
    }
    if (!effects.length) continue;
    change.summary = `${change.summary.replace(/\.$/, '')}; it drove: ${effects.slice(0, 2).join('; ')}.`;
    change.confidence = conf(Math.min(0.95, change.confidence + Math.min(0.3, boost)));
    // What a change drove is its effect: never ranked above it.
    for (const e of driven) {
      e.confidence = conf(Math.min(e.confidence, change.confidence - 0.05));
      e.against ??= `${e.category} (${e.culprit}): ${e.effect?.headline} after ${change.culprit} at ${change.changeAt?.slice(11, 16)}`;
    }
  }
}
