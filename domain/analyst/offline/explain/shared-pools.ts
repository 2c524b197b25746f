/**
 * Candidates from shared pools: a runaway consumer hogging something everyone draws on (account
 * Lambda concurrency, a shared cluster) starves services the catalog does not connect to it.
 * Restarting the consumer frees the pool; a change to it that started the runaway wins over this
 * candidate through the cascade in candidates.ts.
 */
import type { Analysis } from '../analysis.js';
import { conf, fmtNumber, hhmm } from '../measure.js';
import { action, type Candidate } from '../rank/candidate.js';
import { RESOURCE_WORD } from './resources.js';

export function explainShared(a: Analysis): Candidate[] {
  return a.hogs.slice(0, 2).map((h) => {
    const word = RESOURCE_WORD[h.pool.kind] ?? h.pool.series.metricName;
    const headline =
      `${h.service}'s ${h.hog.series.metricName} jumped from ${fmtNumber(h.hog.onset!.baseline)} to ` +
      `${fmtNumber(Math.max(...h.hog.series.points.map((p) => p[1])))} at ${hhmm(h.at)}, ` +
      `taking ${Math.round(h.share * 100)}% of the shared ${word} pool`;
    return {
      category: 'capacity' as const,
      culprit: h.service,
      summary: `${headline}; ${a.snap.service ?? 'the affected service'} is starved of ${word}.`,
      causalChain: [
        headline,
        `${a.snap.service} cannot get ${word}`,
        `${a.snap.alert?.title ?? 'the alert'} fired`,
      ],
      confidence: conf(0.45 + Math.min(0.3, h.share * 0.3)),
      evidence: [h.hog.series.id, h.pool.series.id],
      mitigation: action(
        'restart',
        h.service,
        a.knownNames,
        `${h.service} is hogging the shared ${word}; restarting it frees the pool`,
      ),
      specialists: ['performance', 'metrics'],
      effect: { at: h.at, resource: h.service, explained: false, headline, loadLinked: true },
    };
  });
}
