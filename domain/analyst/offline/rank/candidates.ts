/**
 * All candidate root causes for an analysis, merged and ranked. Two explainers naming the same
 * culprit for the same category are one candidate with both bodies of evidence; an unknown
 * candidate is always present so that weak evidence never has to be dressed up as a conclusion.
 */
import type { Analysis } from '../analysis.js';
import { isExternal } from '../evidence/dependencies.js';
import type { KnowledgeHit } from '../evidence/knowledge.js';
import { explainChanges } from '../explain/changes.js';
import { explainDependencies } from '../explain/dependency.js';
import { explainErrors } from '../explain/errors.js';
import { explainHealth } from '../explain/health.js';
import { culpritOf, explainKnowledge, hitStrength } from '../explain/knowledge.js';
import { runsDatastore } from '../explain/knowledge-culprit.js';
import { explainPlatform } from '../explain/platform.js';
import { explainResources, isCache, isDatabase } from '../explain/resources.js';
import { explainSecurity } from '../explain/security.js';
import { explainShared } from '../explain/shared-pools.js';
import { conf, lower, ms, uniq } from '../measure.js';
import { announcedMaintenance } from './announced.js';
import { automationAfterChange } from './automation.js';
import { backpressure, slowDrainer } from './backpressure.js';
import { cacheBypass } from './cache-bypass.js';
import type { Candidate } from './candidate.js';
import { cascade, silentRelease } from './cascade.js';
import { commonPath } from './common-path.js';
import { configRelease } from './config-release.js';
import { demand } from './demand.js';
import { displacedLoad } from './displaced.js';
import { divertedTraffic } from './diverted.js';
import { offerFallbacks, offerSwitches } from './fallbacks.js';
import { latentCauses } from './latent.js';
import { latentRelease } from './latent-release.js';
import { latentSignature } from './latent-signature.js';
import { newTask } from './new-task.js';
import { outboundCut, wayOutFailed } from './outbound-cut.js';
import { outlastedProvider } from './outlasted-provider.js';
import { outsideFlood } from './outside-flood.js';
import { providerFault } from './provider-fault.js';
import { quietRelease } from './quiet-release.js';
import { reconnectStorm } from './reconnect-storm.js';
import { recoveredBefore } from './recovered-before.js';
import { beside, refusedRequests } from './relevance.js';
import { revertedRelease } from './reverted-release.js';
import { schemaRelease } from './schema-release.js';
import { confinedToScope } from './scoped.js';
import { sharedDependency } from './shared-dependency.js';
import { explainSharedErrors } from './shared-errors.js';
import { silentStall } from './silent-stall.js';
import { slowRelease } from './slow-release.js';
import { staleAddress } from './stale-address.js';
import { stuckClients } from './stuck-clients.js';
import { throughIntermediary } from './two-hop.js';
import { zonalImpairment } from './zonal.js';

/** From this up, the leading candidate is the conclusion and its action is proposed. */
export const MIN_CONFIDENCE = 0.35;

/**
 * From this up to `MIN_CONFIDENCE`, the leading candidate is named as the likely cause but nothing
 * is proposed to act on it: a responder told "probably the config push, not proven" starts there,
 * and an action on that little evidence would be a guess. Below it the answer is `unknown`.
 * Measured on `corpus/dev`: the band turns three unknowns into the right category and one into a
 * wrong one.
 */
export const TENTATIVE_CONFIDENCE = 0.25;

const withoutRevert = (m: Candidate['mitigation'], noRemedy: boolean | undefined) =>
  noRemedy && m?.kind === 'rollback' ? null : m;

/** A candidate's action, unless it only undoes a change record that the other's signature says nothing undoes. */
const recordAction = (c: Candidate, other: Candidate) =>
  c.changeAt && !c.signatures?.length && other.noRemedy ? null : c.mitigation;

/**
 * A resource running out says how it looked; a known failure on it that says it is no shortage (a
 * host with hardware faults) says what happened: merged, the signature's action wins over adding
 * capacity. Signatures of the shortage itself (a container killed for memory) leave it standing.
 */
