/**
 * The "nothing is wrong any more" candidate: the alert resolved, the metric is back at baseline,
 * the alarm flaps around its threshold, the metric never moved, or the only activity is hostile
 * traffic the WAF already blocks. It names the service and alarm so the follow-up (tune the alarm)
 * has an owner, and it proposes no action.
 *
 * Silence is evidence of health only when nothing that shows harm is speaking: no verdict is given
 * while `harmShown` finds measured impact or another alarm on the path still firing, a security
 * finding beyond WAF-blocked probes, data at risk, a process killed or crash-looping, capacity
 * reading zero, or a person's report that no telemetry of the kind they describe was there to
 * contradict. Then the answer is the best supported
 * hypothesis, or `unknown` with its leads.
 */
import type { Analysis } from '../analysis.js';
import { assessImpact, isSynthetic, servedAsBefore } from '../evidence/impact.js';
import { badDirection } from '../evidence/metric-kinds.js';
import { isAnomalous, type SeriesView } from '../evidence/series.js';
import { lower } from '../measure.js';
import type { Candidate } from '../rank/candidate.js';

/** Alarms on a synthetic check (a canary, an uptime probe) rather than on what users send. */
const SYNTHETIC = /synthetic|canary|\bprobe|uptime|heartbeat|pingdom/i;

/** The service's own requests (not a prober's) arrive and are answered as before. */
const usersServed = (a: Analysis): boolean =>
  !!servedAsBefore(a.views.filter((v) => v.relation === 'self' || v.isAlertMetric));

/** The text with every catalog service name in it blanked. */
const withoutNames = (text: string, names: readonly string[]): string =>
  names.reduce((t, n) => (n.length >= 3 ? t.split(lower(n)).join(' ') : t), lower(text));

/** New errors in a volume that means users notice. */
const VOLUME = 20;

/** A process the kernel or its supervisor killed, or one its supervisor keeps restarting. */
const KILLED =
  /killed process \d+|invoked oom-killer|\bOOMKilled\b|code=killed|status=9\/KILL|CrashLoopBackOff|back-?off restarting failed container|exited with (exit )?(code|status) 137\b/i;

/** A series whose healthy reading is high (healthy hosts, success) reading nothing now: no capacity is serving. */
const readsZero = (v: SeriesView): boolean => {
  const tail = v.series.points.slice(-3);
  return (
    v.kind === 'availability' &&
    badDirection(v.series) === 'down' &&
    tail.length > 0 &&
    tail.every(([, x]) => x <= 0)
  );
};

/** A dimension naming where a probe ran from, not what it checked. */
const VANTAGE = /^(?:location|region|probe.?(?:location|region|site)?|vantage.?point|checkpoint|site|pop)$/i;

/**
 * A probe reading zero from one place while the same probe of the same target from the other
 * places still succeeds: what failed is the path from that place (its resolver, its network),
 * not the target, which everyone else still reaches.
 */
function fromOneVantage(v: SeriesView, views: SeriesView[]): boolean {
  const dims = v.series.dimensions;
  const key = Object.keys(dims).find((k) => VANTAGE.test(k));
  if (!key) return false;
  const same = (o: SeriesView) =>
    o !== v &&
    o.series.namespace === v.series.namespace &&
    o.series.metricName === v.series.metricName &&
    Object.keys(dims).length === Object.keys(o.series.dimensions).length &&
    Object.entries(dims).every(([k, x]) =>
      k === key ? o.series.dimensions[k] !== x : o.series.dimensions[k] === x,
    );
  const others = views.filter(same);
  return others.length > 0 && others.every((o) => !readsZero(o) && (o.series.points.at(-1)?.[1] ?? 0) > 0);
}

/**
 * What still shows harm, whatever the alarm's metric says: each a reason that rules out "nothing is
 * wrong". Empty when silence may be read as health.
 */
