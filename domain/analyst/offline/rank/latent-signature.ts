/**
 * A failure whose known signature names the change that causes it, and such a change made days
 * before on the failing path: logins refused now, the user's password changed on Friday. Changes
 * like that bite when clients next authenticate (a connection pool's maximum age, a restart, a
 * token's expiry), long after they looked harmless. Timing alone gave up on a change that old (it
 * is read only as latent, beyond the day's look-back); the failure's own signature ties it back.
 * The change leads; the failure is its effect.
 */

import { mentionsWord } from '../../../text.js';
import type { Analysis } from '../analysis.js';
import type { ScoredChange } from '../evidence/changes.js';
import { knownToCause } from '../evidence/knowledge.js';
import { conf, headline, hhmm, lower, ms, uniq } from '../measure.js';
import { action, type Candidate } from './candidate.js';

/** The failure began with this incident. */
const WITH_ONSET_MS = 30 * 60_000;

export function latentSignature(a: Analysis, list: Candidate[]): void {
  const onset = ms(a.onset);
  for (const h of a.knowledge) {
    if (h.on === 'change' || !h.isNew || h.entry.role !== 'cause') continue;
    if (Math.abs(ms(h.at) - onset) > WITH_ONSET_MS) continue;
    const path = new Set(
      [h.service, ...a.snap.catalog.dependencies(h.service), ...h.mentions].map(lower).filter(Boolean),
    );
    // The failing line itself names what the change wrote (the parameter it cannot parse).
    const namedByLine = (s: ScoredChange) => {
      const id = lower(s.change.resource?.split(/[/:]/).at(-1));
      return id.length >= 6 && /[._-]/.test(id) && mentionsWord(lower(h.sample), id);
    };
    const matching = a.olderChanges.filter(
      (s) => path.has(lower(s.change.service)) && (knownToCause(h.entry, s.change) || namedByLine(s)),
    );
    // Of several (two users' passwords changed), the one whose name the failing path's lines
    // carry around the onset; else the last, the one in force.
    const lines = a.snap.logs
      .filter((l) => path.has(lower(l.service)) && Math.abs(ms(l.firstSeen) - onset) <= WITH_ONSET_MS)
      .map((l) => lower(l.sample))
      .join('\n');
    const named = (s: (typeof matching)[number]) => {
      const id = lower(s.change.resource?.split('/').at(-1));
      return id.length >= 4 && mentionsWord(lines, id);
    };
    const found = matching.find(named) ?? matching.at(-1);
    if (!found) continue;
    const ch = found.change;
    const days = Math.round((onset - ms(ch.at)) / 86_400_000);
    const age = days >= 2 ? `${days} days` : `${Math.round((onset - ms(ch.at)) / 3_600_000)} h`;
    const what = ch.summary.slice(0, 120);
    const culprit = ch.resource ?? found.service ?? h.service ?? 'the changed credential';
    const rotate = h.entry.mitigations.includes('rotate-credentials');
    const mitigation = rotate
      ? action(
          'rotate-credentials',
          found.service ?? h.service,
          a.knownNames,
          `the credentials changed ${age} before no longer match what clients present: set them again on both sides`,
          { principal: culprit },
        )
      : action('rollback', found.service ?? ch.resource, a.knownNames, `revert: ${what}`, { change: ch.id });
    const effect = list.filter((c) => !c.changeAt && c.signatures?.includes(h.entry.id));
    const base = Math.max(0.6, ...effect.map((c) => c.confidence));
    for (const c of effect) {
      c.confidence = conf(c.confidence * 0.7);
      c.against ??= `${c.category} (${c.culprit}): ${h.entry.title.toLowerCase()} follows ${culprit}'s change ${age} before`;
    }
    list.push({
      category: h.entry.category,
      culprit,
      summary:
        `${h.service} fails with ${h.entry.title} since ${hhmm(h.at)}, ${knownToCause(h.entry, ch) ? `a failure known to follow a change like the one made ${age} earlier` : `reading what a change made ${age} earlier wrote`}: ` +
        `${culprit} at ${hhmm(ch.at)} ("${what}").`,
      causalChain: [
        `${what} (${age} before the onset)`,
        `${h.service}: "${headline(h.sample).slice(0, 100)}" (${h.count}x)`,
        `${a.snap.alert?.title ?? 'the alert'} fired`,
      ],
      confidence: conf(Math.min(0.85, base + 0.05)),
      evidence: uniq([ch.id, h.evidenceId]),
      mitigation,
      specialists: ['changes', 'logs'],
      signatures: [h.entry.id],
      rulesOut: h.entry.rulesOut,
      since: ch.at,
      changeAt: ch.at,
      changeService: found.service,
    });
    return;
  }
}
