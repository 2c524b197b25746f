/**
 * Change correlation: which deployments and config/infra changes could have caused the incident.
 * A change counts when it landed shortly before onset on the affected service or something it
 * depends on, and more when the failure that followed shows up where the change was made.
 * Changes after onset, long before it, or on unrelated services are weighed down (and reported
 * as ruled out), because most incidents have a recent change nearby that did nothing.
 */
import type { Category } from '../../../model.js';
import type { ChangeRecord, LogSignature } from '../../../ports.js';
import { fmtNumber, headline, lower, mentionedNames, minutesBetween, ms } from '../measure.js';
import type { Catalog, Relation } from './catalog.js';
import {
  corroborate,
  missingWhatItRemoved,
  ownErrors,
  ownWords,
  slowBurn,
  stillAtWork,
  takenIn,
} from './change-effects.js';
import { type ChangeFlavor, changeFlavor, FLAVOR_CATEGORY } from './change-flavor.js';
import { deliveredFrom, madeByRun, madeWithin, overtaken, supersededBy } from './change-precedence.js';
import {
  actedOn,
  customerInput,
  type Disowned,
  errorsNotItsOwn,
  removedBy,
  routineReason,
  tookDown,
} from './change-relevance.js';
import type { RankedSignature } from './logs.js';
import type { SeriesView } from './series.js';
import { isAnomalous } from './series.js';

export { type ChangeFlavor, changeFlavor, isPlatformEvent, revertTarget } from './change-flavor.js';

export interface ScoredChange {
  change: ChangeRecord;
  flavor: ChangeFlavor;
  category: Category;
  /** Service the change touched: its own, or a known service its resource names. */
  service?: string;
  relation: Relation;
  /** Minutes from the change to onset; negative when the change came after. */
  leadMinutes: number;
  /** The person's change (a merge) this automated apply delivered: what to name and revert. */
  deliveredFrom?: ScoredChange;
  /** Signals that appeared on the changed service after the change. */
  corroboration: string[];
  /** An accumulating resource that climbed from the change on and never recovered: when it began. */
  burnSince?: string;
  /** What climbed, in words: "a lasting rise of CPUUtilization on web-app, from 20.1 as it landed to 99.2". */
  burnNote?: string;
  score: number;
  /** Why it scored low, for `ruledOut`. */
  against?: string;
  /** A line on a dependency it shares with the affected service that shows it at work there. */
  actedOn?: LogSignature;
  /** It is a routine, recurring operation (a balancer round, a backup): why, in a clause. */
  routine?: string;
  /** Why the new errors that followed it are not its own. */
  disowned?: Disowned;
  /** The new error on its service that its own words are about (`ownWords`). */
  ownWords?: RankedSignature;
  /** A line of the affected service showing it loaded what the change wrote (`takenIn`). */
  takenIn?: LogSignature;
  /** A failure asking for what the change took away (`missingWhatItRemoved`). */
  missing?: LogSignature;
  /** The changed resource's last line still at work on it before the failure (`stillAtWork`). */
  atWork?: LogSignature;
}

const RELATION_WEIGHT: Record<Relation, number> = {
  self: 1,
  dependency: 0.8,
  sibling: 0.45,
  dependent: 0.3,
  unrelated: 0.12,
};

/**
 * How plausible a change is as a cause given only its timing relative to onset. Regressions from
 * a change usually show within minutes of it landing; the longer the quiet gap, the weaker the link.
 */
export function timingWeight(leadMinutes: number, kind: ChangeRecord['kind']): number {
  // Deployments are recorded at completion and roll out progressively: a few minutes of overlap is normal.
  const grace = kind === 'deployment' ? 6 : 3;
  if (leadMinutes < -grace) return 0.05;
  if (leadMinutes <= 10) return 1;
  if (leadMinutes <= 30) return 1 - ((leadMinutes - 10) / 20) * 0.4;
  if (leadMinutes <= 60) return 0.6 - ((leadMinutes - 30) / 30) * 0.3;
  return 0.2;
}

