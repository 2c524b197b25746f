/**
 * Candidates from platform events: AWS failed over, rebooted or replaced something the affected
 * service depends on. The event itself is over by the time anyone looks; what keeps failing is
 * usually the client holding connections to the old instance (writes to a now read-only node,
 * broken sockets, cached DNS). Restarting the affected service makes it reconnect.
 */
import type { Analysis } from '../analysis.js';
import { mechanismOf } from '../evidence/logs.js';
import { isAnomalous } from '../evidence/series.js';
import { conf, fmtNumber, headline, hhmm, lower, ms, zoneIn } from '../measure.js';
import { action, type Candidate } from '../rank/candidate.js';
import { capacityDirection } from '../rank/latent.js';
import { isDatabase } from './resources.js';

const DISRUPTIVE =
  /fail(ing|ed)? ?over|reboot|restart|shut ?down|maintenance|replac(ed|ing) (host|instance)|host (degraded|retire)|instance (retire|stopp)|promot/i;

/**
 * A notice of what will happen (an upgrade pending for the next maintenance window) is not what
 * happened: nothing failed over yet.
 */
const ANNOUNCED = /\b(pending|upcoming|to be applied|will be|next maintenance window|is available)\b/i;
const HAPPENED =
  /\b(started|completed|in progress|began|finished|failed over|rebooted|restarted|applied at)\b/i;
const onlyAnnounced = (summary: string): boolean => ANNOUNCED.test(summary) && !HAPPENED.test(summary);

/** A cache's share of reads it answers from memory (a buffer pool, a block cache). */
const HIT_RATIO = /hit.?(?:ratio|rate)|cache.?hits?.?(?:ratio|rate|percent)/i;

/**
 * The node that took over started cold: its cache hit ratio fell as the event happened and has been
 * climbing back since. What is slow is the new node reading from disk, not clients holding old
 * connections; it warms on its own. Described, or undefined.
 */
function coldAfter(a: Analysis, target: string, at: string): string | undefined {
  const v = a.views.find(
    (x) =>
      lower(x.service) === lower(target) &&
      HIT_RATIO.test(x.series.metricName) &&
      x.onset?.direction === 'down' &&
      ms(x.onset.at) >= ms(at) - 2 * 60_000,
  );
  if (!v?.onset) return undefined;
  const last = v.series.points.at(-1)![1];
  // Climbing back: the latest reading has won back at least half of what was lost.
  if (last < v.onset.peak + (v.onset.baseline - v.onset.peak) / 2) return undefined;
  return `${v.series.metricName} fell from ${fmtNumber(v.onset.baseline)} to ${fmtNumber(v.onset.peak)} at ${hhmm(v.onset.at)}, back to ${fmtNumber(last)}`;
}

/** Error classes that stale connections to a moved or restarted backend produce. */
const STALE = new Set(['database', 'db-connections', 'dependency', 'timeout', 'network']);

