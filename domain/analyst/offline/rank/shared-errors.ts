/**
 * Errors a change did not bring (`evidence/change-relevance.ts`): when the same new errors that
 * followed a change on its service also appear on peers it did not touch, what they have in common
 * is failing. The hypothesis is the dependency they share — the datastore first, since that is
 * where a shared error most often comes from (a column's type, a table's limit) — quoted in the
 * errors' own words.
 */
import type { Analysis } from '../analysis.js';
import { isExternal } from '../evidence/dependencies.js';
import { quote } from '../explain/changes.js';
import { isDatabase } from '../explain/resources.js';
import { conf, headline, lower, uniq } from '../measure.js';
import type { Candidate } from './candidate.js';

export function explainSharedErrors(a: Analysis): Candidate[] {
  const out: Candidate[] = [];
  const catalog = a.snap.catalog;
  for (const s of a.changes) {
    const d = s.disowned;
    if (!d?.peers.length || !s.service) continue;
    const peers = uniq(d.peers.map((p) => p.sig.service!));
    const shared = catalog
      .dependencies(s.service)
      .filter((dep) => peers.every((p) => catalog.dependencies(p).map(lower).includes(lower(dep))));
    if (!shared.length) continue;
    const culprit =
      shared.find((x) => isDatabase(x, a.views.find((v) => v.service === x)?.series.namespace)) ?? shared[0];
    // A datastore someone else runs for us failing is that dependency failing (category by owner).
    const db =
      !isExternal(catalog, culprit) &&
      isDatabase(culprit, a.views.find((v) => v.service === culprit)?.series.namespace);
    const own = d.errors[0];
    const count = own.sig.count + d.peers.reduce((n, p) => n + p.sig.count, 0);
    out.push({
      category: db ? 'database' : 'dependency',
      culprit,
      summary:
        `${s.service} and ${peers.join(', ')} fail with the same new errors (${quote(own.sig.sample)}, ` +
        `${count}x in all); ${peers.length > 1 ? 'they' : 'both'} depend on ${culprit}, and ${peers.join(', ')} did not change: ` +
        `the failure is in what they share, not in ${s.change.kind === 'deployment' ? `the release of ${s.service}` : 'the change'}.`,
      causalChain: [
        `${culprit} began refusing what ${s.service} and ${peers.join(', ')} send it`,
        `${own.sig.service}: ${headline(own.sig.sample).slice(0, 100)}`,
        `${a.snap.alert?.title ?? 'the alert'} fired`,
      ],
      confidence: conf(0.5 + 0.1 * Math.min(2, peers.length)),
      evidence: uniq([own.sig.id, ...d.peers.slice(0, 3).map((p) => p.sig.id)]),
      mitigation: null,
      specialists: ['logs', 'dependencies'],
      since: [own.sig.firstSeen, ...d.peers.map((p) => p.sig.firstSeen)].sort()[0],
    });
  }
  return out;
}
