/**
 * Everything at once: when a service loses two dependencies that have nothing to do with each
 * other (its cache and its database) in the same couple of minutes, and neither shows a failure of
 * its own, what broke is what they share — the network between them and their client. A network
 * change that landed shortly before is then the lead, and the dependencies are its effects.
 */
import type { Analysis } from '../analysis.js';
import { conf, hhmm, lower, ms } from '../measure.js';
import type { Candidate } from './candidate.js';

/** Losses further apart than this are two stories, not one cut. */
const TOGETHER_MS = 3 * 60_000;
/** How long before the cut a network change can have caused it. */
const BEFORE_MS = 60 * 60_000;

export function commonPath(a: Analysis, list: Candidate[]): void {
  const direct = new Set((a.snap.catalog.get(a.snap.service)?.dependsOn ?? []).map(lower));
  const lost = list.filter(
    (c) =>
      (c.category === 'dependency' || c.category === 'database') &&
      !c.changeAt &&
      !c.signatures?.length &&
      !!c.effect &&
      direct.has(lower(c.culprit)),
  );
  const culprits = new Set(lost.map((c) => lower(c.culprit)));
  if (culprits.size < 2) return;
  const times = lost.map((c) => ms(c.effect!.at));
  const first = Math.min(...times);
  if (Math.max(...times) - first > TOGETHER_MS) return;
  // Independent: neither depends on the other.
  const [x, y] = [...culprits];
  if (a.snap.catalog.relation(x, y) !== 'unrelated' && a.snap.catalog.relation(x, y) !== 'sibling') return;
  const change = list
    .filter(
      (c) =>
        c.category === 'network' &&
        !!c.changeAt &&
        ms(c.changeAt) <= first + 60_000 &&
        ms(c.changeAt) >= first - BEFORE_MS,
    )
    .sort((p, q) => q.confidence - p.confidence)[0];
  if (!change) return;
  const names = [...new Set(lost.map((c) => c.culprit))].join(' and ');
  const cut = `${names} became unreachable together at ${hhmm(new Date(first).toISOString())}, neither failing on its own`;
  const top = Math.max(...lost.map((c) => c.confidence));
  change.confidence = conf(Math.min(0.9, Math.max(change.confidence, top + 0.05)));
  change.summary = `${change.summary.replace(/\.$/, '')}; ${cut}: what they share is the network.`;
  if (!change.causalChain.includes(cut)) change.causalChain.splice(1, 0, cut);
  for (const c of lost) {
    c.confidence = conf(Math.min(c.confidence, change.confidence - 0.1));
    c.against ??= `${c.category} (${c.culprit}): ${cut}, after ${change.culprit} changed`;
  }
}