/** The timing a release is credited with when its service fails on what it changed (`ownWords`). */
const OWN_WORDS_TIMING = 0.8;

/**
 * A change on the affected service or what it depends on, scored as a suspect, that landed as the
 * incident began (up to ten minutes before, or within a rollout's grace after).
 */
export const linedUpWithOnset = (c: ScoredChange): boolean =>
  c.score >= 0.4 &&
  (c.relation === 'self' || c.relation === 'dependency') &&
  c.flavor !== 'benign' &&
  c.flavor !== 'platform' &&
  c.leadMinutes >= -6 &&
  c.leadMinutes <= 10;

/** Error classes that say a connection could not be made at all. */
const CONNECTIVITY: ReadonlySet<string> = new Set(['network', 'dependency', 'timeout', 'tls']);

/** The record itself says the change was undone: there is nothing left of it to roll back. */
export const undoneAlready = (c: ChangeRecord): boolean =>
  c.kind === 'change' &&
  /\b(?:values? |changes? |it )?(?:reverted|rolled back|backed out)\b/i.test(c.summary);

/**
 * A step responders took against trouble already under way, in the record's own words: to
 * diagnose it ("disabled on six nodes for diagnosis", "scaled while investigating") or to work off
 * what it piled up ("14 -> 24 to drain backlog"), or to recover ("a recovery step after the cluster
 * regained quorum"). Made because of the incident, not a cause of it.
 */
export const isResponseStep = (c: ChangeRecord): boolean =>
  c.kind === 'change' &&
  /\b(?:for|to) (?:diagnos(?:e|is|ing)|troubleshoot(?:ing)?)\b|\bwhile (?:investigating|diagnosing|troubleshooting)\b|\bto (?:drain|work (?:through|off)|catch up on|clear) (?:the |a |its )?(?:\w+ )?(?:backlog|queue|lag)\b|\brecovery step\b/i.test(
    c.summary,
  );

/**
 * Changes made by an autoscaler are reactions to load, not causes: by its name in the actor or the
 * summary, or a Kubernetes HPA's own rescale event. A person patching an HPA's bounds is not one.
 */
export const isAutomaticReaction = (c: ChangeRecord): boolean =>
  /autoscal|auto-scal|application-autoscaling|karpenter|cluster-autoscaler|scaling policy|target tracking/i.test(
    `${c.actor ?? ''} ${c.summary}`,
  ) ||
  /^(?:hpa|keda)(?:-controller|-operator)?$|^horizontal-pod-autoscaler$/i.test(c.actor ?? '') ||
  /^(?:HorizontalPodAutoscalerRescale|SuccessfulRescale)$/i.test(c.status ?? '');

/** The known service a change touched: its own, else one its resource or summary names. */
function changedService(c: ChangeRecord, catalog: Catalog): string | undefined {
  if (c.service) return catalog.get(c.service)?.name ?? c.service;
  return mentionedNames(`${c.resource ?? ''} ${c.summary}`, catalog.names())[0];
}

