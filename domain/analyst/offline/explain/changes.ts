/**
 * Candidates from change correlation: a deployment rolled back to its previous version, a feature
 * flag turned off, a capacity cut scaled back up, or another config change reverted.
 */
import type { ChangeRecord } from '../../../ports.js';
import type { Analysis } from '../analysis.js';
import { AUTOMATION_ACTOR } from '../evidence/change-precedence.js';
import { isAutomaticReaction, revertTarget, type ScoredChange, undoneAlready } from '../evidence/changes.js';
import { isExternal } from '../evidence/dependencies.js';
import { CALL_FAILURES, LOG_CLASS_CATEGORY, mechanismOf, type RankedSignature } from '../evidence/logs.js';
import { conf, headline, hhmm, lower, mentionedNames, ms } from '../measure.js';
import { action, type Candidate, releaseRollback } from '../rank/candidate.js';

/**
 * The strongest new error after the change, on its service or on the affected one; errors about
 * calls to other known services are used only when nothing else appeared.
 */
function errorsAfter(a: Analysis, c: ScoredChange): RankedSignature | undefined {
  const from = new Date(Date.parse(c.change.at) - 8 * 60_000).toISOString();
  const on = [lower(c.service), lower(a.snap.service)];
  const after = a.signatures.filter(
    (s) => s.isNew && on.includes(lower(s.sig.service)) && s.sig.lastSeen >= from,
  );
  const aboutOther = (s: RankedSignature) =>
    CALL_FAILURES.has(s.cls) &&
    s.mentions.some((m) => !on.includes(lower(m)) && lower(m) !== lower(c.change.resource));
  // The changed service's own new errors say most about what the change broke.
  const own = after.filter((s) => lower(s.sig.service) === lower(c.service));
  return own.find((s) => !aboutOther(s)) ?? after.find((s) => !aboutOther(s)) ?? after[0];
}

/** A summary the evidence port made up ("ecs of checkout v142") says nothing worth quoting. */
const GENERATED = /^\S+ of \S+ \S+$/;

export const quote = (s: string): string => {
  const line = headline(s);
  return `"${line.length > 120 ? `${line.slice(0, 117)}...` : line}"`;
};

const KIND_WORD: Record<ScoredChange['flavor'], string> = {
  deployment: 'deployment',
  flag: 'feature flag change',
  network: 'network change',
  iam: 'IAM/permission change',
  database: 'database change',
  capacity: 'capacity configuration change',
  config: 'configuration change',
  platform: 'platform event',
  benign: 'bookkeeping change',
};

/**
 * What a release says it changes, quoted. One release shipped to several services at once (the
 * same version within minutes) is described by whichever record says more: a worker's "same
 * release as buttondown-web" points at the web's words.
 */
function releaseWords(a: Analysis, ch: ChangeRecord): string | undefined {
  const own = GENERATED.test(ch.summary) ? undefined : ch.summary;
  const twin = a.snap.changes.find(
    (o) =>
      o.kind === 'deployment' &&
      !!o.version &&
      o.version === ch.version &&
      !!o.service &&
      lower(o.service) !== lower(ch.service) &&
      Math.abs(ms(o.at) - ms(ch.at)) <= 10 * 60_000 &&
      !GENERATED.test(o.summary),
  );
  if (twin && (!own || mentionedNames(own, [twin.service!]).length))
    return `${quote(twin.summary)}, released with ${twin.service}`;
  return own && quote(own);
}

/** Someone opening a session on a host: what was done in it is the change, and no record undoes it. */
const INTERACTIVE = /^(?:StartSession|ResumeSession|SendSSHPublicKey|ConsoleLogin)$/i;
/** A failover or a reboot has happened once it is over: there is nothing to revert, only to wait or act anew. */
const ONE_WAY =
  /^(?:FailoverDBCluster|FailoverGlobalCluster|SwitchoverGlobalCluster|RebootDBInstance|RebootDBCluster|RebootInstances|RebootCacheCluster|RebootBroker|TestFailover|FailoverShard)$/i;

/** A command run on hosts (SSM Run Command): it acted once, and nothing in place reverts it. */
const COMMAND = /^(?:SendCommand|RunCommand)$/i;
/** A service stopped: the command's own words, or the hosts' lines as it ran. */
const STOPPED_WORDS =
  /\b(?:(?:services?|iis|w3svc|nginx|httpd|process(?:es)?|daemon) (?:successfully )?stopped|stop-service|systemctl stop|net stop|iisreset \/stop|entered the stopped state|attempting stop)\b/i;

