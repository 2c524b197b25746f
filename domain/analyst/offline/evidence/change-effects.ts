/**
 * What followed a change on the service it touched: new errors, a series that moved, an
 * accumulating resource that began to climb with it. These tie a change to an incident beyond its
 * timing (`changes.ts` weighs them).
 */
import type { ChangeRecord, LogSignature } from '../../../ports.js';
import { lower, median, ms, uniq } from '../measure.js';
import { affinity } from './change-relevance.js';
import { CALL_FAILURES, type RankedSignature } from './logs.js';
import { ACCUMULATING } from './metric-kinds.js';
import { isCreeping } from './saturation.js';
import { isAnomalous, type SeriesView } from './series.js';

/** A lasting rise that a change set off: the series, whose it is, and when it left its level. */
export interface Burn {
  view: SeriesView;
  service: string;
  since: string;
  from: number;
  to: number;
}

/**
 * A sustained, never-recovered rise of an accumulating resource on the changed service that began
 * as the change landed (a deployment rolls out over a few minutes). A release that leaks
 * connections shows on what it connects to: the open connections of a store it `calls`. A leak
 * climbs too slowly for a step detector, so a steady climb that left a flat level as the change
 * landed counts as well.
 */
export function slowBurn(
  change: ChangeRecord,
  service: string | undefined,
  series: SeriesView[],
  calls: readonly string[] = [],
): Burn | undefined {
  if (!service) return undefined;
  const at = ms(change.at);
  const lead = (change.kind === 'deployment' ? 6 : 2) * 60_000;
  const own = (v: SeriesView) => lower(v.service) === lower(service);
  // A store's connections stepping up is as often its callers waiting on it; only a slow climb
  // from the release on says the release holds them.
  const held = (v: SeriesView) =>
    change.kind === 'deployment' &&
    v.kind === 'connections' &&
    calls.some((c) => lower(c) === lower(v.service));
  const near = (t: number) => t >= at - lead && t <= at + 30 * 60_000;
  const fromChange = (v: SeriesView) => isAnomalous(v) && !v.onset!.recovered && near(ms(v.onset!.at));
  // Requests arriving in a burst at the same moment would explain a CPU step as well as the change.
  const trafficStepped = series.some(
    (v) => v.kind === 'traffic' && own(v) && fromChange(v) && v.onset!.direction === 'up',
  );
  const stepped = (v: SeriesView): Burn => ({
    view: v,
    service: v.service ?? service,
    since: v.onset!.at,
    from: v.onset!.baseline,
    to: v.onset!.peak,
  });
  for (const v of series) {
    if (!own(v) && !held(v)) continue;
    // A store's connections stepping up the minutes a release rolled out (its new tasks opening
    // pools beside the old) are the release's; a step a quarter-hour later is something else's.
    if (
      held(v) &&
      fromChange(v) &&
      v.onset!.direction === 'up' &&
      ms(v.onset!.at) <= at + STEP_WITH_RELEASE_MS
    )
      return stepped(v);
    if (
      own(v) &&
      fromChange(v) &&
      (ACCUMULATING.has(v.kind) ||
        // A release that made each request dearer: CPU stepped up as it rolled out and stayed up,
        // with no more requests, and the next peak finds the ceiling.
        (v.kind === 'cpu' &&
          change.kind === 'deployment' &&
          v.onset!.direction === 'up' &&
          v.onset!.magnitude >= CPU_STEP &&
          !trafficStepped))
    )
      return stepped(v);
    if (!ACCUMULATING.has(v.kind)) continue;
    const climb = climbFrom(v, at);
    if (climb && near(ms(climb.since))) return { view: v, service: v.service ?? service, ...climb };
  }
  return undefined;
}

/**
 * Where a series left the flat level it held before `at` and climbed steadily, never back: the
 * first point above the level's band after which (almost) every point stays above it.
 */
function climbFrom(v: SeriesView, at: number): { since: string; from: number; to: number } | undefined {
  const before = v.series.points.filter(([t]) => ms(t) < at).map(([, x]) => x);
  const after = v.series.points.filter(([t]) => ms(t) >= at);
  if (before.length < 6 || after.length < 8) return undefined;
  const level = median(before);
  const band = Math.max(3 * median(before.map((x) => Math.abs(x - level))), Math.abs(level) * 0.03);
  // Flat before: a series already climbing has its own story.
  if (before.some((x) => Math.abs(x - level) > 2 * band)) return undefined;
  const values = after.map(([, x]) => x);
  if (!isCreeping(values)) return undefined;
  const start = values.findIndex((_, i) => {
    const rest = values.slice(i);
    return rest[0] > level + band && rest.filter((x) => x > level + band).length >= rest.length * 0.95;
  });
  if (start < 0) return undefined;
  return { since: after[start][0], from: level, to: Math.max(...values) };
}

