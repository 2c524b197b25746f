/**
 * Candidates from the failure knowledge library: evidence that matches a known failure signature
 * (a database refusing writes in its own words, a pathological regex in slow-operation warnings,
 * an upgrade announced by the platform, addresses running out in a subnet) becomes a hypothesis of
 * the entry's category, about the thing the evidence says is at fault.
 *
 * A hypothesis is scored on the evidence, not on which rule fired first: how diagnostic the
 * signature is and whether it names a cause or a symptom, whether it began before or with the
 * incident (a cause precedes its symptoms), where the culprit sits on the dependency path to the
 * alarming service, how much evidence agrees (volume, other signatures, other kinds of evidence).
 */
import type { Category } from '../../../model.js';
import type { Analysis } from '../analysis.js';
import type { Relation } from '../evidence/catalog.js';
import { linedUpWithOnset } from '../evidence/changes.js';
import { isExternal } from '../evidence/dependencies.js';
import type { KnowledgeHit } from '../evidence/knowledge.js';
import { conf, headline, hhmm, lower, ms, uniq } from '../measure.js';
import { type Candidate, LEAD_ONLY } from '../rank/candidate.js';
import { type Group, mitigationFor } from './knowledge-action.js';
import { culpritOf, releaseAgainst, signingKeyOf } from './knowledge-culprit.js';
import { providerConfirms, providerOf, routeAround } from './provider.js';
import { isDatabase } from './resources.js';

export { culpritOf } from './knowledge-culprit.js';

const SPECIFICITY = { high: 0.55, medium: 0.4, low: 0.22 } as const;

/** How much a culprit's place relative to the alarming service supports it. */
const PATH_WEIGHT: Record<Relation, number> = {
  self: 1,
  dependency: 1,
  sibling: 0.75,
  dependent: 0.6,
  unrelated: 0.45,
};

/** One hit's own strength, before the evidence around it is counted. */
export function hitStrength(h: KnowledgeHit): number {
  const role = h.entry.role === 'cause' ? 1 : 0.55;
  return SPECIFICITY[h.entry.specificity] * role * (h.isNew ? 1 : 0.3);
}

function relationOf(a: Analysis, culprit: string): Relation | undefined {
  if (!a.snap.catalog.get(culprit)) return undefined;
  return a.snap.catalog.relation(culprit, a.snap.service);
}

/** What users reach the alarming service through is on their path, though the catalog draws it as a caller. */
const FRONT_DOOR_WEIGHT = 0.9;

/**
 * The alarming service's front door: a direct caller of it that nothing else calls (a CDN, an edge
 * proxy, a load balancer in front): users' requests pass through it on their way in.
 */
function frontDoor(a: Analysis, culprit: string): boolean {
  const cat = a.snap.catalog;
  const svc = cat.get(culprit);
  return (
    !!svc &&
    !!svc.dependsOn?.some((d) => lower(d) === lower(a.snap.service)) &&
    cat.dependents(svc.name).length === 0
  );
}

const SPECIALISTS_BY_HIT: Record<KnowledgeHit['on'], Candidate['specialists']> = {
  log: ['logs'],
  security: ['security'],
  change: ['changes'],
  metric: ['metrics', 'performance'],
};

