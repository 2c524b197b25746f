/**
 * The action a knowledge hypothesis proposes: the first of its entries' mitigations that can be
 * aimed at a name the evidence carries structurally (a change to revert, a standby to fail over
 * to, the culprit to restart or scale, a credential a record names or a service we run holds).
 */
import type { ActionKind, Category, MitigationAction } from '../../../model.js';
import type { Analysis } from '../analysis.js';
import { isAutomaticReaction, revertTarget, undoneAlready } from '../evidence/changes.js';
import { isExternal } from '../evidence/dependencies.js';
import { restartingAlready } from '../evidence/killed.js';
import type { KnowledgeHit } from '../evidence/knowledge.js';
import { hhmm, lower, ms, namedByParts, zoneIn } from '../measure.js';
import { action, releaseRollback } from '../rank/candidate.js';
import { isProviderNotice } from './provider.js';
import { isCache, isDatabase } from './resources.js';

export interface Group {
  category: Category;
  culprit: string;
  hits: KnowledgeHit[];
  /** The service we run that holds the culprit credential (the issuer of a rejected key). */
  holder?: string;
}

/** Where a provider's notice says its fault is, as one plain value: its zone, else its first named item. */
function impairedScope(resource: string): string | undefined {
  return (
    zoneIn(resource) ?? resource.split(/[\s,;()]+/).find((t) => /\d/.test(t) && /^[\w.:/-]{3,64}$/.test(t))
  );
}

/**
 * A database or cache the catalog lists as ours (not a vendor's), by its name or its metrics. A
 * DynamoDB table has no standby of its own to promote.
 */
const dataStoreOfOurs = (a: Analysis, name: string): boolean => {
  const namespaces = a.snap.metrics.filter((m) => lower(m.service) === lower(name)).map((m) => m.namespace);
  if (NO_STANDBY.test(name) || namespaces.some((n) => NO_STANDBY.test(n))) return false;
  return (
    !!a.snap.catalog.get(name) &&
    !isExternal(a.snap.catalog, name) &&
    (isDatabase(name) || isCache(name) || namespaces.some((n) => isDatabase(undefined, n) || isCache('', n)))
  );
};
const NO_STANDBY = /dynamo|(^|[^a-z])ddb([^a-z]|$)/i;

/** Turn off, where it runs, the code path of ours the hypothesis names. */
const switchOff = (a: Analysis, g: Group, why: string) =>
  action('feature-flag', g.culprit, a.knownNames, `switch off the code path in ${g.culprit}: ${why}`);

/** The changes that touched the culprit shortly before the onset (newest first). */
function changesOn(a: Analysis, culprit: string) {
  return a.changes
    .filter(
      (c) =>
        (lower(c.service) === lower(culprit) || lower(c.change.resource) === lower(culprit)) &&
        c.leadMinutes >= -6 &&
        c.leadMinutes <= 120 &&
        c.flavor !== 'benign' &&
        c.flavor !== 'platform' &&
        // An autoscaler adding capacity reacted to the incident; undoing it is no remedy, and a
        // change its own record says was reverted has nothing left to undo.
        !isAutomaticReaction(c.change) &&
        !undoneAlready(c.change) &&
        // A recurring operation (a scan, a backup, a compaction) leaves nothing to undo.
        !c.routine,
    )
    .sort((x, y) => ms(y.change.at) - ms(x.change.at));
}

/**
 * A change made elsewhere that the culprit's own lines say it took in (a data or configuration
 * push it applied) shortly before it broke: the input its defect met, to be reverted.
 */
function takenIn(a: Analysis, g: Group) {
  const first = Math.min(...g.hits.map((h) => ms(h.at)));
  return a.changes
    .filter(
      (c) =>
        c.change.kind !== 'deployment' &&
        !!c.change.resource &&
        ms(c.change.at) <= first &&
        first - ms(c.change.at) <= 60 * 60_000 &&
        !undoneAlready(c.change) &&
        a.snap.logs.some(
          (l) =>
            lower(l.service) === lower(g.culprit) &&
            ms(l.firstSeen) >= ms(c.change.at) &&
            ms(l.firstSeen) <= first &&
            namedByParts(l.sample, c.change.resource!),
        ),
    )
    .sort((x, y) => ms(y.change.at) - ms(x.change.at))[0];
}

/**
 * The first of the entry's mitigations that can be aimed at something this incident's evidence
 * names. Kinds that need a target the knowledge cannot supply (credentials, traffic sources) are
 * left to the explainers that read that evidence.
 */
