/**
 * Candidates from error signatures alone, for when no change or saturated resource explains them:
 * a code defect, a network fault (DNS, unreachable hosts), an expired certificate, a permission
 * or configuration error. Weaker than a correlated change by design: a new error says what broke,
 * not why it broke now.
 */
import type { Category } from '../../../model.js';
import type { Analysis } from '../analysis.js';
import { CALL_FAILURES, LOG_CLASS_CATEGORY, type LogClass, mechanismOf } from '../evidence/logs.js';
import { conf, hhmm, lower } from '../measure.js';
import type { Candidate } from '../rank/candidate.js';

const STANDALONE: ReadonlySet<LogClass> = new Set([
  'code',
  'network',
  'tls',
  'auth',
  'config',
  'memory',
  'throttling',
]);

export function explainErrors(a: Analysis): Candidate[] {
  const self = lower(a.snap.service);
  const related = new Set([self, ...a.snap.catalog.dependencies(a.snap.service).map(lower)]);
  const out: Candidate[] = [];
  const seen = new Set<string>();
  for (const s of a.signatures) {
    if (!s.isNew || !STANDALONE.has(s.cls) || !related.has(lower(s.sig.service))) continue;
    // A failing call that names a dependency is that dependency's evidence, not a defect here.
    const deps = a.dependencies.map((d) => lower(d.service));
    if (CALL_FAILURES.has(s.cls) && s.mentions.some((m) => deps.includes(lower(m)))) continue;
    const category: Category = LOG_CLASS_CATEGORY[s.cls];
    const service = s.sig.service ?? a.snap.service ?? 'the service';
    // The thing the error is about: a known resource it names, else the service that logs it.
    const culprit = s.mentions.find((m) => lower(m) !== lower(service)) ?? service;
    const key = `${category}|${lower(culprit)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const volume = Math.min(0.2, Math.log10(s.sig.count + 1) * 0.07);
    out.push({
      category,
      culprit,
      summary: `${service} started failing at ${hhmm(s.sig.firstSeen)} with ${mechanismOf(s)} (${s.sig.count}x): "${s.sig.sample.slice(0, 140)}"${culprit !== service ? ` involving ${culprit}` : ''}; no recent change explains it.`,
      causalChain: [
        `${mechanismOf(s)} on ${service} from ${hhmm(s.sig.firstSeen)}`,
        `${a.snap.alert?.title ?? 'the alert'} fired`,
      ],
      confidence: conf(0.25 + volume + (lower(s.sig.service) === self ? 0.05 : 0)),
      evidence: [s.sig.id],
      mitigation: null,
      specialists: ['logs'],
    });
  }
  return out;
}