function candidateOf(a: Analysis, g: Group): Candidate {
  const hits = [...g.hits].sort((x, y) => hitStrength(y) - hitStrength(x));
  const lead = hits[0];
  const entries = uniq(hits.map((h) => h.entry));
  const kinds = uniq(hits.map((h) => h.on));
  const volume = hits.filter((h) => h.on === 'log').reduce((n, h) => n + h.count, 0);
  const first = hits.map((h) => h.at).sort()[0];
  let score = hitStrength(lead);
  score += Math.min(0.12, Math.log10(volume + 1) * 0.04);
  score += Math.min(0.15, 0.07 * (entries.length - 1) + 0.07 * (kinds.length - 1));
  // A change hours old that matches a known failure only by being that kind of change (a secret
  // rotated) yields to a change on the path that landed as the incident began: like any latent
  // suspect, it never outranks a fresh change that explains the onset.
  if (hits.every((h) => h.on === 'change' && ms(h.at) < ms(a.onset) - 60 * 60_000)) {
    const fresh = a.changes.find(linedUpWithOnset);
    if (fresh) score = Math.min(score, fresh.score - 0.05);
  }
  // A cause precedes its symptoms: evidence that only began well after detection is an effect.
  if (ms(first) <= ms(a.onset) + 5 * 60_000) score += 0.05;
  else if (ms(first) > ms(a.snap.alertAt) + 15 * 60_000) score *= 0.6;
  // An actor that changed several things (a job, a script) reaches the incident through what it
  // changed, not through its own place in the catalog: placed like a resource we cannot place.
  const actor =
    hits.every((h) => h.on !== 'change' || lower(h.resource) !== lower(g.culprit)) &&
    hits.filter((h) => h.on === 'change').length >= 2;
  // With no alarming service the catalog knows, a place relative to it says nothing either way.
  const relation = actor || !a.snap.catalog.get(a.snap.service) ? undefined : relationOf(a, g.culprit);
  // A release that acted on a datastore (a migration's TRUNCATE) reaches the alarming service
  // through that datastore, and a key through the service holding it: placed there, if nearer.
  const via =
    g.holder ??
    hits.find(
      (h) =>
        h.on === 'log' &&
        lower(h.service) !== lower(g.culprit) &&
        releaseAgainst(a, h, h.service) === g.culprit,
    )?.service;
  const viaRelation = via && !actor && a.snap.catalog.get(a.snap.service) ? relationOf(a, via) : undefined;
  score *= Math.max(
    relation ? (frontDoor(a, g.culprit) ? FRONT_DOOR_WEIGHT : PATH_WEIGHT[relation]) : 0.9,
    viaRelation ? PATH_WEIGHT[viaRelation] : 0,
  );
  // The change blamed, when the culprit is a change that matched the signature itself (an SCP
  // edited) however loud the failures logged in its words: it is then judged as that change.
  const blamed =
    lead.on === 'change'
      ? lead
      : hits.find((h) => h.on === 'change' && lower(h.resource) === lower(g.culprit));
  const where =
    lead.service && lower(lead.service) !== lower(g.culprit) ? ` (logged by ${lead.service})` : '';
  const quoteText = headline(lead.sample).slice(0, 140);
  const evidenceLine =
    lead.on === 'change'
      ? `change${lead.service && lower(lead.service) !== lower(g.culprit) ? ` to ${lead.service}` : ''} at ${hhmm(lead.at)}: "${quoteText}"`
      : lead.on === 'metric'
        ? `${quoteText} at ${hhmm(lead.at)}`
        : `"${quoteText}" (${lead.count}x from ${hhmm(lead.at)})${where}`;
  // A failing dependency with a healthy standby is failed over, whatever broke inside it.
  const actionKinds = uniq(entries.flatMap((e) => e.mitigations));
  const mitigation = mitigationFor(
    a,
    g,
    g.category === 'dependency' ? uniq(['failover' as const, ...actionKinds]) : actionKinds,
  );
  return {
    category: g.category,
    culprit: g.culprit,
    summary: `${g.culprit}: ${lead.entry.title}. ${lead.entry.meaning.replace(/\.?$/, '.')} Evidence: ${evidenceLine}.`,
    causalChain: [
      `${g.culprit}: ${lead.entry.title.toLowerCase()} from ${hhmm(first)}`,
      `${a.snap.alert?.title ?? 'the alert'} fired`,
    ],
    confidence: conf(Math.min(0.9, score)),
    evidence: uniq(hits.map((h) => h.evidenceId)).slice(0, 8),
    mitigation,
    specialists: uniq(kinds.flatMap((k) => SPECIALISTS_BY_HIT[k])),
    signatures: entries.map((e) => e.id),
    rulesOut: entries.flatMap((e) => e.rulesOut),
    since: first,
    noRemedy: entries.every((e) => e.role === 'cause' && !e.mitigations.length),
    ...(blamed ? { changeAt: blamed.at, changeService: blamed.service } : {}),
  };
}

/** A regional AWS service endpoint (`dynamodb.us-east-1.amazonaws.com`): AWS operates its name. */
const AWS_SERVICE_ENDPOINT = /\b[a-z0-9-]+\.(?:[a-z]{2}(?:-gov)?-[a-z]+-\d)\.amazonaws\.com\b/i;

