/**
 * The "nothing is wrong any more" candidate: the alert resolved, the metric is back at baseline,
 * the alarm flaps around its threshold, the metric never moved, or the only activity is hostile
 * traffic the WAF already blocks. It names the service and alarm so the follow-up (tune the alarm)
 * has an owner, and it proposes no action.
 */
import type { Analysis } from '../analysis.js';
import { isAnomalous } from '../evidence/series.js';
import { lower } from '../measure.js';
import type { Candidate } from '../rank/candidate.js';

/** New errors in a volume that means users notice. */
const VOLUME = 20;

export function explainHealth(a: Analysis): Candidate | undefined {
  const n = a.noise;
  const alert = a.snap.alert;
  // A person's report has no alarm name; quoting their whole message back reads badly.
  const alarm =
    alert?.labels.alarmName ??
    alert?.labels.alertname ??
    (alert?.source === 'manual' ? 'the reported problem' : alert?.title) ??
    'the alert';
  const service = a.snap.service;
  const related = new Set([lower(service), ...a.snap.catalog.dependencies(service).map(lower)]);
  const impactfulErrors = a.signatures.some(
    (s) => s.isNew && s.sig.count >= VOLUME && related.has(lower(s.sig.service)),
  );
  const quiet =
    !n.ongoing &&
    !impactfulErrors &&
    !a.views.some(
      (v) => isAnomalous(v) && !v.onset!.recovered && (v.relation === 'self' || v.relation === 'dependency'),
    );
  // Silence is only evidence of health when the service's telemetry was there to be silent.
  const observed =
    a.views.some((v) => v.relation === 'self' || v.isAlertMetric) ||
    a.snap.logs.some((l) => lower(l.service) === lower(service));
  const blockedOnly = a.security.length > 0 && a.security.every((s) => s.pattern === 'waf-blocks');
  let confidence = 0;
  let verdict = '';
  if (n.resolved && !n.ongoing) {
    confidence = 0.85;
    verdict = 'already resolved';
  } else if (n.recovered && !n.ongoing) {
    confidence = 0.8;
    verdict = 'already recovered on its own';
  } else if (n.flapping && quiet) {
    confidence = 0.75;
    verdict = 'flapping around its threshold without user impact';
  } else if (n.flat && quiet && observed) {
    confidence = 0.7;
    verdict = 'noise: its metric never left the normal band';
  } else if (quiet && blockedOnly) {
    confidence = 0.65;
    verdict = 'background scanning that the WAF already blocks, with no effect on real users';
  } else if (n.resolved) {
    confidence = 0.55;
    verdict = 'resolved at the source, though errors remain';
  } else if (quiet && observed) {
    confidence = 0.45;
    verdict = 'not backed by any anomaly or error in volume';
  }
  if (!confidence) return undefined;
  const reasons = [
    ...n.reasons,
    ...(blockedOnly && quiet ? ['only WAF-blocked probes, legitimate requests succeed'] : []),
  ];
  return {
    category: 'healthy',
    culprit: service ?? alarm,
    summary:
      `${service ?? 'The service'} is healthy: ${alarm === service ? 'the alert' : alarm} is ${verdict}` +
      `${reasons.length ? ` (${reasons.join('; ')})` : ''}. No mitigation needed; review the alert threshold.`,
    causalChain: reasons,
    confidence,
    evidence: [...n.evidence, ...(blockedOnly ? a.security.flatMap((s) => s.signals.map((x) => x.id)) : [])],
    mitigation: null,
    specialists: ['metrics', 'security'],
  };
}