const knownRemedy = (strong: Candidate, weak: Candidate) =>
  strong.effect &&
  !strong.effect.explained &&
  !strong.signatures?.length &&
  weak.rulesOut?.some((r) => r.category === 'capacity') &&
  weak.mitigation
    ? weak.mitigation
    : undefined;

function merge(list: Candidate[]): Candidate[] {
  const out: Candidate[] = [];
  for (const c of list) {
    const twin = out.find((o) => o.category === c.category && lower(o.culprit) === lower(c.culprit));
    if (!twin) {
      out.push({ ...c, evidence: uniq(c.evidence), specialists: uniq(c.specialists) });
      continue;
    }
    const [strong, weak] = twin.confidence >= c.confidence ? [twin, c] : [c, twin];
    // The known signature behind the weaker story still says what the failure is.
    const title =
      weak.signatures?.length && weak.summary.startsWith(`${weak.culprit}: `)
        ? weak.summary.slice(weak.culprit.length + 2).split('. ')[0]
        : undefined;
    const known = title && !strong.summary.includes(title) ? title : undefined;
    Object.assign(twin, {
      ...strong,
      summary: known
        ? `${strong.summary.replace(/\.$/, '')}; it matches the known failure ${known}.`
        : strong.summary,
      // Independent support for the same conclusion raises confidence a little, never to certainty.
      confidence: conf(Math.min(0.95, strong.confidence + weak.confidence * 0.15)),
      evidence: uniq([...strong.evidence, ...weak.evidence]),
      specialists: uniq([...strong.specialists, ...weak.specialists]),
      // A signature that says nothing in the catalog undoes this cause wins over what a change
      // record suggests (a deletion job cannot be rolled back, hosts a command rebooted are not
      // scaled back); other actions (more storage for a full disk) still stand.
      mitigation: withoutRevert(
        knownRemedy(strong, weak) ?? recordAction(strong, weak) ?? recordAction(weak, strong),
        strong.noRemedy || weak.noRemedy,
      ),
      noRemedy: strong.noRemedy || weak.noRemedy,
      signatures: uniq([...(strong.signatures ?? []), ...(weak.signatures ?? [])]),
      rulesOut: [...(strong.rulesOut ?? []), ...(weak.rulesOut ?? [])],
      since: [strong.since, weak.since].filter((x) => !!x).sort()[0],
    });
  }
  return out;
}

/**
 * A change that landed after an anomaly which already has its own explanation (a consumer's
 * burst, a leak) came too late to be the cause: it is weakened, however well it lines up otherwise.
 */
function preempt(list: Candidate[]): void {
  for (const change of list) {
    if (!change.changeAt) continue;
    const earlier = list.find(
      (e) => e.effect?.explained && e.confidence >= 0.5 && ms(e.effect.at) < ms(change.changeAt!) - 60_000,
    );
    if (!earlier?.effect) continue;
    change.confidence = conf(change.confidence * 0.6);
    change.against = `${change.culprit}: landed after ${earlier.effect.headline} had already begun`;
  }
}

/**
 * A change's own signature (a record deleted, a rule replaced, a parameter changed) is more
 * evidence for that change, not a second hypothesis about it: folded into the change candidate.
 */
