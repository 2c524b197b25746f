/**
 * Several of our services, with nothing in common in the catalog, start failing to reach the
 * outside in the same few minutes — mail relays timing out on remote servers, a fetcher timing out
 * on remote mailboxes — while none of them changed. Each one's backlog looks like its own capacity
 * problem; what they share is the way out. The lead is the network path to the outside, named by
 * the catalog's own egress (a transit link, a NAT, a gateway) when its telemetry shows one.
 */
import type { Analysis } from '../analysis.js';
import type { KnowledgeHit } from '../evidence/knowledge.js';
import { ERROR_LEVELS } from '../evidence/logs.js';
import { EGRESS_NAMESPACE } from '../evidence/metric-kinds.js';
import { isAnomalous } from '../evidence/series.js';
import { conf, hhmm, lower, ms, uniq } from '../measure.js';
import { action, type Candidate } from './candidate.js';

/** Failures to connect further apart than this are two stories. */
const TOGETHER_MS = 15 * 60_000;
interface Cut {
  services: string[];
  hits: KnowledgeHit[];
  /** "x and y began timing out on outside hosts together at 09:00, none of them changed". */
  cut: string;
  first: number;
}

/** Several of our services, unconnected to one another, timing out on the outside together. */
function cutOff(a: Analysis): Cut | undefined {
  const catalog = a.snap.catalog;
  // Lines that say the other end never answered, naming nothing we run (the outside).
  const hits = a.knowledge.filter(
    (h) =>
      h.on === 'log' &&
      h.isNew &&
      h.entry.category === 'network' &&
      h.entry.blames === 'peer' &&
      !!catalog.get(h.service) &&
      h.mentions.every((m) => lower(m) === lower(h.service)),
  );
  const services = uniq(hits.map((h) => catalog.get(h.service)!.name));
  if (services.length < 2) return undefined;
  const times = hits.map((h) => ms(h.at));
  const first = Math.min(...times);
  if (Math.max(...times) - first > TOGETHER_MS) return undefined;
  // Two services that depend on one another fail together for that reason.
  for (const x of services)
    for (const y of services)
      if (x !== y && ['dependency', 'dependent'].includes(catalog.relation(x, y))) return undefined;
  const cut = `${services.join(' and ')} began timing out on outside hosts together at ${hhmm(new Date(first).toISOString())}, none of them changed`;
  return { services, hits, cut, first };
}

/** What every one of the services calls. */
const sharedDependencies = (a: Analysis, services: string[]): string[] =>
  services
    .map((s) => a.snap.catalog.dependencies(s).map(lower))
    .reduce((x, y) => x.filter((d) => y.includes(d)));

export function outboundCut(a: Analysis, list: Candidate[]): Candidate | undefined {
  const catalog = a.snap.catalog;
  const found = cutOff(a);
  if (!found) return undefined;
  const { services, hits, cut, first } = found;
  // A change on the path already explains it: nothing to add.
  if (list.some((c) => c.category === 'network' && !!c.changeAt && !c.against)) return undefined;
  // Something they all call is failing on its own (their resolver crashed, their proxy): that is
  // the way out they share, named by what it is, not an anonymous path.
  const shared = sharedDependencies(a, services);
  const ownTrouble = (dep: string) =>
    a.views.some((v) => lower(v.service) === dep && isAnomalous(v)) ||
    a.signatures.some((x) => x.isNew && lower(x.sig.service) === dep && ERROR_LEVELS.test(x.sig.level));
  const theirs = list
    .filter(
      (c) => !c.changeAt && !c.against && shared.includes(lower(c.culprit)) && ownTrouble(lower(c.culprit)),
    )
    .sort((x, y) => y.confidence - x.confidence)[0];
  const rivals = list.filter((c) => services.some((s) => lower(s) === lower(c.culprit)) && !c.changeAt);
  if (theirs) {
    for (const c of rivals) {
      c.confidence = conf(Math.min(c.confidence, theirs.confidence - 0.1));
      c.against ??= `${c.category} (${c.culprit}): ${cut}; what they all call, ${theirs.culprit}, is failing`;
    }
    return undefined;
  }
  const egress = uniq(
    a.snap.metrics
      .filter((m) => EGRESS_NAMESPACE.test(m.namespace))
      .map((m) => catalog.get(m.service)?.name)
      .filter((n): n is string => !!n && !services.includes(n)),
  );
  const culprit = egress[0] ?? `the outbound network path of ${services.join(' and ')}`;
  const top = Math.max(0.55, ...rivals.map((c) => c.confidence));
  const candidate: Candidate = {
    category: 'network',
    culprit,
    summary: `Outbound connections are being lost on the way out: ${cut}; what they share is ${egress[0] ?? 'the network path to the outside'}.`,
    causalChain: [
      `${culprit} stopped carrying part of the outbound traffic`,
      cut,
      `${a.snap.alert?.title ?? 'the alert'} fired`,
    ],
    confidence: conf(Math.min(0.8, top + 0.05)),
    evidence: uniq(hits.map((h) => h.evidenceId)).slice(0, 5),
    mitigation: null,
    specialists: ['logs', 'dependencies'],
    signatures: uniq(hits.map((h) => h.entry.id)),
    since: new Date(first).toISOString(),
  };
  for (const c of rivals) {
    c.confidence = conf(Math.min(c.confidence, candidate.confidence - 0.1));
    c.against ??= `${c.category} (${c.culprit}): ${cut}; its trouble is reaching the outside`;
  }
  return candidate;
}

/**
 * Once the ranking is settled: when the leading story is about something every one of the cut
 * services calls, failing on its own (an instance doing their NAT, a proxy), that thing is the way
 * out they share, whatever its telemetry. Its failure is told as what it is for them, a network
 * cut, and the way around it is another path out, not a restart of what failed.
 */
export function wayOutFailed(a: Analysis, list: Candidate[]): void {
  const found = cutOff(a);
  const top = [...list].sort((x, y) => y.confidence - x.confidence)[0];
  if (!found || !top || top.changeAt || top.category === 'network') return;
  if (!sharedDependencies(a, found.services).includes(lower(top.culprit))) return;
  const name = a.snap.catalog.get(top.culprit)?.name ?? top.culprit;
  top.category = 'network';
  top.summary = `Outbound connections are being lost on the way out: ${found.cut}; what they share is ${name}, their way out, which is failing: ${top.summary}`;
  top.causalChain = [
    `${name} stopped carrying their outbound traffic`,
    found.cut,
    ...top.causalChain.slice(-1),
  ];
  top.evidence = uniq([...top.evidence, ...found.hits.map((h) => h.evidenceId)]);
  top.signatures = uniq([...(top.signatures ?? []), ...found.hits.map((h) => h.entry.id)]);
  top.mitigation =
    action('failover', name, a.knownNames, `route outbound traffic around ${name}, which is failing`) ??
    top.mitigation;
}