/** How soon after a release a store's connections must step up to be read as the release's. */
const STEP_WITH_RELEASE_MS = 10 * 60_000;

/** How far CPU must step up at a release (a third more) to be read as the release's added cost. */
const CPU_STEP = 0.3;

/** New errors on the changed service shortly after the change, except those about calling others. */
export function ownErrors(
  change: ChangeRecord,
  service: string | undefined,
  signatures: RankedSignature[],
  withinMinutes = 15,
): RankedSignature[] {
  const at = ms(change.at);
  const lead = (change.kind === 'deployment' ? 6 : 2) * 60_000;
  const near = (t: string) => ms(t) >= at - lead && ms(t) <= at + withinMinutes * 60_000;
  const same = (s: string | undefined) => !!service && lower(s) === lower(service);
  const aboutOther = (s: RankedSignature) =>
    CALL_FAILURES.has(s.cls) && s.mentions.some((m) => !same(m) && lower(m) !== lower(change.resource));
  return signatures.filter((s) => s.isNew && same(s.sig.service) && near(s.sig.firstSeen) && !aboutOther(s));
}

/**
 * Failure signals on the changed service (or, if it is the affected one, on it) shortly after the
 * change. Errors calling another known service and series about another service are left out:
 * they point at that service, not at this change.
 */
export function corroborate(
  change: ChangeRecord,
  service: string | undefined,
  opts: { signatures: RankedSignature[]; series: SeriesView[]; disowned?: boolean },
): string[] {
  const out: string[] = [];
  const at = ms(change.at);
  // A deployment takes effect while it rolls out (it is stamped at completion); a change at once.
  const lead = (change.kind === 'deployment' ? 6 : 2) * 60_000;
  const near = (t: string) => ms(t) >= at - lead && ms(t) <= at + 15 * 60_000;
  const same = (s: string | undefined) => !!service && lower(s) === lower(service);
  const errs = ownErrors(change, service, opts.signatures);
  if (errs.length && !opts.disowned)
    out.push(`new ${errs[0].cls} errors on ${service} from ${errs[0].sig.firstSeen}`);
  const moved = opts.series.filter(
    (v) => isAnomalous(v) && same(v.service) && same(v.subject) && near(v.onset!.at),
  );
  if (moved.length) out.push(`${moved[0].series.metricName} on ${service} moved at ${moved[0].onset!.at}`);
  return out;
}

/**
 * The new error a release's own words are about: its description says what it changed ("routing
 * overrides loaded from config/routing-overrides.<env>.json"), and its service now fails on that very
 * thing (`ENOENT ... open '/srv/app/build/config/routing-overrides.production.json'`). A release rolls
 * out for as long as it takes, so the error may begin well after it started; it must begin before
 * the incident was well under way. Two shared stems, names of services left out.
 *
 * @example ownWords(release, 'notify-api', signatures, onset, names) // the ENOENT signature
 */
/** How long after a release began its own words can first come true in its service's errors. */
const OWN_WORDS_WITHIN_MS = 2 * 60 * 60_000;

export function ownWords(
  change: ChangeRecord,
  service: string | undefined,
  signatures: RankedSignature[],
  onset: string,
  names: readonly string[],
): RankedSignature | undefined {
  if (change.kind !== 'deployment' || !service || change.summary.length < 12) return undefined;
  const from = ms(change.at) - 6 * 60_000;
  // However long a rollout, errors first seen hours after it began are not its words coming true.
  const until = Math.min(ms(onset) + 15 * 60_000, ms(change.at) + OWN_WORDS_WITHIN_MS);
  return signatures
    .filter(
      (s) =>
        s.isNew &&
        lower(s.sig.service) === lower(service) &&
        ms(s.sig.firstSeen) >= from &&
        ms(s.sig.firstSeen) <= until &&
        affinity(change, s.sig.sample, [...names, service]).length >= 2,
    )
    .sort((x, y) => y.sig.count - x.sig.count)[0];
}

/**
 * A line of the affected service, from the change until just after the onset, naming the object
 * the change wrote by the last two parts of its path (`smartedge/optimization.bin` for
 * `hop-edge-storage/smartedge/optimization.bin`): the service loaded what the change delivered.
 */