function foldChangeSignatures(a: Analysis, list: Candidate[]): Candidate[] {
  const drop = new Set<Candidate>();
  for (const k of list) {
    if (!k.signatures?.length || !k.changeAt) continue;
    const change = list.find(
      (c) => c !== k && !c.signatures?.length && c.changeAt && c.evidence[0] === k.evidence[0],
    );
    if (!change) continue;
    change.signatures = uniq([...(change.signatures ?? []), ...k.signatures]);
    change.rulesOut = [...(change.rulesOut ?? []), ...(k.rulesOut ?? [])];
    change.evidence = uniq([...change.evidence, ...k.evidence]);
    change.confidence = conf(Math.max(change.confidence, k.confidence) + 0.05);
    // The signature of the event itself (UpdateDistribution is a CDN's configuration) says what
    // kind of change it was better than a word its summary happens to mention ("db", "policy").
    // What a change does to routes, sizes or flags is read from its words and stays.
    // A database change is one made to a database.
    const guessed =
      change.category === 'configuration' ||
      (change.category === 'database' &&
        !isDatabase(change.changeService) &&
        !(change.changeService && runsDatastore(a, change.changeService)));
    if (guessed && k.category !== 'dependency') change.category = k.category;
    // The change's own signature says what undoes it; where it says nothing in the catalog does
    // (a deletion, a permanent job), reverting the record or scaling back what it took away would
    // only pretend to.
    change.mitigation = k.noRemedy ? k.mitigation : (change.mitigation ?? k.mitigation);
    drop.add(k);
  }
  return list.filter((c) => !drop.has(c));
}

/**
 * A database that a cache fronts for the same caller: both are its dependencies. When the cache
 * fails its caller falls back to the database, which then takes every read the cache absorbed.
 */
function behindCache(a: Analysis, db: string, cache: string): boolean {
  if (!isDatabase(db) || isCache(db) || !isCache(cache)) return false;
  return a.snap.catalog
    .dependents(cache)
    .some((caller) => a.snap.catalog.dependencies(caller).some((d) => lower(d) === lower(db)));
}

/** Two culprits on one dependency path (either way round), or the same. */
function onPath(a: Analysis, x: string, y: string): boolean {
  if (lower(x) === lower(y)) return true;
  const r = a.snap.catalog.relation(x, y);
  return r === 'dependency' || r === 'dependent';
}

/**
 * A hypothesis backed by a known failure signature explains away what its signature rules out
 * (a disk that is full is not a capacity problem to scale) and the symptoms that followed it on
 * the same path (a queue backing up behind a database refusing writes): those are weakened, in
 * proportion to how sure the explanation is, and keep the reason for the ruled-out list.
 */
function subsume(a: Analysis, list: Candidate[]): void {
  for (const k of list) {
    if (!k.signatures?.length || k.confidence < 0.4) continue;
    for (const x of list) {
      if (x === k || x.category === k.category) continue;
      const rule = k.rulesOut?.find((r) => r.category === x.category);
      // "Nothing is wrong" is ruled out wherever it was said; other categories along the path.
      // A change is on the path of the service it was made to (glue records of the nameservers).
      const related =
        x.category === 'healthy' ||
        onPath(a, x.culprit, k.culprit) ||
        (!!k.changeService && onPath(a, x.culprit, k.changeService)) ||
        (!!x.effect && onPath(a, x.effect.resource, k.culprit));
      // Running out "whatever the load" does not hold where the load did grow.
      const grew = rule?.category === 'capacity' && !!x.effect?.surged;
      if (rule && related && !grew) {
        x.confidence = conf(x.confidence * (1 - 0.5 * k.confidence));
        x.against = `${x.category} (${x.culprit}): ${rule.reason}`;
        continue;
      }
      // "Its callers fail on it" names a service of ours that broke; its own known failure says
      // why, and is the hypothesis to act on.
      if (
        x.category === 'dependency' &&
        !x.signatures?.length &&
        lower(x.culprit) === lower(k.culprit) &&
        !isExternal(a.snap.catalog, k.culprit)
      ) {
        x.confidence = conf(x.confidence * (1 - 0.5 * k.confidence));
        x.against = `dependency (${x.culprit}): ${k.culprit}'s own ${k.signatures[0]} says why it failed`;
        continue;
      }
      const effect = x.effect;
      if (!effect || effect.explained || k.changeAt || !k.since) continue;
      if (ms(k.since) > ms(effect.at) + 2 * 60_000) continue;
      if (!onPath(a, effect.resource, k.culprit) && !behindCache(a, effect.resource, k.culprit)) continue;
      x.confidence = conf(x.confidence * 0.75);
      x.against = `${x.category} (${x.culprit}): ${effect.headline}, which followed ${k.culprit}'s ${k.signatures[0]}`;
      if (!k.causalChain.includes(effect.headline)) k.causalChain.splice(1, 0, effect.headline);
    }
  }
}

