/**
 * Everything at once: when a service loses two dependencies that have nothing to do with each
 * other (its cache and its database) in the same couple of minutes, and neither shows a failure of
 * its own, what broke is what they share — the network between them and their client. A network
 * change that landed shortly before is then the lead, and the dependencies are its effects; with
 * no such change, the network path itself is.
 */
import type { Analysis } from '../analysis.js';
import { CONNECTING, type RankedSignature } from '../evidence/logs.js';
import { namedByEngine } from '../explain/knowledge-culprit.js';
import { conf, hhmm, lower, mentionedNames, ms, uniq } from '../measure.js';
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
  const names = [...new Set(lost.map((c) => c.culprit))].join(' and ');
  const cut = `${names} became unreachable together at ${hhmm(new Date(first).toISOString())}, neither failing on its own`;
  if (!change) {
    const path = unexplainedCut(a, lost, cut);
    if (path) list.push(path);
    return;
  }
  const top = Math.max(...lost.map((c) => c.confidence));
  change.confidence = conf(Math.min(0.9, Math.max(change.confidence, top + 0.05)));
  change.summary = `${change.summary.replace(/\.$/, '')}; ${cut}: what they share is the network.`;
  if (!change.causalChain.includes(cut)) change.causalChain.splice(1, 0, cut);
  for (const c of lost) {
    c.confidence = conf(Math.min(c.confidence, change.confidence - 0.1));
    c.against ??= `${c.category} (${c.culprit}): ${cut}, after ${change.culprit} changed`;
  }
}

/**
 * Classes of a caller's failures that can say the other end was never reached (a driver's
 * `SQLSTATE[HY000] [2002] Connection timed out` is classed a database error); a full pool, a
 * throttle or a refused credential is the other end answering.
 */
const UNREACHED: ReadonlySet<RankedSignature['cls']> = new Set([
  'timeout',
  'network',
  'dependency',
  'database',
  'error',
]);

/**
 * The same cut with no change to blame (a zone's network device failing, a route withdrawn by
 * the provider): when every lost dependency's calls died connecting or timing out, and none logs
 * a failure of its own kind (a full pool, a crash), the lead is the network path itself. What in
 * it broke is not known from here, so it proposes no action: it is escalated, not scaled or
 * restarted.
 */
function unexplainedCut(a: Analysis, lost: Candidate[], cut: string): Candidate | undefined {
  const service = a.snap.service;
  const byDep = lost.map((c) => a.dependencies.find((d) => lower(d.service) === lower(c.culprit)));
  if (byDep.some((d) => !d?.calls || !UNREACHED.has(d.calls.cls) || !CONNECTING.test(d.calls.sig.sample)))
    return undefined;
  // Each lost dependency is named by the failing calls themselves, by its whole name or by the
  // engine it runs: a lookalike word of its name ("orders" in a line about order lookups) may
  // belong to anything, and the cut must not rest on it.
  if (
    byDep.some(
      (d) =>
        !mentionedNames(d!.calls!.sig.sample, [d!.service]).length &&
        !namedByEngine(a, d!.service, d!.calls!.sig.sample),
    )
  )
    return undefined;
  const ownFailure = a.signatures.some(
    (s) =>
      s.isNew &&
      lost.some((c) => lower(s.sig.service) === lower(c.culprit)) &&
      !(UNREACHED.has(s.cls) && (s.cls === 'error' || CONNECTING.test(s.sig.sample))),
  );
  if (ownFailure) return undefined;
  const top = Math.max(...lost.map((c) => c.confidence));
  const confidence = conf(Math.min(0.85, top + 0.05));
  for (const c of lost) {
    c.confidence = conf(Math.min(c.confidence, confidence - 0.1));
    c.against ??= `${c.category} (${c.culprit}): ${cut}`;
  }
  return {
    category: 'network',
    culprit: `the network path from ${service}`,
    summary: `${cut}: what they share is the network path from ${service} to them (a zone, subnet, route or security group), not either of them; no change of ours explains it, so escalate to the network owner or the provider.`,
    causalChain: [
      `the network path from ${service} fails`,
      cut,
      `${a.snap.alert?.title ?? 'the alert'} fired`,
    ],
    confidence,
    evidence: uniq(lost.flatMap((c) => c.evidence)),
    mitigation: null,
    specialists: ['dependencies', 'logs'],
  };
}
