/**
 * What they all stand on: the dependency the alarming service lost stands on something that
 * other services stand on too, and they all fail in the same few minutes while its own telemetry
 * moves. Responders in an alert storm ask what the failing services have in common; the answer
 * is that shared thing, and the dependency in between is only the path its failure took.
 */
import type { Analysis } from '../analysis.js';
import { isAnomalous, type SeriesView } from '../evidence/series.js';
import { conf, hhmm, lower, ms, uniq } from '../measure.js';
import type { Candidate } from './candidate.js';

/** Failures further apart than this are separate stories. */
const BEFORE_MS = 3 * 60_000;
const AFTER_MS = 5 * 60_000;
/** The lost dependency and at least one other service standing on the same thing. */
const MIN_TROUBLED = 2;

/**
 * A clear, sustained move either way: the shared thing's throughput falling to nothing says as
 * much as its errors rising.
 */
const shifted = (v: SeriesView) => !!v.onset && v.onset.sustainedRatio >= 0.5 && v.onset.magnitude >= 0.25;

/** `service` shows trouble of its own near `at`: new errors, a symptom series, an alarm. */
function troubledNear(a: Analysis, service: string, at: number): boolean {
  const s = lower(service);
  const near = (t: string) => ms(t) >= at - BEFORE_MS && ms(t) <= at + AFTER_MS;
  return (
    a.signatures.some((x) => x.isNew && x.isError && lower(x.sig.service) === s && near(x.sig.firstSeen)) ||
    a.views.some((v) => lower(v.service) === s && isAnomalous(v) && v.bad && near(v.onset!.at)) ||
    a.snap.alarms.some((x) => lower(x.service) === s && x.state !== 'OK' && near(x.at))
  );
}

export function sharedDependency(a: Analysis, list: Candidate[]): Candidate[] {
  const cat = a.snap.catalog;
  const lost = list
    .filter((c) => (c.category === 'dependency' || c.category === 'database') && !!c.effect && !c.changeAt)
    .sort((x, y) => y.confidence - x.confidence || ms(x.effect!.at) - ms(y.effect!.at))[0];
  // Only where losing that dependency is already the leading story.
  const lead = Math.max(...list.map((c) => c.confidence));
  if (!lost?.effect || lost.confidence < lead - 0.05) return list;
  // It failed for a reason of its own (a full disk, a known crash): that reason is the story.
  const ownCause = (lost.signatures ?? []).some(
    (id) => a.knowledge.find((h) => h.entry.id === id)?.entry.role === 'cause',
  );
  if (ownCause) return list;
  const via = lost.effect.resource;
  const at = ms(lost.effect.at);
  for (const base of cat.get(via)?.dependsOn ?? []) {
    const troubled = cat.dependents(base).filter((u) => lower(u) === lower(via) || troubledNear(a, u, at));
    if (troubled.length < MIN_TROUBLED) continue;
    const moved = a.views
      .filter(
        (v) => lower(v.service) === lower(base) && shifted(v) && Math.abs(ms(v.onset!.at) - at) <= BEFORE_MS,
      )
      .sort((x, y) => ms(x.onset!.at) - ms(y.onset!.at))[0];
    if (!moved) continue;
    const own = `${base}'s ${moved.series.metricName} ${moved.onset!.direction === 'up' ? 'rose' : 'fell'} at ${hhmm(moved.onset!.at)} (${moved.onset!.baseline} to ${moved.onset!.peak})`;
    const together = `${troubled.join(', ')} all stand on ${base} and failed within minutes of ${hhmm(lost.effect.at)}`;
    const confidence = conf(Math.min(0.9, Math.max(0.7, lost.confidence + 0.1)));
    lost.confidence = conf(Math.min(lost.confidence, confidence - 0.1));
    lost.against ??= `${lost.category} (${lost.culprit}): ${lost.effect.headline}, on the way from ${base}: ${together}`;
    return [
      {
        category: 'dependency',
        culprit: cat.get(base)?.name ?? base,
        summary: `${base}, which ${troubled.join(', ')} stand on, failed: ${own}; ${together}. ${lost.summary}`,
        causalChain: [`${base} fails: ${own}`, together, ...lost.causalChain],
        confidence,
        evidence: uniq([moved.series.id, ...lost.evidence]),
        mitigation: lost.mitigation,
        specialists: uniq(['dependencies', ...lost.specialists]),
        since: moved.onset!.at,
      },
      ...list,
    ];
  }
  return list;
}
