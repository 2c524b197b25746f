/**
 * Changes judged beside the point (`evidence/change-relevance.ts`): a routine operation, or a
 * change whose errors are not its own. Their candidates — whichever explainer proposed them, the
 * change correlation or a knowledge entry matching the change record — are weakened and carry the
 * reason, so that they neither outrank the evidence nor claim its symptoms as their effects.
 */
import type { Analysis } from '../analysis.js';
import { conf, lower, ms } from '../measure.js';
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

/** Series that count requests a service refused as the caller's fault (4xx, denied, not found). */
const CLIENT_ERRORS = /4xx|client.?error|accessdenied|access.?denied|notfound|not.?found|forbidden/i;

/**
 * A dependency that began refusing requests (4xx: denied, not found) is answering what it was
 * sent: when that began within minutes of a release of another service on the same caller's path,
 * the release changed what is sent, and the refusal is its effect, ranked below it.
 */
export function refusedRequests(a: Analysis, list: Candidate[]): void {
  const deps = new Set(a.snap.catalog.dependencies(a.snap.service).map(lower));
  for (const x of list) {
    const e = x.effect;
    if (!e || e.explained || e.loadLinked || x.changeAt) continue;
    const refused = a.views.find(
      (v) =>
        lower(v.service) === lower(e.resource) &&
        CLIENT_ERRORS.test(v.series.metricName) &&
        !!v.onset &&
        Math.abs(ms(v.onset.at) - ms(e.at)) <= 2 * 60_000,
    );
    if (!refused) continue;
    const release = list
      .filter(
        (c) =>
          c.category === 'deployment' &&
          c.changeAt &&
          !c.against &&
          c.confidence >= 0.4 &&
          c.changeService &&
          lower(c.changeService) !== lower(e.resource) &&
          (deps.has(lower(c.changeService)) || lower(c.changeService) === lower(a.snap.service)) &&
          ms(e.at) - ms(c.changeAt) >= -6 * 60_000 &&
          ms(e.at) - ms(c.changeAt) <= 15 * 60_000,
      )
      .sort((p, q) => q.confidence - p.confidence)[0];
    if (!release || x.confidence < release.confidence - 0.05) continue;
    x.confidence = conf(release.confidence - 0.05);
    x.against = `${x.category} (${x.culprit}): it refuses what it is sent (${refused.series.metricName}) from ${e.at.slice(11, 16)}, just after ${release.culprit} was released on the same path`;
    if (!release.causalChain.includes(e.headline)) release.causalChain.splice(1, 0, e.headline);
  }
}