export function scoreChanges(
  changes: ChangeRecord[],
  opts: {
    catalog: Catalog;
    service?: string;
    onset: string;
    alertAt: string;
    signatures: RankedSignature[];
    series: SeriesView[];
    /** Every log line, errors or not, for the traces a change leaves where it acted. */
    logs?: LogSignature[];
    /** Accumulating resources read over the change lookback (see gather's `trends`). */
    trends?: SeriesView[];
    /** Services hogging a pool the affected service also draws on: related despite the catalog. */
    poolHogs?: string[];
  },
): ScoredChange[] {
  const hogs = new Set((opts.poolHogs ?? []).map(lower));
  const touched = new Set(
    changes.map((c) => lower(changedService(c, opts.catalog))).filter((n) => n.length > 0),
  );
  const scored = changes
    .map((change) => {
      const flavor = changeFlavor(change, opts.catalog.names());
      const service = changedService(change, opts.catalog);
      let relation = opts.catalog.relation(service, opts.service);
      const resource = lower(change.resource);
      // A change whose resource the new errors name is related whatever its service tag says.
      const namedByErrors =
        !!resource &&
        resource.length >= 3 &&
        opts.signatures.some((s) => s.isNew && lower(s.sig.sample).includes(resource));
      if (relation === 'unrelated' && namedByErrors) relation = 'dependency';
      // The affected service's own lines name what the change wrote, right after it and before
      // the failure (`downloaded smartedge/optimization.bin ... loading`): it took the change in.
      const taken = takenIn(change, opts.service, opts.logs ?? [], opts.onset);
      if (taken && (relation === 'unrelated' || relation === 'sibling')) relation = 'dependency';
      // The new errors ask for what the change took away.
      const missing = missingWhatItRemoved(change, opts.logs ?? [], opts.onset);
      if (missing && (relation === 'unrelated' || relation === 'sibling')) relation = 'dependency';
      if (!service && !resource && relation === 'unrelated') relation = 'sibling';
      if (relation === 'unrelated' && hogs.has(lower(service))) relation = 'dependency';
      // Network changes hit shared infrastructure: related when connections start failing after them.
      if (relation === 'unrelated' && flavor === 'network' && !opts.catalog.get(service)) {
        const connErrors = opts.signatures.some(
          (s) =>
            s.isNew &&
            lower(s.sig.service) === lower(opts.service) &&
            CONNECTIVITY.has(s.cls) &&
            ms(s.sig.firstSeen) >= ms(change.at) - 60_000 &&
            ms(s.sig.firstSeen) <= ms(change.at) + 15 * 60_000,
        );
        if (connErrors) relation = 'dependency';
      }
      if (relation === 'unrelated' && sharedBlast(change, service, opts.series)) relation = 'dependency';
      // What fails is asked for things that are not there (a CDN's 4xx, not its 5xx): the pages
      // that ask for them come from its caller, and a release of that caller changed what they ask.
      if (
        relation === 'dependent' &&
        change.kind === 'deployment' &&
        askedForMissing(opts.service, opts.series)
      )
        relation = 'dependency';
      const affectedDeps = opts.catalog.dependencies(opts.service).map(lower);
      const workedOn =
        (relation === 'sibling' || relation === 'unrelated') && service
          ? actedOn(
              change,
              opts.catalog.dependencies(service).filter((d) => affectedDeps.includes(lower(d))),
              opts.logs ?? [],
              opts.catalog.names(),
              opts.onset,
            )
          : undefined;
      if (workedOn) relation = 'dependency';
      // A change whose component says it took away the affected service acted on it as directly as
      // a release of it; one that took away what it calls is on its path.
      const removes = (targets: string[]) =>
        relation === 'sibling' || relation === 'unrelated'
          ? (tookDown(change, service, targets, opts.logs ?? [], opts.catalog.names(), opts.onset) ??
            removedBy(change, service, targets, opts.logs ?? [], opts.onset))
          : undefined;
      const removedSelf = removes([opts.service ?? '']);
      const removed = removedSelf ?? removes(opts.catalog.dependencies(opts.service));
      if (removed) relation = removedSelf ? 'self' : 'dependency';
      const leadMinutes = minutesBetween(change.at, opts.onset);
      const routine = routineReason(change);
      const disowned = errorsNotItsOwn(change, service, ownErrors(change, service, opts.signatures, 30), {
        signatures: opts.signatures,
        names: opts.catalog.names(),
        touched,
        calls: (caller) => opts.catalog.dependencies(caller).map(lower).includes(lower(service)),
        shares: (peer) => {
          const mine = new Set(opts.catalog.dependencies(service).map(lower));
          return opts.catalog.dependencies(peer).some((d) => mine.has(lower(d)));
        },
      });
      const corroboration = corroborate(change, service, { ...opts, disowned: !!disowned });
      if (namedByErrors) corroboration.push(`new errors name ${change.resource}`);
      if (taken && !namedByErrors)
        corroboration.push(`${taken.service} took it in just before failing: "${taken.sample.slice(0, 90)}"`);
      // A release whose own words are what its service now fails on is tied to the failure by its
      // content, however long it took to roll out.
      // Only on the alarming service's path: a caller's release breaking its own page is its own
      // trouble, not what the alarm is about.
      const words =
        disowned || (relation !== 'self' && relation !== 'dependency')
          ? undefined
          : ownWords(change, service, opts.signatures, opts.onset, opts.catalog.names());
      if (words)
        corroboration.push(
          `its service fails on what it changed: "${headline(words.sig.sample).slice(0, 90)}"`,
        );
      if (workedOn)
        corroboration.push(`it acted on ${workedOn.service} as it landed: "${workedOn.sample.slice(0, 90)}"`);
      if (removed)
        corroboration.push(`it took down what fails as it landed: "${removed.sample.slice(0, 90)}"`);
      if (missing)
        corroboration.push(
          `the new errors ask for what it took away: "${headline(missing.sample).slice(0, 90)}"`,
        );
      // A slow-burning effect (memory or handles climbing from the release on, until something
      // gives) ties the change to the incident through an anomaly that never let go: timing is
      // then measured to where that anomaly began, not to when it finally paged.
      const burn = slowBurn(
        change,
        service,
        opts.trends ?? opts.series,
        opts.catalog.get(service)?.dependsOn ?? [],
      );
      // A change still at work when things broke is timed from its last line at work.
      const working = burn ? undefined : stillAtWork(change, service, opts.logs ?? [], opts.onset, changes);
      if (working)
        corroboration.push(
          `it was still at work on ${service} as things broke: "${headline(working.sample).slice(0, 90)}"`,
        );
      // A release's own words tie it by content, so a long rollout does not count against it.
      const timing = Math.max(
        timingWeight(
          burn
            ? minutesBetween(change.at, burn.since)
            : working
              ? minutesBetween(working.firstSeen, opts.onset)
              : leadMinutes,
          change.kind,
        ),
        words || missing ? OWN_WORDS_TIMING : 0,
      );
      if (burn)
        corroboration.push(
          `${burn.view.series.metricName} on ${burn.service} climbed from the change on and never recovered`,
        );
      let score = timing * RELATION_WEIGHT[relation] * 0.7;
      // Errors about what it changed say more than errors that merely followed it: they count twice.
      score += Math.min(0.3, (corroboration.length + (words ? 1 : 0)) * 0.15);
      // A change that was followed by nothing for a while before the incident began is a weaker
      // suspect than one whose effects showed as it landed.
      if (!corroboration.length && leadMinutes > 10) score *= 0.75;
      if (change.status === 'rolled-back' || change.status === 'failed' || undoneAlready(change))
        score *= 0.5;
      if (isAutomaticReaction(change) || flavor === 'platform') score *= 0.3;
      // Made because the trouble was already seen: it came after the incident began.
      if (flavor === 'benign' || isResponseStep(change)) score *= 0.1;
      // A routine operation rarely breaks what it runs on; errors a change's content does not
      // explain, or that its untouched peers share, are not its own (`change-relevance.ts`).
      if (routine) score *= 0.35;
      else if (customerInput(change)) score *= 0.6;
      if (disowned) score *= 0.4;
      const scored: ScoredChange = {
        change,
        flavor,
        category: FLAVOR_CATEGORY[flavor],
        service,
        relation,
        leadMinutes,
        corroboration,
        ...(burn
          ? {
              burnSince: burn.since,
              burnNote: `a lasting rise of ${burn.view.series.metricName} on ${burn.service}, from ${fmtNumber(burn.from)} as it landed to ${fmtNumber(burn.to)}`,
            }
          : {}),
        ...(workedOn ? { actedOn: workedOn } : {}),
        ...(routine ? { routine } : {}),
        ...(disowned ? { disowned } : {}),
        ...(words ? { ownWords: words } : {}),
        ...(taken ? { takenIn: taken } : {}),
        ...(missing ? { missing } : {}),
        ...(working ? { atWork: working } : {}),
        score: Math.min(0.95, score),
      };
      scored.against = against(scored);
      return scored;
    })
    .sort((a, b) => b.score - a.score);
  for (const late of scored) overtaken(late, scored, opts.series);
  for (const window of scored) madeWithin(window, scored, opts.onset);
  for (const early of scored) supersededBy(early, scored, opts.signatures, opts.catalog.names());
  for (const apply of scored) deliveredFrom(apply, scored, opts.logs ?? []);
  for (const call of scored) madeByRun(call, scored);
  return scored.sort((a, b) => b.score - a.score);
}