/**
 * A component of ours that its callers see failing, which ran out of something under load before
 * they did (a broker's heap filling as the writes to it grew): running out is why it failed, so
 * the shortage is the hypothesis to act on, and "it failed" is its effect. So too when the affected
 * service itself had run out minutes before the dependency faltered: what came after did not start
 * it (its callers' load, retries and warm-ups, may well be what the dependency met).
 */
/** The affected service must have run out this long before its dependency faltered to come first. */
const SELF_FIRST_MS = 3 * 60_000;

function ranOutFirst(a: Analysis, list: Candidate[]): void {
  for (const x of list) {
    if (x.category !== 'dependency' || !x.effect || x.changeAt || isExternal(a.snap.catalog, x.culprit))
      continue;
    const short = list.find(
      (c) =>
        c.category === 'capacity' &&
        c.effect?.loadLinked &&
        !c.against &&
        c.confidence >= 0.5 &&
        ((lower(c.effect.resource) === lower(x.culprit) && ms(c.effect.at) < ms(x.effect!.at)) ||
          (lower(c.effect.resource) === lower(a.snap.service) &&
            ms(c.effect.at) + SELF_FIRST_MS <= ms(x.effect!.at))),
    );
    if (!short) continue;
    x.confidence = conf(Math.min(x.confidence, short.confidence - 0.05));
    x.against = `dependency (${x.culprit}): ${short.effect!.headline} before it failed`;
    if (!short.causalChain.includes(x.effect.headline)) short.causalChain.splice(-1, 0, x.effect.headline);
  }
}

/**
 * Symptoms that a known signature describes (lock waits, pools running dry, timeouts) and that
 * began on a change's path just after it are that change's effects: they corroborate the change
 * and stop competing with it. A signature that names a cause of its own (a full disk, an expired
 * certificate) is left to compete on its evidence.
 */
/** A signature of a block volume itself (EBS): I/O errors, tasks hung on the disk, credits spent. */
const onVolume = (h: KnowledgeHit): boolean => h.entry.technologies.some((t) => lower(t) === 'ebs');

