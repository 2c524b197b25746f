/**
 * Changes judged beside the point (`evidence/change-relevance.ts`): a routine operation, or a
 * change whose errors are not its own. Their candidates — whichever explainer proposed them, the
 * change correlation or a knowledge entry matching the change record — are weakened and carry the
 * reason, so that they neither outrank the evidence nor claim its symptoms as their effects.
 */
import type { Analysis } from '../analysis.js';
import { conf } from '../measure.js';
import type { Candidate } from './candidate.js';

export function beside(a: Analysis, list: Candidate[]): void {
  for (const c of list) {
    if (!c.changeAt) continue;
    const scored = a.changes.find((s) => s.change.id === c.evidence[0]);
    const why = scored?.disowned?.why ?? (scored?.routine && `${scored.routine}, not a change to what fails`);
    if (!scored || !why) continue;
    // The correlation's own score already carries the judgement; a knowledge entry's does not.
    if (c.signatures?.length) c.confidence = conf(c.confidence * 0.5);
    c.against ??= `${c.category} (${c.culprit}): ${why}`;
  }
}
