/**
 * What a responder asks of a change beyond its timing, before blaming it: is it a routine,
 * recurring operation (a balancer round, a compaction, a backup, a customer's own API call, a
 * monitoring port opened) rather than a deliberate change to the failing component; and do its
 * words have anything to do with what the errors after it say. Most incidents have a change a few
 * minutes before them that did nothing; these are the questions that tell it from the cause.
 */
import type { ChangeRecord, LogSignature } from '../../../ports.js';
import { headline, lower, mentionedNames } from '../measure.js';
import type { RankedSignature } from './logs.js';

/**
 * Operations that recur on their own and leave the system as it was: data moved between shards,
 * files compacted, copies taken, a monitoring scrape added, a cache invalidated after a publish,
 * patches installed by the maintenance window, a compliance scan that only reads. A maintenance a *provider* announces is not here:
 * that takes things away and is a classic cause.
 */
const ROUTINE_OPERATION =
  /\b(?:balancer (?:round|run)|rebalanc\w*|movechunk|chunk migration|compaction|auto-?vacuum|snapshot|backup|log rotation|node.?exporter|scrap(?:e|ing)\b|invalidation|patch baseline|runpatchbaseline|(?:compliance|inventory) scan|operation=scan)/i;

/**
 * A customer acting on their own data through our API: the actor is their key or account. An
 * operator changing something at a customer's request is a deliberate change and is not here.
 */
const CUSTOMER_ACTOR = /^(?:api-key|customer|tenant)[:/]/i;
const CUSTOMER_ACTION = /^customer(?:'s)? api call\b/i;

/**
 * Why a change is a routine operation rather than a deliberate change to what fails, or undefined.
 * Deployments are never routine: even a weekly release carries new code.
 */
export function routineReason(c: ChangeRecord): string | undefined {
  if (c.kind === 'deployment') return undefined;
  const text = `${c.status ?? ''} ${c.summary} ${c.actor ?? ''}`;
  const op = ROUTINE_OPERATION.exec(text);
  // A deletion that mentions backups ("automated backups deleted with cluster") is no routine, nor
  // is a provider's notice of errors that names snapshots among what it impairs, nor a "rebalance"
  // that sets routing weights: where requests go is a deliberate setting, not data moved.
  if (
    op &&
    !/delet|terminat|\bdrop|truncat|wipe|purg|destroy/i.test(text) &&
    !/\bweight(?:s|ed|ing)?\b/i.test(text) &&
    !/\b(?:impair\w*|degraded|increased error|operational issue|outage)\b/i.test(text)
  )
    return `a routine ${op[0].toLowerCase()} operation`;
  if (widensOnly(c)) return 'a rule that only allows more traffic';
  return undefined;
}

/**
 * A customer's own change to their data: input rather than a change to what we run. It may well be
 * what a defect tripped on (and what followed it is still its effect), but it is a weaker prior
 * than a deliberate change.
 */
export const customerInput = (c: ChangeRecord): boolean =>
  c.kind === 'change' && (CUSTOMER_ACTOR.test(c.actor ?? '') || CUSTOMER_ACTION.test(c.summary));

/**
 * A network rule that only lets more through (a port opened, a source allowed): flows that worked
 * before it still work after it. Replacing, revoking or denying can cut traffic off; adding an allow
 * cannot.
 */
export function widensOnly(c: ChangeRecord): boolean {
  const event = c.status ?? '';
  const text = `${event} ${c.summary}`;
  if (/revoke|deny|remove|delete|replace|restrict|block|drop|disassociat|detach/i.test(text)) return false;
  return (
    /^Authorize(?:SecurityGroup|ClusterSecurityGroup|DBSecurityGroup)/i.test(event) ||
    (/security.?group|\bingress\b|\begress\b/i.test(text) && /^\s*(?:allow|open)\b/i.test(c.summary))
  );
}

/** Words that say nothing about what a change or an error is about. */
const STOP = new Set(
  (
    'error errors failed failure fails request requested requests response status operation https http ' +
    'with from that this than have been will your into when after before more less were what which ' +
    'exception caused cause unable could would should retry retries attempt value values line code ' +
    'service services update updated change changed changes deploy deployed deployment release prod ' +
    'production version info warn warning debug true false null none count total time times ' +
    'create created delete deleted added adding bump bumped fix fixed support minor patch also some ' +
    'user users'
  ).split(' '),
);

/** The stems of the distinctive words of a text: camelCase split, ids and numbers dropped. */
export function terms(text: string, names: readonly string[] = []): Set<string> {
  const nameWords = new Set(names.flatMap((n) => lower(n).split(/[^a-z0-9]+/)).filter((w) => w.length >= 4));
  const words = text
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z]+/)
    .filter((w) => w.length >= 4 && !STOP.has(w) && !nameWords.has(w) && !/^[a-f]+$/.test(w));
  return new Set(words.map((w) => w.slice(0, 6)));
}

/** The stems a change's own words share with a text (what it is about meets what the errors say). */
export function affinity(c: ChangeRecord, text: string, names: readonly string[] = []): string[] {
  const own = terms(`${c.summary} ${c.resource ?? ''} ${c.status ?? ''}`, names);
  const other = terms(text, names);
  return [...own].filter((t) => other.has(t));
}