export function takenIn(
  change: ChangeRecord,
  service: string | undefined,
  logs: LogSignature[],
  onset: string,
): LogSignature | undefined {
  const parts = (change.resource ?? '').split('/').filter(Boolean);
  if (change.kind !== 'change' || parts.length < 2 || !service) return undefined;
  const tail = lower(parts.slice(-2).join('/'));
  if (tail.length < 8) return undefined;
  return logs.find(
    (l) =>
      lower(l.service) === lower(service) &&
      ms(l.firstSeen) >= ms(change.at) &&
      ms(l.firstSeen) <= ms(onset) + 5 * 60_000 &&
      lower(l.sample).includes(tail),
  );
}

/** A change that took something away: deleted, expired, pruned, revoked. */
const REMOVES = /\b(delet|expir|remov|purg|prun|destroy|drop|revok|deregist|untag)\w*/i;

/**
 * Identifiers distinctive enough that a second mention is the same thing: an image tag or digest,
 * a key id, a release (`main-4f9c2e1`, `sha256:9c0e…`), letters and digits together, no date.
 */
const distinctIds = (text: string): string[] =>
  uniq(
    (text.match(/[a-z0-9][\w.:-]{5,}[a-z0-9]/gi) ?? [])
      .map(lower)
      .filter((t) => /[a-z]/.test(t) && /\d/.test(t) && !/^\d{4}-\d{2}-\d{2}/.test(t)),
  );

/** A line reporting a failure: its level, or its words when the level is not kept. */
const FAILING = /\b(?:not ?found|fail\w*|error|missing|unknown|no such|denied|refused|backoff)\b/i;

/**
 * A failure, after a change that took things away, naming one of the things it took by its
 * identifier: the lifecycle rule expired `secret-detector:main-4f9c2e1`, and the pull that fails
 * hours later asks for `secret-detector:main-4f9c2e1`. The missing thing ties them, however long
 * nothing needed it.
 */
export function missingWhatItRemoved(
  change: ChangeRecord,
  logs: LogSignature[],
  onset: string,
): LogSignature | undefined {
  if (!REMOVES.test(change.summary)) return undefined;
  const ids = distinctIds(change.summary);
  if (!ids.length) return undefined;
  return logs.find(
    (l) =>
      ms(l.firstSeen) > ms(change.at) &&
      ms(l.firstSeen) <= ms(onset) + 15 * 60_000 &&
      (/WARN|ERR|FATAL|CRIT/i.test(l.level) || FAILING.test(l.sample)) &&
      ids.some((id) => lower(l.sample).includes(id)),
  );
}

/** An operation its resource reports as under way (`Upgrade in progress`, `DB instance shutdown`). */
const AT_WORK =
  /\b(?:in progress|upgrading|modifying|applying|rebooting|shut ?down|shutting down|restarting)\b/i;

/** Version-like tokens (`17.9`, `v2.4.1`) and distinctive ids a change and a line can share. */
const sharedTokens = (text: string): string[] =>
  uniq([...(text.match(/\bv?\d+\.\d+(?:\.\d+)?\b/gi) ?? []).map(lower), ...distinctIds(text)]);

/**
 * The changed resource's own line, from the change until just after the onset, reporting an
 * operation still under way (`Upgrade in progress: creating pre-upgrade snapshot` after
 * `EngineVersion 14.7 -> 17.9`): the change was still acting when things broke, so its timing
 * counts from that line, not from when it was requested. The line names what the change changes
 * to, or the change is the last one made to that resource before it. The latest such line.
 */
export function stillAtWork(
  change: ChangeRecord,
  service: string | undefined,
  logs: LogSignature[],
  onset: string,
  changes: readonly ChangeRecord[],
): LogSignature | undefined {
  if (!service || change.kind !== 'change') return undefined;
  const tokens = sharedTokens(change.summary);
  const lines = logs
    .filter(
      (l) =>
        lower(l.service) === lower(service) &&
        ms(l.firstSeen) >= ms(change.at) &&
        ms(l.firstSeen) <= ms(onset) + 2 * 60_000 &&
        AT_WORK.test(l.sample),
    )
    .sort((x, y) => ms(y.firstSeen) - ms(x.firstSeen));
  const named = lines.some((l) => tokens.some((t) => lower(l.sample).includes(t)));
  const last = !changes.some(
    (c) =>
      c !== change &&
      lower(c.service) === lower(service) &&
      ms(c.at) > ms(change.at) &&
      ms(c.at) <= ms(lines[0]?.firstSeen ?? change.at),
  );
  return named || (lines.length && last) ? lines[0] : undefined;
}