/**
 * The service a command run on its hosts stopped, when its words or the hosts' lines as it ran
 * say so: starting it again is the way back.
 */
function stoppedBy(a: Analysis, ch: ChangeRecord, service: string | undefined): string | undefined {
  if (!service || !COMMAND.test(ch.status ?? '')) return undefined;
  const lines = a.snap.logs.filter(
    (l) =>
      lower(l.service) === lower(service) &&
      ms(l.firstSeen) >= ms(ch.at) - 60_000 &&
      ms(l.firstSeen) <= ms(ch.at) + 10 * 60_000,
  );
  return STOPPED_WORDS.test(ch.summary) || lines.some((l) => STOPPED_WORDS.test(l.sample))
    ? service
    : undefined;
}

/** A change with no way back in place: an engine's major version upgrade cannot be downgraded. */
const ONE_WAY_CHANGE = /\bAllowMajorVersionUpgrade\s*[=:]\s*true\b|\bmajor (?:version|engine) upgrade\b/i;

/**
 * The external dependency of the changed service that the record's own feed names by its name
 * (`registrar` for `domain-registrar`): the provider acted on something of ours.
 */
function providerFeed(a: Analysis, c: ScoredChange): string | undefined {
  const dep = a.snap.catalog.dependencyNamedIn(c.service, c.change.source ?? '');
  return dep && isExternal(a.snap.catalog, dep) ? dep : undefined;
}

/** Calls by one automation session this close together are one run of it. */
const RUN_SPAN_MS = 5 * 60_000;
const RUN_CALLS = 3;

/**
 * An automation's session (`terraform-apply/atlantis-812` of an assumed-role ARN) that made several
 * calls within minutes made them as one run, whether or not the run left a record of its own: the
 * responder names the run, not the one call of it that broke things.
 */
function runOf(a: Analysis, ch: ChangeRecord): { name: string; calls: number } | undefined {
  if (ch.kind !== 'change' || !ch.actor || !AUTOMATION_ACTOR.test(ch.actor)) return undefined;
  const calls = a.snap.changes.filter(
    (o) => o.kind === 'change' && o.actor === ch.actor && Math.abs(ms(o.at) - ms(ch.at)) <= RUN_SPAN_MS,
  ).length;
  if (calls < RUN_CALLS) return undefined;
  return { name: ch.actor.split(':assumed-role/')[1] ?? ch.actor, calls };
}