/**
 * Errors that say a bound of data or of the account was reached: a number past its column's type,
 * an id space, an account or service quota, a full disk, a provider out of capacity. Their usual
 * cause is growth or a limit, not the last release. Left out, because new code does cause them:
 * throttling and exhausted pools (it calls more), an index or slice out of range and stack
 * overflows (it is wrong), payloads or values too large (it writes more).
 */
const LIMIT_REACHED =
  /LimitExceeded|limit exceeded|quota (?:exceeded|reached)|exceeded (?:the |your )?quota|(?<!index |bounds |slice )out of range|(?:integer|numeric|arithmetic) overflow|no space left|disk (?:is )?full|insufficient \w*\s?capacity/i;

export const saysLimitReached = (s: RankedSignature): boolean =>
  s.cls !== 'throttling' && s.cls !== 'db-connections' && LIMIT_REACHED.test(s.sig.sample);

/** Names of exceptions and error codes in a line (`ActiveModel::RangeError`, `VcpuLimitExceeded`). */
export function errorNames(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(/\b[A-Z][A-Za-z0-9]*(?:Error|Exception|Exceeded|Failure|Fault)\b/g))
    if (!/^(?:Error|Exception|Failure|Fault)$/.test(m[0])) out.add(m[0].toLowerCase());
  return out;
}

/** Two error lines that say the same thing: a shared exception name, or the same bound reached. */
export function sameError(x: RankedSignature, y: RankedSignature): boolean {
  const names = errorNames(y.sig.sample);
  if ([...errorNames(x.sig.sample)].some((n) => names.has(n))) return true;
  const lx = LIMIT_REACHED.exec(x.sig.sample)?.[0];
  return !!lx && lower(lx) === lower(LIMIT_REACHED.exec(y.sig.sample)?.[0]);
}

/** A change to a web application firewall's rules: an ACL, a rule group, an IP set. */
const WAF_CHANGE =
  /^(?:UpdateWebACL|UpdateRuleGroup|UpdateIPSet|UpdateRegexPatternSet|PutManagedRuleSetVersions)\b|\bwaf\b|web ?acl/i;
/** What a firewall rule does to a request when it goes wrong: refuses it (403, a block page, a challenge). */
const REFUSED = /\b403\b|forbidden|blocked by|request blocked|\bwaf\b|captcha|challenge/i;

/** Classes of error that say a call could not be made, kept or answered. */
const CUT_OFF: ReadonlySet<string> = new Set(['network', 'dependency', 'timeout', 'db-connections']);

/**
 * Two services cut off at once from something they both depend on: each client words it its own
 * way (`connect ETIMEDOUT` in one, `Connection terminated due to connection timeout` in another),
 * so the class of the failure and the shared dependency say it is the same error.
 */
const bothCutOff = (x: RankedSignature, y: RankedSignature, shares?: (peer: string) => boolean): boolean =>
  CUT_OFF.has(x.cls) && CUT_OFF.has(y.cls) && !!shares?.(y.sig.service!);

export interface Disowned {
  why: string;
  /** The new errors on the changed service after it. */
  errors: RankedSignature[];
  /** The same errors, new, on peers it did not touch. */
  peers: RankedSignature[];
}

/**
 * Why the new errors that followed a change on its service are not its doing, or undefined:
 * - they say a bound was reached and the change's words have nothing to do with them (a label
 *   renamed does not push an id past its column's type);
 * - the same errors appear, new, on a peer the change did not touch and that does not call what it
 *   changed (or the peer, sharing a dependency with it, is cut off from it at the same time):
 *   something they share is failing, not the change.
 * A release whose own service throws right after it, with errors nobody else has, stays its own.
 */
export function errorsNotItsOwn(
  change: ChangeRecord,
  service: string | undefined,
  errs: RankedSignature[],
  opts: {
    signatures: RankedSignature[];
    names: readonly string[];
    /** Services some change in the window touched. */
    touched: ReadonlySet<string>;
    /** Whether a service calls (depends on, at any depth) the changed one. */
    calls: (caller: string) => boolean;
    /** Whether a service depends on something the changed service also depends on. */
    shares?: (peer: string) => boolean;
  },
): Disowned | undefined {
  if (!errs.length || !service) return undefined;
  const peers = opts.signatures.filter(
    (s) =>
      s.isNew &&
      !!s.sig.service &&
      lower(s.sig.service) !== lower(service) &&
      !opts.touched.has(lower(s.sig.service)) &&
      !opts.calls(s.sig.service) &&
      errs.some((e) => sameError(e, s) || bothCutOff(e, s, opts.shares)),
  );
  const text = errs.map((s) => s.sig.sample).join('\n');
  if (
    WAF_CHANGE.test(`${change.status ?? ''} ${change.summary}`) &&
    !errs.some((e) => REFUSED.test(e.sig.sample))
  )
    return {
      why: `a web ACL change only refuses requests, and the errors after it are not refusals (${quoteShort(errs[0].sig.sample)})`,
      errors: errs,
      peers,
    };
  if (errs.every(saysLimitReached) && !affinity(change, text, opts.names).length)
    return {
      why: `the errors after it say a limit was reached (${quoteShort(errs[0].sig.sample)}), and nothing in it is about that`,
      errors: errs,
      peers,
    };
  if (!peers.length) return undefined;
  const own = errs.find((e) => sameError(e, peers[0])) ?? errs[0];
  return {
    why: `the same errors (${quoteShort(own.sig.sample)}) appear on ${peers[0].sig.service}, which it did not touch`,
    errors: errs,
    peers,
  };
}

