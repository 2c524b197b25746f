/**
 * A worker that quietly stopped doing part of its work: the alarming service's own output fell
 * and stayed down, its CPU fell with it (less work done, not more), nothing it logged is an error,
 * and no change, dependency or load explains it. Stuck workers are what that looks like from the
 * outside — a defect in the service (`code`), cleared by restarting it. Read only when no other
 * story clears the bar, so any evidence-backed one wins over it; it does outrank "healthy".
 */
import type { Analysis } from '../analysis.js';
import { ERROR_LEVELS } from '../evidence/logs.js';
import { conf, hhmm, lower } from '../measure.js';
import { action, type Candidate } from './candidate.js';

/** Output down by this fraction or more. */
const FELL = 0.4;

/** `bar`: the confidence below which the analyst answers unknown. */
export function silentStall(a: Analysis, list: Candidate[], bar: number): Candidate | undefined {
  // "Healthy" is what this contradicts: the service's own output halved.
  if (list.some((c) => c.category !== 'healthy' && c.confidence >= bar)) return undefined;
  const healthy = Math.max(0, ...list.filter((c) => c.category === 'healthy').map((c) => c.confidence));
  const service = a.snap.service;
  if (!service || !a.snap.catalog.get(service)) return undefined;
  const own = a.views.filter((v) => lower(v.service) === lower(service) && v.onset);
  // Output, whatever its name says about which way hurts: less of it is less work done.
  const output = own.find(
    (v) =>
      v.kind !== 'cpu' &&
      v.onset!.direction === 'down' &&
      v.onset!.sustainedRatio >= 0.5 &&
      v.onset!.magnitude >= FELL,
  );
  const cpu = own.find((v) => v.kind === 'cpu');
  if (!output || !cpu || cpu.onset!.direction !== 'down') return undefined;
  const erroring = a.snap.logs.some((l) => lower(l.service) === lower(service) && ERROR_LEVELS.test(l.level));
  if (erroring) return undefined;
  const fell = `${service}'s ${output.series.metricName} fell from ${Math.round(output.onset!.baseline)} to ${Math.round(output.onset!.peak)} at ${hhmm(output.onset!.at)}`;
  return {
    category: 'code',
    culprit: service,
    summary: `${service}'s workers stalled without an error: ${fell}, its CPU fell with it, and no change, dependency or load explains it. Restart it to clear the stuck workers.`,
    causalChain: [
      `part of ${service}'s workers stopped polling or processing, silently`,
      fell,
      `${a.snap.alert?.title ?? 'the alert'} fired`,
    ],
    confidence: conf(Math.max(bar, healthy) + 0.05),
    evidence: [output.series.id, cpu.series.id],
    mitigation: action('restart', service, a.knownNames, `restart ${service} to clear its stalled workers`),
    specialists: ['performance', 'logs'],
    since: output.onset!.at,
  };
}