export function mitigationFor(a: Analysis, g: Group, kinds: ActionKind[]): MitigationAction | null {
  const affected = a.snap.service;
  // A database or cache of ours that can be failed over is promoted before it is restarted: a
  // restart brings back the same node on the same volume, the standby does not share its fault.
  const order =
    kinds.includes('failover') && dataStoreOfOurs(a, g.culprit)
      ? ['failover' as const, ...kinds.filter((k) => k !== 'failover')]
      : kinds;
  for (const kind of order) {
    let m: MitigationAction | null = null;
    switch (kind) {
      case 'rollback': {
        const changeHit = g.hits.find((h) => h.on === 'change');
        const recent = changeHit
          ? a.changes.find((c) => c.change.id === changeHit.evidenceId)
          : // A defect in code came with code or its configuration: a capacity, network or IAM
            // change near it did not bring it, and undoing that would not remove it.
            (changesOn(a, g.culprit).filter(
              (c) =>
                g.category !== 'code' ||
                c.change.kind === 'deployment' ||
                c.flavor === 'flag' ||
                c.flavor === 'config',
            )[0] ?? (g.category === 'code' ? takenIn(a, g) : undefined));
        // Data removed from a datastore we run (tables dropped), with no change record to revert:
        // the datastore is put back as it was just before (its snapshot or point in time).
        if (
          !recent &&
          g.hits.some((h) => h.entry.dataLoss) &&
          a.snap.catalog.get(g.culprit) &&
          !isExternal(a.snap.catalog, g.culprit)
        ) {
          const before = g.hits.map((h) => h.at).sort()[0];
          m = action(
            'rollback',
            g.culprit,
            a.knownNames,
            `restore ${g.culprit} to its state before ${hhmm(before)}: ${g.hits[0].entry.title}`,
            {
              toTime: before,
            },
          );
          break;
        }
        if (!recent) break;
        const ch = recent.change;
        const target =
          ch.kind === 'deployment'
            ? (ch.service ?? recent.service ?? affected)
            : (revertTarget(ch, recent.service, (n) => !!a.snap.catalog.get(n)) ?? affected);
        m =
          ch.kind === 'deployment'
            ? releaseRollback(ch, target, a.knownNames)
            : action('rollback', target, a.knownNames, `revert: ${ch.summary.slice(0, 100)}`, {
                change: ch.id,
              });
        break;
      }
      case 'failover': {
        const dep = a.dependencies.find((d) => lower(d.service) === lower(g.culprit) && d.standby);
        // A provider's notice that names where its fault is (a zone, a network device, hosts) is
        // routed around: the affected service is moved away from what the notice names.
        const notice = g.hits.find(
          (h) =>
            h.on === 'change' &&
            h.entry.role === 'cause' &&
            h.entry.blames === 'peer' &&
            isProviderNotice(a.snap.changes.find((c) => c.id === h.evidenceId)),
        );
        const scope = notice?.resource && impairedScope(notice.resource);
        if (!dep && scope && affected)
          m = action(
            'failover',
            affected,
            a.knownNames,
            `route ${affected} away from ${scope}: the provider reports ${notice.resource!.slice(0, 80)} impaired`,
            { from: scope },
          );
        if (dep)
          m = action(
            'failover',
            affected,
            a.knownNames,
            `${dep.service} is failing; ${dep.standby} is its standby`,
            {
              from: dep.service,
              to: dep.standby!,
            },
          );
        // A database or cache of ours whose own node is failing is moved to its standby: managed
        // stores keep one, and promoting it is what their runbooks do before anything else.
        else if (!scope && dataStoreOfOurs(a, g.culprit))
          m = action(
            'failover',
            g.culprit,
            a.knownNames,
            `fail ${g.culprit} over to its standby: ${g.hits[0].entry.title}`,
            { from: g.culprit },
          );
        break;
      }
      case 'feature-flag': {
        const flag = a.changes.find(
          (c) =>
            c.flavor === 'flag' &&
            c.leadMinutes >= -6 &&
            (lower(c.service) === lower(g.culprit) || lower(c.change.resource) === lower(g.culprit)),
        );
        if (flag?.change.resource)
          m = action('feature-flag', flag.change.resource, a.knownNames, `turn ${flag.change.resource} off`, {
            enabled: false,
          });
        // A defect in our own code that no recent change brought in (a pathological input, a date
        // the code never met) is switched off where it runs, not rolled back.
        else if (
          g.category === 'code' &&
          a.snap.catalog.get(g.culprit) &&
          !isExternal(a.snap.catalog, g.culprit)
        )
          m = switchOff(a, g, g.hits[0].entry.title);
        break;
      }
      // Nobody here restarts or scales a vendor.
      case 'scale':
        if (!isExternal(a.snap.catalog, g.culprit))
          m = action(
            'scale',
            g.culprit,
            a.knownNames,
            `add capacity to ${g.culprit}: ${g.hits[0].entry.title}`,
          );
        break;
      case 'restart':
        if (isExternal(a.snap.catalog, g.culprit)) break;
        // A defect of our code that came back after every restart the platform already made is
        // met again by each new process: the code path is switched off where it runs instead.
        m =
          g.category === 'code' && restartingAlready(a, g.culprit)
            ? switchOff(a, g, `restarts have not cleared ${g.hits[0].entry.title}`)
            : action('restart', g.culprit, a.knownNames, `restart ${g.culprit}: ${g.hits[0].entry.title}`);
        break;
      case 'rotate-credentials': {
        // Only a credential or identity a structured field names (a change's resource or actor):
        // never one read out of free text.
        // An expired or rejected certificate or secret of a service we run is replaced on that
        // service, whichever record names it.
        // So is what a compromised service of ours holds (its secrets, the tokens on it): once an
        // outsider is on it, every credential it can read must be assumed taken.
        const named =
          a.snap.changes.some(
            (c) => lower(c.resource) === lower(g.culprit) || lower(c.actor) === lower(g.culprit),
          ) ||
          ((g.category === 'configuration' || g.category === 'security') &&
            !!a.snap.catalog.get(g.culprit) &&
            !isExternal(a.snap.catalog, g.culprit));
        if (g.holder)
          m = action(
            'rotate-credentials',
            g.holder,
            a.knownNames,
            `replace ${g.culprit} on ${g.holder}: ${g.hits[0].entry.title}`,
            { principal: g.holder },
          );
        else if (named)
          m = action(
            'rotate-credentials',
            g.culprit,
            a.knownNames,
            `replace ${g.culprit}: ${g.hits[0].entry.title}`,
            {
              principal: g.culprit,
            },
          );
        break;
      }
      default:
        break;
    }
    if (m) return m;
  }
  return null;
}
