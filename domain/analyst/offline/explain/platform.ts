/**
 * Candidates from platform events: AWS failed over, rebooted or replaced something the affected
 * service depends on. The event itself is over by the time anyone looks; what keeps failing is
 * usually the client holding connections to the old instance (writes to a now read-only node,
 * broken sockets, cached DNS). Restarting the affected service makes it reconnect.
 */
import type { Analysis } from '../analysis.js';
import { mechanismOf } from '../evidence/logs.js';
import { conf, hhmm, lower, ms } from '../measure.js';
import { action, type Candidate } from '../rank/candidate.js';
import { isDatabase } from './resources.js';

const DISRUPTIVE =
  /fail(ing|ed)? ?over|reboot|restart|shut ?down|maintenance|replac(ed|ing) (host|instance)|host (degraded|retire)|instance (retire|stopp)|promot/i;

/** Error classes that stale connections to a moved or restarted backend produce. */
const STALE = new Set(['database', 'db-connections', 'dependency', 'timeout', 'network']);

export function explainPlatform(a: Analysis): Candidate[] {
  const self = a.snap.service;
  const related = new Set([lower(self), ...a.snap.catalog.dependencies(self).map(lower)]);
  const out: Candidate[] = [];
  for (const c of a.changes) {
    if (c.flavor !== 'platform' || !DISRUPTIVE.test(c.change.summary)) continue;
    if (!related.has(lower(c.service))) continue;
    if (c.leadMinutes < -10) continue;
    const target = c.service!;
    const after = a.signatures.filter(
      (s) =>
        s.isNew &&
        lower(s.sig.service) === lower(self) &&
        STALE.has(s.cls) &&
        ms(s.sig.firstSeen) >= ms(c.change.at) - 2 * 60_000,
    );
    const stale =
      after.find((s) => /read-only|readonly|broken|stale|closed|reset|terminat/i.test(s.sig.sample)) ??
      after[0];
    const restart = stale && lower(target) !== lower(self);
    const word = isDatabase(target) ? 'database' : 'dependency';
    out.push({
      category: isDatabase(target) ? 'database' : 'dependency',
      culprit: target,
      summary:
        `${target} had a platform failover/restart at ${hhmm(c.change.at)} ("${c.change.summary.slice(0, 90)}")` +
        (stale
          ? `; ${self} kept using stale connections to the old ${word} node and fails with ${mechanismOf(stale)}: "${stale.sig.sample.split('\n')[0].slice(0, 100)}" (${stale.sig.count}x).`
          : '.'),
      causalChain: [
        `${target}: ${c.change.summary.slice(0, 100)} at ${hhmm(c.change.at)}`,
        ...(stale
          ? [`${self} still talks to the old node: ${stale.sig.sample.split('\n')[0].slice(0, 80)}`]
          : []),
        `${a.snap.alert?.title ?? 'the alert'} fired`,
      ],
      confidence: conf(0.45 + (stale ? 0.3 : 0) + (c.leadMinutes >= -3 && c.leadMinutes <= 15 ? 0.1 : 0)),
      evidence: [c.change.id, ...after.slice(0, 3).map((s) => s.sig.id)],
      mitigation: restart
        ? action(
            'restart',
            self,
            a.knownNames,
            `${self} holds connections to the pre-failover ${word} node; a restart reconnects it to the new one`,
          )
        : null,
      specialists: ['changes', 'dependencies'],
    });
  }
  // One candidate per target: the strongest event wins.
  return out
    .sort((x, y) => y.confidence - x.confidence)
    .filter((c, i, all) => all.findIndex((o) => lower(o.culprit) === lower(c.culprit)) === i);
}