export function explainPlatform(a: Analysis): Candidate[] {
  const self = a.snap.service;
  const related = new Set([lower(self), ...a.snap.catalog.dependencies(self).map(lower)]);
  const out: Candidate[] = [];
  for (const c of a.changes) {
    if (c.flavor !== 'platform' || !DISRUPTIVE.test(c.change.summary) || onlyAnnounced(c.change.summary))
      continue;
    if (!related.has(lower(c.service))) continue;
    if (c.leadMinutes < -10) continue;
    const target = c.service!;
    const after = a.signatures.filter(
      (s) =>
        s.isNew &&
        lower(s.sig.service) === lower(self) &&
        STALE.has(s.cls) &&
        ms(s.sig.firstSeen) >= ms(c.change.at) - 2 * 60_000,
    );
    const stale =
      after.find((s) => /read-only|readonly|broken|stale|closed|reset|terminat/i.test(s.sig.sample)) ??
      after[0];
    const word = isDatabase(target) ? 'database' : 'dependency';
    const cold = coldAfter(a, target, c.change.at);
    const restart = stale && lower(target) !== lower(self) && !cold;
    out.push({
      category: isDatabase(target) ? 'database' : 'dependency',
      culprit: target,
      summary:
        `${target} had a platform failover/restart at ${hhmm(c.change.at)} ("${c.change.summary.slice(0, 90)}")` +
        (cold
          ? `; the new node started with a cold cache (${cold}): reads go to disk until it warms, and ${self} is slow meanwhile${stale ? `, failing with ${mechanismOf(stale)}: "${headline(stale.sig.sample).slice(0, 100)}" (${stale.sig.count}x)` : ''}. It recovers as the cache fills.`
          : stale
            ? `; ${self} kept using stale connections to the old ${word} node and fails with ${mechanismOf(stale)}: "${headline(stale.sig.sample).slice(0, 100)}" (${stale.sig.count}x).`
            : '.'),
      causalChain: [
        `${target}: ${c.change.summary.slice(0, 100)} at ${hhmm(c.change.at)}`,
        ...(cold
          ? [`the failover landed on a cold node: ${cold}`]
          : stale
            ? [`${self} still talks to the old node: ${headline(stale.sig.sample).slice(0, 80)}`]
            : []),
        `${a.snap.alert?.title ?? 'the alert'} fired`,
      ],
      confidence: conf(0.45 + (stale ? 0.3 : 0) + (c.leadMinutes >= -3 && c.leadMinutes <= 15 ? 0.1 : 0)),
      evidence: [c.change.id, ...after.slice(0, 3).map((s) => s.sig.id)],
      mitigation: restart
        ? action(
            'restart',
            self,
            a.knownNames,
            `${self} holds connections to the pre-failover ${word} node; a restart reconnects it to the new one`,
          )
        : null,
      specialists: ['changes', 'dependencies'],
    });
  }
  out.push(...providerDegradations(a), ...providerRestrictions(a));
  // One candidate per target: the strongest event wins.
  return out
    .sort((x, y) => y.confidence - x.confidence)
    .filter((c, i, all) => all.findIndex((o) => lower(o.culprit) === lower(c.culprit)) === i);
}

/** A provider saying one of its services is impaired, rather than that it acted on our resource. */
const DEGRADED =
  /degraded|operational issue|impair|elevated (?:error|latenc|fault)|increased (?:error|latenc|fault)|connectivity issue/i;
/**
 * A provider's health notice that one of its services is degraded (storage in one zone, an API
 * returning errors), followed on our path by that very service's metrics going bad or by errors
 * that name the notice's zone: the provider is the cause, and the way out is to move the work
 * out of what it scoped (a failover of the service that runs there). Changes made by people at
 * the same time, which rank by timing, do not explain a provider's storage turning slow.
 */
function providerDegradations(a: Analysis): Candidate[] {
  const out: Candidate[] = [];
  const self = a.snap.service;
  const path = new Set([lower(self), ...a.snap.catalog.dependencies(self).map(lower)]);
  for (const c of a.changes) {
    const ch = c.change;
    if (c.flavor !== 'platform' || !DEGRADED.test(ch.summary) || c.leadMinutes < -10) continue;
    const provider = ch.service ?? '';
    if (provider.length < 2 || a.snap.catalog.get(provider)) continue;
    const scope = zoneIn(`${ch.resource ?? ''} ${ch.summary}`);
    const after = (t: string) => ms(t) >= ms(ch.at) - 10 * 60_000;
    // The provider's own namespace (AWS/EBS for ebs) moving on a service of ours on the path.
    const own = a.views.filter(
      (v) =>
        isAnomalous(v) &&
        path.has(lower(v.service)) &&
        lower(v.series.namespace).split('/').includes(lower(provider)) &&
        after(v.onset!.at),
    );
    const scoped = scope
      ? a.signatures.filter(
          (s) => s.isNew && path.has(lower(s.sig.service)) && lower(s.sig.sample).includes(lower(scope)),
        )
      : [];
    if (!own.length && !scoped.length) continue;
    const where = own[0]?.service ?? scoped[0].sig.service ?? self;
    const confidence = 0.5 + (own.length ? 0.15 : 0) + (scoped.length ? 0.15 : 0);
    out.push({
      category: 'dependency',
      culprit: provider,
      summary:
        `${provider}${scope ? ` in ${scope}` : ''} is degraded on the provider's side (notice at ${hhmm(ch.at)}: "${ch.summary.slice(0, 110)}")` +
        (own.length
          ? `; ${own[0].series.metricName} on ${own[0].service} went bad from ${hhmm(own[0].onset!.at)}`
          : '') +
        (scoped.length
          ? `; ${scoped[0].sig.service} logs failures in ${scope} (${scoped[0].sig.count}x)`
          : '') +
        '.',
      causalChain: [
        `${provider}${scope ? ` (${scope})` : ''}: ${ch.summary.slice(0, 100)}`,
        ...(own.length ? [`${own[0].series.metricName} on ${own[0].service} degraded`] : []),
        `${a.snap.alert?.title ?? 'the alert'} fired`,
      ],
      confidence: conf(confidence),
      evidence: [
        ch.id,
        ...own.slice(0, 2).map((v) => v.series.id),
        ...scoped.slice(0, 2).map((s) => s.sig.id),
      ],
      mitigation: action(
        'failover',
        where,
        a.knownNames,
        `move ${where} off ${provider}${scope ? ` in ${scope}` : ''}, which the provider reports degraded`,
        scope ? { from: scope } : {},
      ),
      specialists: ['changes', 'dependencies'],
      since: ch.at,
    });
  }
  return out;
}