export function explainChanges(a: Analysis): Candidate[] {
  const out: Candidate[] = [];
  for (const c of a.changes) {
    // An autoscaler's action is its reaction to the load, not a cause to tell a story about.
    if (c.score < 0.25 || c.flavor === 'platform' || c.flavor === 'benign' || isAutomaticReaction(c.change))
      continue;
    const ch = c.change;
    const err = errorsAfter(a, c);
    const lead = Math.round(c.leadMinutes);
    const when =
      lead > 0
        ? `${lead} min before the onset at ${hhmm(a.onset)}`
        : `just as the incident began at ${hhmm(a.onset)}`;
    const caused = err
      ? `${mechanismOf(err)} on ${err.sig.service ?? a.snap.service}: ${quote(err.sig.sample)} (${err.sig.count}x)`
      : (c.burnNote ?? 'the failure that followed');
    // What it did on the dependency it shares with the affected service comes first.
    const effect = c.actedOn
      ? `what it did on ${c.actedOn.service} (${quote(c.actedOn.sample)}), then ${caused}`
      : c.atWork
        ? `${caused} while it was still at work (${hhmm(c.atWork.firstSeen)}: ${quote(c.atWork.sample)})`
        : caused;
    const evidence = [
      ...(c.deliveredFrom ? [c.deliveredFrom.change.id] : []),
      ch.id,
      ...(c.actedOn ? [c.actedOn.id] : []),
      ...(err ? [err.sig.id] : []),
      ...a.views.filter((v) => v.isAlertMetric).map((v) => v.series.id),
    ];
    const chain = [
      `${ch.kind === 'deployment' ? `${ch.service} ${ch.version ?? ''} deployed` : ch.summary.slice(0, 120)} at ${hhmm(ch.at)}`,
      effect,
      `${a.snap.alert?.title ?? 'the alert'} fired`,
    ];
    let confidence = c.score;
    // A change whose failure signature fits a different mechanism is weaker evidence.
    if (
      err &&
      ch.kind !== 'deployment' &&
      LOG_CLASS_CATEGORY[err.cls] !== c.category &&
      err.cls !== 'error'
    ) {
      confidence *= err.cls === 'config' || err.cls === 'code' || err.cls === 'timeout' ? 1 : 0.85;
    }
    if (ch.kind === 'deployment') {
      const target = ch.service ?? c.service;
      const words = releaseWords(a, ch);
      out.push({
        category: 'deployment',
        culprit: ch.version ?? target ?? ch.id,
        summary:
          `Deployment of ${target} ${ch.version ?? ''}${words ? ` (${words})` : ''} at ${hhmm(ch.at)}, ${when}, introduced ${effect}${c.ownWords ? `; ${target} fails on what the release says it changed` : ''}.`.replace(
            /\s+/g,
            ' ',
          ),
        causalChain: chain,
        confidence: conf(confidence),
        evidence,
        mitigation: releaseRollback(ch, target, a.knownNames),
        specialists: ['changes', 'logs'],
        changeAt: ch.at,
        changeService: c.service,
      });
      continue;
    }
    // A vendor changing the service they run for us (their maintenance, their rollout), or acting
    // on ours from their own feed (a registrar putting our domain on hold), is that dependency
    // failing: nothing of ours reverts it, and it is named as the dependency.
    const provider = c.service && isExternal(a.snap.catalog, c.service) ? c.service : providerFeed(a, c);
    const vendor = !!provider;
    // An automated apply carried a person's merge: the merge is named and reverted.
    const origin = vendor ? undefined : c.deliveredFrom;
    const run = provider || origin ? undefined : runOf(a, ch);
    const culprit =
      provider ?? run?.name ?? origin?.change.resource ?? ch.resource ?? c.service ?? ch.summary.slice(0, 80);
    const stopped = vendor ? undefined : stoppedBy(a, ch, c.service);
    const mitigation = stopped
      ? action('restart', stopped, a.knownNames, `start again what the command stopped on ${stopped}`)
      : vendor ||
          undoneAlready(ch) ||
          INTERACTIVE.test(ch.status ?? '') ||
          ONE_WAY.test(ch.status ?? '') ||
          ONE_WAY_CHANGE.test(ch.summary)
        ? null
        : c.flavor === 'flag'
          ? action('feature-flag', ch.resource, a.knownNames, `turn ${ch.resource} off: it changed ${when}`, {
              enabled: false,
            })
          : c.flavor === 'capacity'
            ? action(
                'scale',
                c.service ?? ch.resource,
                a.knownNames,
                `restore the capacity cut by: ${ch.summary.slice(0, 100)}`,
              )
            : action(
                'rollback',
                origin
                  ? revertTarget(origin.change, origin.service, (n) => !!a.snap.catalog.get(n))
                  : revertTarget(ch, c.service, (n) => !!a.snap.catalog.get(n)),
                a.knownNames,
                `revert the ${KIND_WORD[c.flavor]} to ${culprit}`,
                {
                  change: (origin?.change ?? ch).id,
                },
              );
    const subject =
      provider && lower(provider) !== lower(c.service)
        ? `The change ${provider} made to ${ch.resource ?? c.service}`
        : run
          ? `The ${KIND_WORD[c.flavor]} to ${ch.resource ?? c.service} by the run ${run.name} (${run.calls} calls within minutes)`
          : `The ${vendor ? `change its vendor${ch.actor ? ` (${ch.actor.slice(0, 60)})` : ''} made` : KIND_WORD[c.flavor]} to ${culprit}`;
    out.push({
      category: vendor ? 'dependency' : c.category,
      culprit,
      summary: origin
        ? `The ${KIND_WORD[c.flavor]} to ${culprit}${origin.service && !lower(culprit).includes(lower(origin.service)) ? ` on ${origin.service}` : ''} at ${hhmm(origin.change.at)} ` +
          `(${quote(origin.change.summary)}), applied by ${ch.actor} to ${ch.resource ?? c.service} at ${hhmm(ch.at)} (${quote(ch.summary)}), ${when}, caused ${effect}.`
        : `${subject}${c.service && !lower(subject).includes(lower(c.service)) ? ` on ${c.service}` : ''} at ${hhmm(ch.at)} ` +
          `(${quote(ch.summary)}), ${when}, caused ${effect}.`,
      causalChain: chain,
      confidence: conf(confidence),
      evidence,
      mitigation,
      specialists: ['changes'],
      changeAt: ch.at,
      changeService: c.service,
    });
  }
  return out;
}
