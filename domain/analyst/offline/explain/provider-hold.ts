/**
 * A provider's hold: a notice from a provider we depend on that it stopped serving us is read as
 * that dependency failing (`explain/security.ts` asks this of every finding before treating it as
 * a threat).
 */
import type { Analysis } from '../analysis.js';
import type { SecurityIssue } from '../evidence/security.js';
import { conf, headline, hhmm, mentionedNames } from '../measure.js';
import type { Candidate } from '../rank/candidate.js';

/** A provider's own word that it stopped serving us: an account suspended, delivery held for review. */
const STOPPED_SERVING =
  /\b(?:has been|was|is|have been|were)\s+(?:stopped|suspended|paused|held|halted|disabled|blocked|restricted)\b/i;

/**
 * A notice from a provider we depend on, in its own name, that it stopped serving us (a trust and
 * safety review holding our mail): whatever prompted it, for us that dependency has stopped
 * working, and what helps is another route to it or the provider lifting the hold.
 */
export function providerHold(a: Analysis, issue: SecurityIssue): Candidate | undefined {
  if (issue.pattern !== 'finding' || !a.snap.service) return undefined;
  const deps = a.snap.catalog.dependencies(a.snap.service);
  const provider = mentionedNames(issue.signals.map((s) => s.source ?? '').join(' '), deps)[0];
  const said = issue.signals.find((s) => STOPPED_SERVING.test(s.detail));
  if (!provider || !said) return undefined;
  const detail = headline(said.detail).slice(0, 200);
  return {
    category: 'dependency',
    culprit: provider,
    summary: `${provider} stopped serving us on its own decision (${said.source}, ${hhmm(said.at)}): "${detail}". Nothing of ours undoes a provider's hold: route around it if a second provider is set up, and answer its review.`,
    causalChain: [
      `${provider} holds our traffic from ${hhmm(said.at)}: ${detail.slice(0, 100)}`,
      `${a.snap.service}'s requests to ${provider} go nowhere`,
      `${a.snap.alert?.title ?? 'the alert'} fired`,
    ],
    confidence: conf(Math.max(0.7, issue.score)),
    evidence: issue.signals.map((s) => s.id),
    mitigation: null,
    specialists: ['dependencies', 'security'],
    since: said.at,
  };
}