/** A limit the provider itself lowered or a restriction it placed on our account. */
const RESTRICTED =
  /\b(?:quota|limit|concurrency|rate)\b[^.]*\b(?:\d[\d,]*\s*(?:->|→|to)\s*\d|reduc\w*|lower\w*|restrict\w*)|\brestrict(?:ed|ion)\b/i;

/** The provider as its record names it (`AWS`, `ecr.amazonaws.com` → `ecr`), else a plain word. */
const providerName = (actor: string | undefined): string =>
  actor && /^[\w .-]{2,40}$/.test(actor) ? actor.replace(/\.amazonaws\.com$/i, '') : 'The provider';

/**
 * The provider lowered one of our limits or restricted the account (a quota cut from 1000 to 10
 * after an abuse report), and the service it applies to began being throttled right after: the
 * provider's action is the cause. Nothing of ours undoes it; the provider must lift it.
 */
function providerRestrictions(a: Analysis): Candidate[] {
  const out: Candidate[] = [];
  const self = a.snap.service;
  const path = new Set([lower(self), ...a.snap.catalog.dependencies(self).map(lower)]);
  for (const c of a.changes) {
    const ch = c.change;
    if (c.flavor !== 'platform' || !RESTRICTED.test(ch.summary) || capacityDirection(ch.summary) === 'up')
      continue;
    const target = c.service;
    if (!target || !path.has(lower(target))) continue;
    const throttled = a.signatures.find(
      (s) =>
        s.isNew &&
        s.cls === 'throttling' &&
        lower(s.sig.service) === lower(target) &&
        ms(s.sig.firstSeen) >= ms(ch.at) - 60_000 &&
        ms(s.sig.firstSeen) <= ms(ch.at) + 15 * 60_000,
    );
    if (!throttled) continue;
    out.push({
      category: 'dependency',
      culprit: target,
      summary:
        `${providerName(ch.actor)} restricted ${target} at ${hhmm(ch.at)} ("${ch.summary.slice(0, 120)}"), and ${target} has been throttled since ` +
        `${hhmm(throttled.sig.firstSeen)}: "${headline(throttled.sig.sample).slice(0, 100)}" (${throttled.sig.count}x). ` +
        'Nothing of ours lifts it; escalate to the provider.',
      causalChain: [
        `${ch.summary.slice(0, 100)} (${hhmm(ch.at)})`,
        `${target} throttled: ${headline(throttled.sig.sample).slice(0, 80)}`,
        `${a.snap.alert?.title ?? 'the alert'} fired`,
      ],
      confidence: conf(0.8),
      evidence: [ch.id, throttled.sig.id],
      mitigation: null,
      noRemedy: true,
      specialists: ['changes', 'dependencies'],
      since: ch.at,
    });
  }
  return out;
}