/**
 * A name that fails to resolve while it is a provider's own public endpoint is the provider failing
 * (its DNS records are not ours to break), not our network: the resolver answered, the name did not.
 */
const providerName = (h: KnowledgeHit): boolean =>
  h.entry.category === 'network' &&
  h.entry.technologies.includes('dns') &&
  AWS_SERVICE_ENDPOINT.test(h.sample);

/**
 * A datastore we run (a cache cluster, a database in our catalog) failing is a database cause, as
 * the dependency explainer calls it: "a dependency is down" is for what someone else operates.
 */
const ownDatastore = (a: Analysis, culprit: string, h: KnowledgeHit): boolean =>
  // A datastore's own process failing (its heap exhausted, a crash) is the database failing too:
  // its code is not ours to fix.
  (h.entry.category === 'dependency' ||
    (h.entry.category === 'code' && h.entry.blames === 'self' && lower(h.service) === lower(culprit))) &&
  // Its own failure in its own words; a caller's timeouts towards it say nothing about what broke.
  h.entry.role === 'cause' &&
  !!a.snap.catalog.get(culprit) &&
  !isExternal(a.snap.catalog, culprit) &&
  (isDatabase(culprit) ||
    a.views.some((v) => lower(v.service) === lower(culprit) && isDatabase(undefined, v.series.namespace)));

/** Words or a change say what happened; a metric alone only when it is itself a known cause. */
const standsAlone = (h: KnowledgeHit): boolean =>
  h.on !== 'metric' || (h.entry.role === 'cause' && h.entry.specificity !== 'low');

/**
 * A provider's notice that nothing of ours confirms (no series of ours moved where it says, no line
 * of ours names it) is a lead, not a conclusion: providers post notices all the time, and most touch
 * someone else. Its own signal (`explain/platform.ts`) or a confined scope (`routeAround`) confirms it.
 */
function theirWordOnly(c: Candidate): Candidate {
  return {
    ...c,
    confidence: conf(Math.min(c.confidence, LEAD_ONLY)),
    summary: `${c.summary.replace(/\.$/, '')}; nothing of ours shows it yet.`,
  };
}

export function explainKnowledge(a: Analysis): Candidate[] {
  const groups = new Map<string, Group>();
  for (const h of a.knowledge) {
    // Someone else's service failing is theirs, whatever the symptom looks like (provider.ts).
    const provider = providerOf(a, h);
    // A rejected certificate is the one the issuer signs with, when the issuer's lines name it.
    const signer = provider ? undefined : signingKeyOf(a, h);
    const culprit = provider ?? signer?.key ?? culpritOf(a, h);
    if (!culprit) continue;
    // Whatever went wrong inside a party we do not run (a vendor's certificate, its 503s) is, for
    // us, that dependency failing.
    // An entry that calls what it matched a release, matched on a record that is no release (a
    // listener rule edited by hand), says what the change did; its kind is the record's own.
    const changed =
      h.on === 'change' && h.entry.category === 'deployment'
        ? a.changes.find((c) => c.change.id === h.evidenceId && c.change.kind !== 'deployment')
        : undefined;
    const category: Category =
      provider || (h.entry.blames === 'peer' && isExternal(a.snap.catalog, culprit)) || providerName(h)
        ? 'dependency'
        : ownDatastore(a, culprit, h)
          ? 'database'
          : changed && changed.category !== 'unknown'
            ? changed.category
            : h.entry.category;
    const key = `${category}|${lower(culprit)}`;
    const g = groups.get(key) ?? { category, culprit, hits: [], holder: signer?.service };
    g.hits.push(h);
    groups.set(key, g);
  }
  return (
    [...groups.values()]
      .filter((g) => g.hits.some(standsAlone))
      // Symptoms of one's own (timeouts, probes failing, pools running dry) say something broke
      // here, not why: they support other hypotheses. Symptoms that name a peer point at it.
      .filter((g) => g.hits.some((h) => h.entry.role === 'cause' || lower(g.culprit) !== lower(h.service)))
      .map((g) => {
        const c = providerConfirms(a, candidateOf(a, g));
        const routed = routeAround(a, c);
        return routed === c && g.hits.every((h) => h.on === 'change') && providerOf(a, g.hits[0])
          ? theirWordOnly(c)
          : routed;
      })
      .filter((c) => c.confidence >= 0.12)
  );
}