function corroborateChanges(a: Analysis, list: Candidate[]): void {
  for (const c of list) {
    if (!c.changeAt || c.confidence < 0.2 || c.against) continue;
    const origin = c.changeService ?? a.snap.service;
    const path = new Set([lower(origin), ...a.snap.catalog.dependencies(origin).map(lower)]);
    // A change the correlation already tied to the affected service reaches it and its dependencies.
    const scored = a.changes.find((s) => s.change.id === c.evidence[0]);
    const placed = scored?.relation === 'self' || scored?.relation === 'dependency';
    if (placed) {
      for (const n of [a.snap.service, ...a.snap.catalog.dependencies(a.snap.service)]) path.add(lower(n));
    }
    const grace = c.category === 'deployment' ? 6 : 2;
    const named = [lower(c.changeService), lower(scored?.change.resource)].filter((n) => n.length >= 3);
    // After a slow burn began with the change, or once something asked for what it took away,
    // whatever gave way on its path is its effect, however long it took.
    const lasting = !!scored?.burnSince || !!scored?.missing;
    const until = lasting ? ms(a.snap.alertAt) + 5 * 60_000 : ms(c.changeAt) + 30 * 60_000;
    // A failure logged in the words of the change's own known signature (an SCP edited, then calls
    // denied "in a service control policy") is its effect wherever it shows, whatever the catalog
    // says of who depends on whom: the error names the kind of thing that was changed. (A change
    // the correlation placed on the path already reaches its effects there.)
    const shared = new Set(
      (placed ? [] : a.knowledge)
        .filter(
          (h) => h.on === 'change' && c.evidence.includes(h.evidenceId) && h.entry.specificity === 'high',
        )
        .map((h) => h.entry.id),
    );
    const effects = a.knowledge.filter(
      (h) =>
        h.on !== 'change' &&
        // Symptoms follow any cause, but one that blames a peer is that peer's unless the change
        // touched it; a failure with a cause of its own counts only when it is the same kind as the
        // change or names what was changed, and began within ten minutes of it.
        (lasting ||
          (h.entry.role === 'symptom' &&
            (h.entry.blames === 'self' || named.includes(lower(culpritOf(a, h))))) ||
          ((h.entry.category === c.category || h.mentions.some((m) => named.includes(lower(m)))) &&
            ms(h.at) <= ms(c.changeAt!) + 10 * 60_000)) &&
        (path.has(lower(h.service)) || shared.has(h.entry.id)) &&
        // A host's volume failing (I/O errors, tasks hung on the disk) is no effect of a change
        // made elsewhere: nothing another service ships reaches a disk it does not run on.
        !(onVolume(h) && lower(h.service) !== lower(origin) && !named.includes(lower(h.service))) &&
        ms(h.at) >= ms(c.changeAt!) - grace * 60_000 &&
        ms(h.at) <= until,
    );
    if (!effects.length) continue;
    // The most telling effect leads the story (a container killed for memory, not the resets it caused).
    effects.sort((x, y) => hitStrength(y) - hitStrength(x));
    const entries = uniq(effects.map((h) => h.entry.id));
    // What followed includes a loss nothing in the catalog undoes (data files gone): reverting
    // the change would not bring it back.
    if (
      c.mitigation?.kind === 'rollback' &&
      effects.some((h) => h.entry.role === 'cause' && !h.entry.mitigations.length)
    ) {
      c.mitigation = null;
      c.noRemedy = true;
    }
    c.confidence = conf(Math.min(0.9, c.confidence + Math.min(0.25, 0.1 * entries.length)));
    c.evidence = uniq([...c.evidence, ...effects.slice(0, 4).map((h) => h.evidenceId)]);
    c.signatures = uniq([...(c.signatures ?? []), ...entries]);
    const headline = `${effects[0].entry.title} on ${effects[0].service}`;
    if (!c.causalChain.includes(headline)) c.causalChain.splice(1, 0, headline);
    c.summary = `${c.summary.replace(/\.$/, '')}; what followed matches known signatures: ${uniq(
      effects.map((h) => h.entry.title),
    )
      .slice(0, 2)
      .join('; ')}.`;
    for (const x of list) {
      if (x === c || x.changeAt || !x.signatures?.length) continue;
      // Mostly the change's effects: the rest of its evidence is too little to stand on.
      if (x.signatures.filter((id) => entries.includes(id)).length * 2 < x.signatures.length) continue;
      x.confidence = conf(x.confidence * 0.6);
      x.against = `${x.category} (${x.culprit}): ${effects[0].entry.title.toLowerCase()} began after ${c.culprit} changed, an effect of it`;
    }
  }
}

/**
 * A change made by the deployment itself (a tool the release names, acting within minutes of it:
 * kubeadm relabelling nodes during an upgrade, a migration runner altering a table; a record for
 * the very service it deploys, made alongside it; or one the released service made itself, its
 * task role publishing the data it builds) is part of that release, not a second suspect: its
 * evidence joins the deployment's.
 */