/** The affected service's new failures are all refusals of what was asked (4xx, not found), none its own (5xx). */
function askedForMissing(service: string | undefined, series: SeriesView[]): boolean {
  const failing = series.filter(
    (v) =>
      lower(v.service) === lower(service) &&
      v.kind === 'errors' &&
      isAnomalous(v) &&
      v.onset!.direction === 'up',
  );
  return failing.length > 0 && failing.every((v) => /4xx|not.?found|404/i.test(v.series.metricName));
}

/**
 * A change to something nothing on the incident's path depends on, after which its own series and
 * those of at least two other services broke within the same few minutes, hit infrastructure they
 * share (hosts, a fleet, a network) that the catalog does not draw: it is related.
 */
function sharedBlast(change: ChangeRecord, service: string | undefined, series: SeriesView[]): boolean {
  if (!service || change.kind === 'deployment') return false;
  const at = ms(change.at);
  // Its own series must break the bad way; the others only have to move (connections falling to
  // nothing on a database whose clients were rebooted is not "bad" for a database, but it moved).
  const moved = (v: SeriesView, within: number) =>
    !!v.onset && ms(v.onset.at) >= at - 60_000 && ms(v.onset.at) <= at + within * 60_000;
  const broke = (v: SeriesView, within: number) => isAnomalous(v) && moved(v, within);
  if (!series.some((v) => lower(v.service) === lower(service) && broke(v, 3))) return false;
  const others = new Set(
    series
      .filter((v) => v.service && lower(v.service) !== lower(service) && moved(v, 5))
      .map((v) => lower(v.service)),
  );
  return others.size >= 2;
}

