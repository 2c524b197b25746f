/**
 * A release that made a statement expensive, found out at the next peak: shipped the evening
 * before ("alias lookup: single query for exact + catch-all"), harmless at night, and at noon the
 * database's slow-statement log fills and the service's own lines fail on the very thing the
 * release was about ("alias lookup timed out"). Timing alone gave up on a release that old; what
 * ties it to the incident is that its own words are what fails now, and that a datastore it calls
 * reports statements taking seconds. The release leads; the saturation is its effect.
 */
import type { Analysis } from '../analysis.js';
import { affinity } from '../evidence/change-relevance.js';
import { undoneAlready } from '../evidence/changes.js';
import { conf, headline, hhmm, lower, ms, uniq } from '../measure.js';
import { type Candidate, releaseRollback } from './candidate.js';

/** Knowledge entries that say a datastore runs statements for seconds. */
const SLOW_STATEMENTS = new Set(['db-slow-statement-log']);
/** Younger than this, a release is the ordinary change rules' to weigh. */
const FRESH_MINUTES = 60;
const MAX_AGE_MINUTES = 7 * 24 * 60;
const PROBLEM_LEVEL = /^(?:WARN|WARNING|ERROR|ERR|FATAL|CRIT)/i;

export function slowRelease(a: Analysis, list: Candidate[]): Candidate[] {
  const onset = ms(a.onset);
  const out = [...list];
  for (const s of [...a.changes, ...a.olderChanges]) {
    const ch = s.change;
    if (ch.kind !== 'deployment' || !s.service || ch.status === 'rolled-back' || undoneAlready(ch)) continue;
    if (s.leadMinutes <= FRESH_MINUTES || s.leadMinutes > MAX_AGE_MINUTES) continue;
    const stores = a.snap.catalog.get(s.service)?.dependsOn ?? [];
    const slow = a.knowledge.find(
      (h) =>
        SLOW_STATEMENTS.has(h.entry.id) &&
        stores.some((d) => lower(d) === lower(h.service)) &&
        ms(h.at) > ms(ch.at),
    );
    if (!slow) continue;
    // The statements that got slow are the release's: they share its words (the lookup it
    // rewrote). A datastore slowed by someone else's statements says nothing of this release.
    if (!affinity(ch, slow.sample, [s.service]).length) continue;
    // The release's own words are what its service now fails on.
    const lines = a.snap.logs.filter(
      (l) =>
        lower(l.service) === lower(s.service) &&
        PROBLEM_LEVEL.test(l.level) &&
        ms(l.firstSeen) >= onset - 30 * 60_000,
    );
    const own = lines
      .map((l) => ({ l, shared: affinity(ch, l.sample, [s.service!]) }))
      .filter((x) => x.shared.length >= 2)
      .sort((x, y) => y.l.count - x.l.count)[0];
    if (!own) continue;
    const hours = Math.round(s.leadMinutes / 60);
    const age = hours >= 48 ? `${Math.round(hours / 24)} days` : `${hours} h`;
    const what = (ch.summary || ch.version || '').slice(0, 120);
    const effects = list.filter(
      (c) =>
        !c.changeAt &&
        (lower(c.culprit) === lower(slow.service) ||
          lower(c.effect?.resource) === lower(slow.service) ||
          lower(c.culprit) === lower(s.service) ||
          lower(c.effect?.resource) === lower(s.service)),
    );
    const strongest = Math.max(0, ...effects.map((c) => c.confidence));
    const cand: Candidate = {
      category: 'deployment',
      culprit: ch.version ?? s.service,
      summary:
        `Deployment of ${s.service} ${ch.version ?? ''} ${age} before the onset ("${what}") made a statement expensive: ` +
        `${slow.service}'s slow-statement log shows queries taking seconds from ${hhmm(slow.at)} ("${headline(slow.sample).slice(0, 100)}"), ` +
        `and ${s.service} fails on what the release changed (${own.l.count}x "${headline(own.l.sample).slice(0, 100)}").`,
      causalChain: [
        `${s.service} ${ch.version ?? ''} deployed ${age} before the onset: ${what}`,
        `its query costs more; at the ${hhmm(a.onset)} load ${slow.service} runs statements for seconds`,
        `${s.service}: ${headline(own.l.sample).slice(0, 80)}`,
        `${a.snap.alert?.title ?? 'the alert'} fired`,
      ],
      confidence: conf(Math.min(0.9, Math.max(0.75, strongest + 0.05))),
      evidence: uniq([ch.id, slow.evidenceId, own.l.id]),
      mitigation: releaseRollback(ch, s.service, a.knownNames),
      specialists: ['changes', 'logs'],
      since: ch.at,
      changeAt: ch.at,
      changeService: s.service,
    };
    for (const c of effects) {
      c.confidence = conf(Math.min(c.confidence * 0.75, cand.confidence - 0.05));
      c.against ??= `${c.category} (${c.culprit}): the statement that got slow came with ${s.service} ${ch.version ?? ''} ${age} before`;
    }
    // The release's own timing-only candidate, if any, is this one.
    const timingOnly = out.findIndex((c) => c.changeAt && c.evidence[0] === ch.id);
    if (timingOnly >= 0) out.splice(timingOnly, 1);
    out.push(cand);
  }
  return out;
}
