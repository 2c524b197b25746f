/**
 * Responders' past verdicts as priors on the ranked candidates. A prior is never evidence: it only
 * raises a candidate the current evidence already carries over the confidence bar, by a modest,
 * capped amount, and says why in the candidate's summary; a cause responders marked wrong is
 * lowered by as little. A repeat whose evidence points elsewhere keeps its own cause: a confirmed
 * cause with no candidate here adds nothing.
 */
import { type CausePrior, describePrior } from '../../../memory/priors.js';
import { conf, lower } from '../measure.js';
import type { Candidate } from './candidate.js';
import { MIN_CONFIDENCE } from './candidates.js';

/** Per fully alike past incident, and at most in all: a prior tips a close call, never a clear one. */
const STEP = 0.07;
const MAX_SHIFT = 0.15;
/** A prior never lifts a candidate to certainty. */
const CEILING = 0.95;

/** Same category, and the same culprit (or one names the other: "checkout" and "checkout v2.4.1"). */
function matches(c: Candidate, p: CausePrior): boolean {
  if (c.category !== p.category) return false;
  const [a, b] = [lower(c.culprit).trim(), lower(p.culprit).trim()];
  if (!b) return true;
  return !!a && (a === b || a.includes(b) || b.includes(a));
}

const withReason = (summary: string, reason: string) =>
  `${summary.replace(/\.?\s*$/, '')}. Memory: ${reason}.`;

/**
 * The candidates with the priors applied and re-ranked (ties keep their order). `now` is when this
 * incident was detected, for "in N days".
 */
export function applyPriors(ranked: Candidate[], priors: CausePrior[], now: string): Candidate[] {
  if (!priors.length) return ranked;
  const out = ranked.map((c) => {
    // A candidate without evidence, or below the bar, is not supported enough for a prior to count.
    if (!c.evidence.length || c.category === 'unknown' || c.category === 'healthy') return c;
    const next = { ...c };
    const forIt = priors.find((p) => p.stance === 'confirmed' && matches(c, p));
    const against = priors.find((p) => p.stance === 'refuted' && matches(c, p));
    if (forIt && c.confidence >= MIN_CONFIDENCE) {
      const up = Math.min(MAX_SHIFT, STEP * forIt.strength);
      next.confidence = conf(Math.max(c.confidence, Math.min(CEILING, c.confidence + up)));
      next.summary = withReason(next.summary, describePrior(forIt, now));
    }
    if (against) {
      next.confidence = conf(next.confidence - Math.min(MAX_SHIFT, STEP * against.strength));
      const reason = describePrior(against, now);
      next.summary = withReason(next.summary, reason);
      next.against ??= `${c.category} (${c.culprit}): ${reason}`;
    }
    return next;
  });
  return out.sort((x, y) => y.confidence - x.confidence);
}
