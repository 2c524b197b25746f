/**
 * All candidate root causes for an analysis, merged and ranked. Two explainers naming the same
 * culprit for the same category are one candidate with both bodies of evidence; an unknown
 * candidate is always present so that weak evidence never has to be dressed up as a conclusion.
 */
import type { Analysis } from './analysis.js';
import type { Candidate } from './candidate.js';
import { explainChanges } from './explain-changes.js';
import { explainDependencies } from './explain-dependency.js';
import { explainErrors } from './explain-errors.js';
import { explainHealth } from './explain-health.js';
import { explainPlatform } from './explain-platform.js';
import { explainResources } from './explain-resources.js';
import { explainSecurity } from './explain-security.js';
import { explainShared } from './explain-shared.js';
import { conf, lower, ms, uniq } from './util.js';

/** Below this, the analyst says `unknown` rather than guess. */
export const MIN_CONFIDENCE = 0.35;

function merge(list: Candidate[]): Candidate[] {
  const out: Candidate[] = [];
  for (const c of list) {
    const twin = out.find((o) => o.category === c.category && lower(o.culprit) === lower(c.culprit));
    if (!twin) {
      out.push({ ...c, evidence: uniq(c.evidence), specialists: uniq(c.specialists) });
      continue;
    }
    const [strong, weak] = twin.confidence >= c.confidence ? [twin, c] : [c, twin];
    Object.assign(twin, {
      ...strong,
      // Independent support for the same conclusion raises confidence a little.
      confidence: conf(strong.confidence + weak.confidence * 0.15),
      evidence: uniq([...strong.evidence, ...weak.evidence]),
      specialists: uniq([...strong.specialists, ...weak.specialists]),
      mitigation: strong.mitigation ?? weak.mitigation,
    });
  }
  return out;
}

/**
 * A change shortly before a saturated resource or failing dependency explains it: the change is
 * the root cause and the saturation its effect (a flag ramp overloading a dependency, a limit cut
 * throttling a function). Effects that already name their own trigger are left alone.
 */
function cascade(list: Candidate[]): void {
  for (const change of list) {
    if (!change.changeAt || change.confidence < 0.3) continue;
    let boost = 0;
    const effects: string[] = [];
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
      effects.push(effect.effect.headline);
      change.causalChain.splice(1, 0, effect.effect.headline);
      change.evidence = uniq([...change.evidence, ...effect.evidence.slice(0, 3)]);
    }
    if (!effects.length) continue;
    change.summary = `${change.summary.replace(/\.$/, '')}; it drove: ${effects.slice(0, 2).join('; ')}.`;
    change.confidence = conf(Math.min(0.95, change.confidence + Math.min(0.3, boost)));
  }
}

/**
 * A change that landed after an anomaly which already has its own explanation (a consumer's
 * burst, a leak) came too late to be the cause: it is weakened, however well it lines up otherwise.
 */
function preempt(list: Candidate[]): void {
  for (const change of list) {
    if (!change.changeAt) continue;
    const earlier = list.find(
      (e) => e.effect?.explained && e.confidence >= 0.5 && ms(e.effect.at) < ms(change.changeAt!) - 60_000,
    );
    if (earlier) change.confidence = conf(change.confidence * 0.6);
  }
}

export function candidates(a: Analysis): Candidate[] {
  const health = explainHealth(a);
  const all = merge([
    ...explainChanges(a),
    ...explainPlatform(a),
    ...explainResources(a),
    ...explainShared(a),
    ...explainDependencies(a),
    ...explainSecurity(a),
    ...explainErrors(a),
    ...(health ? [health] : []),
  ]);
  preempt(all);
  cascade(all);
  return all.sort((x, y) => y.confidence - x.confidence || x.category.localeCompare(y.category));
}
