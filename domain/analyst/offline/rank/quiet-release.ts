/**
 * A release the service ran quietly for ten minutes or more, until a known cause appeared on
 * something else in the very minute the trouble began (tables dropped on its database, a disk
 * filling on a peer): the trouble began with that cause, not with the release, which ranks below
 * it. A release that shares the cause's signature, or whose service is where the cause appeared,
 * may have brought it and is left alone.
 */
import type { Analysis } from '../analysis.js';
import { conf, hhmm, lower, ms } from '../measure.js';
import type { Candidate } from './candidate.js';

/** Quiet this long after a release, the service was running it without trouble. */
const QUIET_MS = 10 * 60_000;
/** A cause this close to the onset is what the onset was. */
const AT_ONSET_MS = 2 * 60_000;

export function quietRelease(a: Analysis, list: Candidate[]): void {
  const strongCause = (id: string) => {
    const e = a.knowledge.find((h) => h.entry.id === id)?.entry;
    return (
      !!e &&
      e.role === 'cause' &&
      e.specificity === 'high' &&
      e.category !== 'code' &&
      e.category !== 'deployment'
    );
  };
  for (const k of list) {
    if (k.changeAt || !k.since || k.against || k.confidence < 0.5) continue;
    if (!k.signatures?.some(strongCause) || Math.abs(ms(k.since) - ms(a.onset)) > AT_ONSET_MS) continue;
    for (const d of list) {
      if (d.category !== 'deployment' || !d.changeAt || d.confidence < k.confidence) continue;
      if (ms(a.onset) - ms(d.changeAt) < QUIET_MS) continue;
      if (
        lower(d.changeService) === lower(k.culprit) ||
        d.signatures?.some((id) => k.signatures!.includes(id))
      )
        continue;
      k.confidence = conf(Math.min(0.95, d.confidence + 0.02));
      d.against ??= `${d.category} (${d.culprit}): released at ${hhmm(d.changeAt)} and quiet until ${k.culprit}'s ${k.signatures[0]} at ${hhmm(k.since)}`;
    }
  }
}