function foldIntoDeployments(a: Analysis, list: Candidate[]): Candidate[] {
  const record = (c: Candidate) => a.changes.find((s) => s.change.id === c.evidence[0])?.change;
  const drop = new Set<Candidate>();
  for (const d of list) {
    const release = d.category === 'deployment' ? record(d) : undefined;
    if (release?.kind !== 'deployment') continue;
    const by = lower(`${release.summary} ${release.actor ?? ''}`);
    for (const c of list) {
      const ch = c === d || drop.has(c) ? undefined : record(c);
      if (!ch || ch.kind === 'deployment') continue;
      const gap = ms(ch.at) - ms(release.at);
      // Named by the release, or made for the very service it deploys within a minute or two of
      // it (the chart's own access entry, created a second before its pods).
      const named = !!ch.actor && ch.actor.length >= 3 && by.includes(lower(ch.actor)) && gap >= 0;
      // Made by the released service itself (its task role writing the data it publishes).
      const byItself =
        !!ch.actor && !!release.service && lower(ch.actor).includes(lower(release.service)) && gap >= 0;
      const sameService = !!ch.service && lower(ch.service) === lower(release.service) && gap >= -2 * 60_000;
      if (gap > 10 * 60_000 || !(named || sameService || byItself)) continue;
      d.confidence = conf(Math.min(0.95, Math.max(d.confidence, c.confidence) + 0.05));
      d.evidence = uniq([...d.evidence, ...c.evidence]);
      d.signatures = uniq([...(d.signatures ?? []), ...(c.signatures ?? [])]);
      d.summary = `${d.summary.replace(/\.$/, '')}; as part of it, ${ch.actor ?? ch.service}: ${ch.summary.slice(0, 120)}.`;
      drop.add(c);
    }
  }
  return list.filter((c) => !drop.has(c));
}

export function candidates(a: Analysis): Candidate[] {
  const health = explainHealth(a);
  let all = foldIntoDeployments(
    a,
    foldChangeSignatures(
      a,
      merge([
        ...explainChanges(a),
        ...explainPlatform(a),
        ...explainResources(a),
        ...explainShared(a),
        ...explainDependencies(a),
        ...explainSecurity(a),
        ...explainErrors(a),
        ...explainKnowledge(a),
        ...explainSharedErrors(a),
        ...(health ? [health] : []),
      ]),
    ),
  );
  beside(a, all);
  preempt(all);
  corroborateChanges(a, all);
  subsume(a, all);
  ranOutFirst(a, all);
  confinedToScope(a, all);
  // A change already judged beside the point drives nothing.
  cascade(
    all.filter((c) => !c.changeAt || !c.against),
    (c) => silentRelease(a, c),
  );
  refusedRequests(a, all);
  throughIntermediary(a, all);
  commonPath(a, all);
  const cut = outboundCut(a, all);
  if (cut) all.push(cut);
  const stale = staleAddress(a, all);
  if (stale) all.push(stale);
  backpressure(a, all);
  slowDrainer(a, all);
  automationAfterChange(a, all);
  outsideFlood(a, all);
  quietRelease(a, all);
  cacheBypass(a, all);
  all = demand(a, all);
  all = displacedLoad(a, all);
  divertedTraffic(a, all);
  all = sharedDependency(a, all);
  all = latentCauses(a, all);
  all = slowRelease(a, all);
  all = newTask(a, all);
  all = stuckClients(a, all);
  latentRelease(a, all);
  latentSignature(a, all);
  recoveredBefore(a, all);
  providerFault(a, all);
  outlastedProvider(a, all);
  announcedMaintenance(a, all);
  offerFallbacks(a, all);
  offerSwitches(a, all);
  reconnectStorm(a, all);
  zonalImpairment(a, all);
  schemaRelease(a, all);
  configRelease(a, all);
  revertedRelease(a, all);
  const stall = silentStall(a, all, MIN_CONFIDENCE);
  if (stall) all.push(stall);
  wayOutFailed(a, all);
  // Equally supported, one that another explained away ranks below it, and then the one that
  // began first is the cause: causes precede their symptoms.
  const start = (c: Candidate) => c.changeAt ?? c.since ?? c.effect?.at ?? '9999';
  return all.sort(
    (x, y) =>
      y.confidence - x.confidence ||
      Number(!!x.against) - Number(!!y.against) ||
      start(x).localeCompare(start(y)) ||
      x.category.localeCompare(y.category),
  );
}