export function harmShown(a: Analysis): string[] {
  const service = a.snap.service;
  const related = new Set([lower(service), ...a.snap.catalog.dependencies(service).map(lower)]);
  const impact = assessImpact(a);
  const harm: string[] = [];
  // Past impact that has recovered is what a blip looks like; impact still measured is not. A few
  // errors on a critical service (a dozen 404s) are not impact unless triage rates them as such.
  const rated = impact.level === 'major' || impact.level === 'outage';
  if (!impact.recovered && (rated || (impact.level === 'minor' && impact.erroring.length)))
    harm.push(
      `impact still measured (${impact.erroring.length ? `${impact.erroring.join(', ')} erroring; ` : ''}${impact.describe})`,
    );
  // Another alarm on the path still in ALARM at the end of the window: the alert's own may flap,
  // but a second one still firing is measured harm.
  const alarmName = lower(
    a.snap.alert?.labels.alarmName ?? a.snap.alert?.labels.alertname ?? a.snap.alert?.title,
  );
  const path = new Set([...related, ...(service ? a.snap.catalog.dependents(service) : []).map(lower)]);
  const latest = new Map<string, string>();
  // A synthetic check alerting beside the synthetic check that paged measures the same prober: when
  // that one is in question, the other is no independent witness of harm. What an alarm checks is
  // read from its name without our services' names (a prober called `synthetic-prober` says nothing).
  const kindOf = (name: string) => withoutNames(name, a.snap.catalog.names());
  const sameProber = (name: string) => SYNTHETIC.test(kindOf(alarmName)) && SYNTHETIC.test(kindOf(name));
  for (const x of [...a.snap.alarms].sort((p, q) => p.at.localeCompare(q.at)))
    if (path.has(lower(x.service)) && lower(x.name) !== alarmName && !sameProber(x.name))
      latest.set(x.name, x.state);
  const firing = [...latest].filter(([, state]) => state === 'ALARM').map(([name]) => name);
  if (firing.length) harm.push(`still in ALARM: ${firing.join(', ')}`);
  const hostile = a.security.filter((s) => s.pattern !== 'waf-blocks');
  const blockedOnly = a.security.length > 0 && !hostile.length;
  if (hostile.length) harm.push(`security findings: ${hostile.map((s) => s.pattern).join(', ')}`);
  harm.push(...impact.compromise, ...impact.dataAtRisk, ...impact.dataLost);
  const killed = a.snap.logs.find(
    (l) => related.has(lower(l.service)) && KILLED.test(`${l.sample} ${l.signature}`),
  );
  if (killed) harm.push(`${killed.service}: a process killed or restarting in a loop`);
  // The alert's own measure climbing steadily (a backlog growing a little more each minute) has no
  // step for the band to catch; it is the very harm the alert names.
  const creeping = a.saturation.find((s) => s.creeping && s.view.isAlertMetric);
  if (creeping) harm.push(`${creeping.resource}: ${creeping.describe}`);
  const served = usersServed(a);
  const down = a.views.find(
    (v) =>
      (v.relation === 'self' || v.relation === 'dependency') &&
      readsZero(v) &&
      !fromOneVantage(v, a.views) &&
      !(served && v.relation === 'self' && isSynthetic(v)),
  );
  if (down) harm.push(`${down.service}: ${down.series.metricName} reads zero`);
  // A person's words are the only description of their harm: silence says nothing unless a series
  // of the kind they describe (errors, latency, availability...) was there to stay quiet, or the
  // WAF's own record accounts for what they saw.
  const report = `${a.snap.alert?.title ?? ''} ${a.snap.alert?.description ?? ''}`;
  if (
    a.snap.alert?.source === 'manual' &&
    !a.views.some((v) => v.isAlertMetric) &&
    !(blockedOnly && TRAFFIC_WORDS.test(report))
  )
    harm.push('the reported harm is not measured by any telemetry we hold');
  return [...new Set(harm)];
}

/** A report about requests and their answers, the kind of thing a WAF's record can account for. */
const TRAFFIC_WORDS =
  /\b(?:[45]\d\ds?|[45]xxs?|errors?|error rate|requests?|traffic|scan\w*|probe\w*|bots?|crawl\w*|spikes?)\b/i;

/** The alert measures a prober, and the service's own requests are served as before. */
const proberOnly = (a: Analysis): boolean => {
  const alerting = a.views.filter((v) => v.isAlertMetric);
  return alerting.length > 0 && alerting.every(isSynthetic) && usersServed(a);
};

export function explainHealth(a: Analysis): Candidate | undefined {
  const n = a.noise;
  const alert = a.snap.alert;
  if (harmShown(a).length) return undefined;
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
  } else if (proberOnly(a) && !impactfulErrors) {
    confidence = 0.6;
    verdict = "a synthetic check's failure while users' own requests are answered as before";
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