function against(s: ScoredChange): string | undefined {
  const what =
    s.change.kind === 'deployment'
      ? `deployment ${s.change.service} ${s.change.version ?? ''}`.trim()
      : s.change.summary;
  if (s.leadMinutes < -6)
    return `${what}: landed ${Math.round(-s.leadMinutes)} min after the onset, so it cannot have caused it`;
  if (s.relation === 'unrelated')
    return `${what}: on ${s.service ?? 'an unrelated resource'}, which the affected service does not depend on`;
  if (s.leadMinutes > 60)
    return `${what}: ${Math.round(s.leadMinutes)} min before onset, with nothing changing in between`;
  if (s.change.status === 'rolled-back' || undoneAlready(s.change)) return `${what}: already rolled back`;
  if (isAutomaticReaction(s.change)) return `${what}: an autoscaler reacting to load, not a cause`;
  if (isResponseStep(s.change))
    return `${what}: a step taken against the trouble already under way, not its cause`;
  if (s.disowned) return `${what}: ${s.disowned.why}`;
  if (s.routine) return `${what}: ${s.routine}, not a change to what fails`;
  if (s.flavor === 'benign')
    return `${what}: bookkeeping (tags, retention, dashboards) cannot affect traffic`;
  if (s.flavor === 'platform')
    return `${what}: reported by the platform, an observation rather than a change`;
  if (!s.corroboration.length) return `${what}: nothing changed on ${s.service ?? 'its target'} after it`;
  return undefined;
}