const quoteShort = (s: string): string => {
  const line = headline(s);
  return `"${line.length > 80 ? `${line.slice(0, 77)}...` : line}"`;
};

/**
 * A line, on something the change's service and the affected service both depend on, that shows
 * the change at work there as it landed: it names the change's version, or shares two words of
 * its own (a migration clearing "history tables", then `TRUNCATE TABLE "issue_history_v2"` in the
 * database's log). The change then reached the affected service through that dependency, whatever
 * else the catalog draws.
 */
export function actedOn(
  change: ChangeRecord,
  shared: readonly string[],
  logs: readonly LogSignature[],
  names: readonly string[],
  onset: string,
): LogSignature | undefined {
  if (!shared.length) return undefined;
  const at = Date.parse(change.at);
  const lead = (change.kind === 'deployment' ? 6 : 2) * 60_000;
  // A release is recorded when it starts and runs its steps (a migration) while it rolls out; what
  // it did counts until the onset, not after.
  const until = Math.min(
    at + (change.kind === 'deployment' ? 30 : 5) * 60_000,
    Date.parse(onset) + 2 * 60_000,
  );
  const on = new Set(shared.map(lower));
  const version = change.version && change.version.length >= 6 ? lower(change.version) : undefined;
  const own = terms(`${change.summary} ${change.version ?? ''} ${change.resource ?? ''}`, names);
  return logs.find((l) => {
    const t = Date.parse(l.firstSeen);
    if (!on.has(lower(l.service)) || t < at - lead || t > until) return false;
    if (version && lower(l.sample).includes(version)) return true;
    const theirs = terms(l.sample, names);
    return [...own].filter((w) => theirs.has(w)).length >= 2;
  });
}

/** A platform removing or stopping what runs: the words its own lines use when it takes a workload away. */
const TAKE_DOWN =
  /\b(delet(?:e|ed|ing)|prun(?:e|ed|ing)|terminat(?:e|ed|ing)|kill(?:ed|ing)?|stopp(?:ed|ing)|evict(?:ed|ing)|destroy(?:ed|ing)|deregister(?:ed|ing)|scal(?:ed|ing) (?:down )?to (?:0|zero))\b/i;

/**
 * A line of the changed component itself, as the change lands and before the failure, saying it
 * took away one of `targets` (the affected service or what it calls): the catalog need not connect
 * a deploy controller or a cluster to the workloads it runs for its change to have removed them.
 */
export function tookDown(
  change: ChangeRecord,
  service: string | undefined,
  targets: readonly string[],
  logs: readonly LogSignature[],
  names: readonly string[],
  onset: string,
): LogSignature | undefined {
  if (!service || !targets.length) return undefined;
  const at = Date.parse(change.at);
  const until = Math.min(at + 10 * 60_000, Date.parse(onset) + 2 * 60_000);
  const on = new Set(targets.map(lower));
  return logs.find(
    (l) =>
      lower(l.service) === lower(service) &&
      Date.parse(l.firstSeen) >= at &&
      Date.parse(l.firstSeen) <= until &&
      TAKE_DOWN.test(l.sample) &&
      mentionedNames(l.sample, names).some((n) => on.has(lower(n))),
  );
}

/**
 * A workload taken away *by* something, in the victim's own words: the scheduler's "Preempted by
 * monitoring/perf-collector-hx9k2", "evicted by …", "killed by …".
 */
const TAKEN_BY =
  /\b(?:preempt(?:ed)?|evict(?:ed)?|kill(?:ed)?|terminat(?:ed)?|stopp(?:ed)?|displac(?:ed)?) by\b([^.;\n]{0,80})/i;

/**
 * A line of one of `targets` (the affected service or what it calls), as the change lands and
 * before the failure, saying the changed component took it away: the new workload that preempted
 * the old is the change that removed it, even with no edge between them in the catalog.
 */
export function removedBy(
  change: ChangeRecord,
  service: string | undefined,
  targets: readonly string[],
  logs: readonly LogSignature[],
  onset: string,
): LogSignature | undefined {
  if (!service || service.length < 3 || !targets.length) return undefined;
  const at = Date.parse(change.at);
  const until = Math.min(at + 10 * 60_000, Date.parse(onset) + 2 * 60_000);
  const on = new Set(targets.map(lower));
  return logs.find((l) => {
    if (!on.has(lower(l.service))) return false;
    const t = Date.parse(l.firstSeen);
    if (t < at || t > until) return false;
    const by = TAKEN_BY.exec(l.sample)?.[1];
    return !!by && mentionedNames(by, [service]).length > 0;
  });
}
