/**
 * Our own automation doing what a change told it to: a sync job that removes a thousand members
 * minutes after the group it mirrors was deleted looks, in an audit log, exactly like an intruder.
 * A security anomaly that follows a change whose object our own services' lines name in between
 * ("group scm-org-access not found; desired membership = 0") is that change's effect: the change
 * leads and the anomaly ranks below it. Attacks from outside (failed logins, floods, leaked keys)
 * are never explained this way.
 */

import { mentionsWord } from '../../../text.js';
import type { Analysis } from '../analysis.js';
import { conf, hhmm, lower, ms } from '../measure.js';
import type { Candidate } from './candidate.js';

/** How long after a change its automation may still be acting on it. */
const FOLLOW_MS = 60 * 60_000;

/** When the security candidate's own signals began. */
function signalsAt(a: Analysis, c: Candidate): number | undefined {
  const times = a.snap.security.filter((s) => c.evidence.includes(s.id)).map((s) => ms(s.at));
  return times.length ? Math.min(...times) : undefined;
}

export function automationAfterChange(a: Analysis, list: Candidate[]): void {
  for (const s of list) {
    if (s.category !== 'security' || s.mitigation) continue;
    const at = signalsAt(a, s);
    if (at === undefined) continue;
    const change = list
      .filter((c) => {
        const record = c.changeAt ? a.snap.changes.find((r) => r.id === c.evidence[0]) : undefined;
        if (!record?.resource || record.resource.length < 4) return false;
        const t = ms(record.at);
        if (t > at || at - t > FOLLOW_MS) return false;
        // A line of ours, between the change and the anomaly, that names what was changed.
        return a.snap.logs.some(
          (l) =>
            !!a.snap.catalog.get(l.service) &&
            ms(l.firstSeen) >= t &&
            ms(l.firstSeen) <= at + 5 * 60_000 &&
            mentionsWord(lower(l.sample), lower(record.resource!)),
        );
      })
      .sort((x, y) => y.confidence - x.confidence)[0];
    if (!change) continue;
    const step = `our own automation acted on it: ${s.summary.split(':')[0].slice(0, 100)} (from ${hhmm(new Date(at).toISOString())})`;
    change.confidence = conf(Math.min(0.9, Math.max(change.confidence, s.confidence) + 0.05));
    change.causalChain.splice(1, 0, step);
    change.summary = `${change.summary.replace(/\.$/, '')}; ${step}.`;
    s.confidence = conf(Math.min(s.confidence, change.confidence - 0.05, 0.3));
    s.against ??= `${s.category} (${s.culprit}): what it saw followed ${change.culprit}'s change at ${change.changeAt!.slice(11, 16)}, which our own services' lines name`;
  }
}
