/**
 * Category by owner, not by symptom: when someone else's service failed (a DDoS/DNS provider's
 * maintenance, an AWS service impaired in one Availability Zone), the failure is theirs
 * (`dependency`) even when what we see is DNS answering SERVFAIL or reads timing out. The move is
 * to route around the impaired part of their service, not to revert or scale something of ours.
 *
 * Who the provider is comes only from structured evidence: a change record the provider emitted
 * (its status feed, AWS Health) or a catalog service whose owner says it is external and whose
 * name a log line carries. Where it failed (its *scope*: a zone, a point of presence) is read from
 * the record's resource and checked against our own series: a degradation confined to that scope,
 * with the same metric elsewhere healthy, is what ties the provider's event to our incident.
 */
import type { ChangeRecord } from '../../../ports.js';
import type { Analysis } from '../analysis.js';
import { AWS_OWNER, isExternal } from '../evidence/dependencies.js';
import type { KnowledgeHit } from '../evidence/knowledge.js';
import type { SeriesView } from '../evidence/series.js';
import { conf, hhmm, lower, ms, uniq } from '../measure.js';
import { action, type Candidate } from '../rank/candidate.js';

/** A principal of ours (an IAM role or user, automation we run) made the change, not a provider. */
const OUR_PRINCIPAL =
  /arn:aws:(?:iam|sts)::|terraform|cloudformation|\bci\b|jenkins|github-actions|scaling-policy/i;

/**
 * The change record is the provider's own word about its service: emitted for a catalog service
 * run by someone else, or for a service that is not ours at all (an AWS service such as `ebs`) by
 * no principal of ours.
 */
export function isProviderChange(a: Analysis, c: ChangeRecord | undefined): boolean {
  if (!c?.service || c.kind === 'deployment') return false;
  if (a.snap.catalog.get(c.service)) return isExternal(a.snap.catalog, c.service);
  return !OUR_PRINCIPAL.test(c.actor ?? '');
}

/**
 * The record is a provider's notice about something of ours (AWS Health on our instances): no
 * principal of ours wrote it, and it is not a release.
 */
export const isProviderNotice = (c: ChangeRecord | undefined): boolean =>
  !!c &&
  c.kind !== 'deployment' &&
  !!c.actor &&
  !OUR_PRINCIPAL.test(c.actor) &&
  /^(?:aws|amazon)\b|health/i.test(c.actor);

/**
 * Words by which a log line names an external catalog service: its name's first part
 * (`shieldline` of `shieldline-ddos`) and the name its owner field gives in parentheses
 * (`external (Shieldline)`), when distinctive enough (5+ letters) to be read as a word.
 */
function providerWords(a: Analysis, name: string): string[] {
  const owner = /\(([^)]+)\)/.exec(a.snap.catalog.get(name)?.owner ?? '')?.[1] ?? '';
  return uniq([lower(name).split(/[^a-z0-9]+/)[0], lower(owner).trim()]).filter(
    (w) => w.length >= 5 && /^[a-z0-9 .-]+$/.test(w) && !ROLE_WORDS.has(w),
  );
}

/**
 * Words every error message uses for whatever is on the other end (nginx's "upstream timed out"):
 * a provider called `upstream-processor` is not named by them.
 */
const ROLE_WORDS: ReadonlySet<string> = new Set([
  'upstream',
  'downstream',
  'backend',
  'frontend',
  'origin',
  'remote',
  'server',
  'client',
  'service',
  'provider',
  'partner',
  'external',
  'gateway',
  'primary',
  'secondary',
  'legacy',
]);

const wordIn = (text: string, w: string) =>
  new RegExp(`(?:^|[^a-z0-9])${w.replace(/[.]/g, '\\.')}(?:[^a-z0-9]|$)`).test(text);

/** The external catalog service a line names, when it names exactly one. */
export function providerNamedIn(a: Analysis, text: string): string | undefined {
  const hay = lower(text);
  const named = a.snap.catalog
    .names()
    .filter((n) => isExternal(a.snap.catalog, n) && providerWords(a, n).some((w) => wordIn(hay, w)));
  return named.length === 1 ? named[0] : undefined;
}

/**
 * The provider a knowledge hit blames, if the failure is someone else's: a provider's own event
 * matching a dependency signature, or a peer-blaming network/dependency line that names an
 * external service (a SERVFAIL "from shieldline anycast").
 */
export function providerOf(a: Analysis, h: KnowledgeHit): string | undefined {
  if (h.on === 'change') {
    if (h.entry.category !== 'dependency' || h.entry.role !== 'cause') return undefined;
    const record = a.snap.changes.find((c) => c.id === h.evidenceId);
    if (!isProviderChange(a, record)) return undefined;
    return a.snap.catalog.get(record!.service)?.name ?? record!.service;
  }
  if (h.on !== 'log' || h.entry.blames !== 'peer') return undefined;
  if (h.entry.category !== 'network' && h.entry.category !== 'dependency') return undefined;
  return providerNamedIn(a, h.sample);
}

export interface Scope {
  provider: string;
  /** The provider's scope words our series carry (`us-east-1d`, `sjc`). */
  values: string[];
  /** Series confined to the scope that broke, and lines that name it. */
  evidence: string[];
  /** The provider's own records. */
  records: string[];
  at: string;
}

/** What a provider record says is affected: each listed resource and its last part (`sjc` of `x-pop-sjc`). */
function scopeTokens(resource: string | undefined): string[] {
  const out: string[] = [];
  for (const item of lower(resource)
    .split(/[\s,;]+/)
    .filter(Boolean)) {
    out.push(item);
    const last = item.split('-').pop() ?? '';
    if (item.includes('-') && last.length >= 3 && /[a-z]/.test(last)) out.push(last);
  }
  return out.filter((t) => t.length >= 3);
}

/**
 * The series left its baseline and stayed away, whichever way: queries that stop reaching one
 * location fall, errors there rise; either is the location failing when the others hold steady.
 */
const moved = (v: SeriesView): boolean =>
  !!v.onset && v.onset.sustainedRatio >= 0.5 && v.onset.magnitude >= 0.25;

const valueIn = (value: string, token: string) =>
  lower(value) === token ||
  (!/[^a-z0-9]/.test(token) &&
    lower(value)
      .split(/[^a-z0-9]+/)
      .includes(token));

/**
 * A provider's reported trouble that our own series confirm is confined to it: a series carrying a
 * scope value moved at or after the record (less ten minutes), while the same metric carrying
 * every other value of that dimension held steady.
 */
export function providerScope(a: Analysis): Scope | undefined {
  const records = a.knowledge.filter((h) => h.on === 'change' && !!providerOf(a, h));
  for (const h of records.sort((x, y) => ms(x.at) - ms(y.at))) {
    const provider = providerOf(a, h)!;
    const tokens = scopeTokens(h.resource);
    if (!tokens.length || ms(h.at) > ms(a.snap.alertAt) + 15 * 60_000) continue;
    const values = new Set<string>();
    const evidence: string[] = [];
    const inScope = (v: SeriesView, key: string) => tokens.some((t) => valueIn(v.series.dimensions[key], t));
    for (const v of a.views) {
      if (!moved(v) || ms(v.onset!.at) < ms(h.at) - 10 * 60_000) continue;
      for (const key of Object.keys(v.series.dimensions)) {
        if (!inScope(v, key)) continue;
        const elsewhere = a.views.filter(
          (o) =>
            o !== v &&
            o.series.metricName === v.series.metricName &&
            o.series.namespace === v.series.namespace &&
            key in o.series.dimensions &&
            !inScope(o, key),
        );
        if (!elsewhere.length || elsewhere.some(moved)) continue;
        for (const t of tokens) if (valueIn(v.series.dimensions[key], t)) values.add(t);
        evidence.push(v.series.id);
      }
    }
    if (!values.size) continue;
    // Lines of ours that name the scope (a host's `az=us-east-1d`, a canary's `pop=SJC`) agree.
    for (const k of a.knowledge)
      if (k.on === 'log' && tokens.some((t) => wordIn(lower(k.sample), t))) evidence.push(k.evidenceId);
    const ids = records.filter((r) => providerOf(a, r) === provider).map((r) => r.evidenceId);
    return { provider, values: [...values].sort(), evidence: uniq(evidence), records: uniq(ids), at: h.at };
  }
  return undefined;
}

/**
 * A provider hypothesis whose scope our own series confirm: stronger, its story names the scope,
 * and where nothing else offers a way out, traffic is routed away from the impaired scope.
 */
export function routeAround(a: Analysis, c: Candidate): Candidate {
  const scope = providerScope(a);
  if (!scope || lower(scope.provider) !== lower(c.culprit) || c.category !== 'dependency') return c;
  const where = scope.values.join(', ');
  const notice = a.snap.changes.find((r) => r.id === scope.records[0])?.summary.slice(0, 140);
  const confined = `the failure is confined to ${where}, where ${scope.provider} reported trouble${notice ? ` ("${notice}")` : ''}; the same metrics elsewhere are healthy`;
  return {
    ...c,
    confidence: conf(Math.min(0.9, c.confidence + 0.15)),
    summary: `${c.summary.replace(/\.$/, '')}; ${confined}.`,
    causalChain: [c.causalChain[0], confined, ...c.causalChain.slice(1)],
    evidence: uniq([...c.evidence, ...scope.evidence]).slice(0, 10),
    mitigation:
      c.mitigation ??
      action(
        'failover',
        a.snap.service,
        a.knownNames,
        `route ${a.snap.service} away from ${where}: ${scope.provider} is impaired there`,
        { from: scope.values.join('+') },
      ),
  };
}

/** A provider's notice often comes well after the failure it describes (AWS Health lags by an hour). */
const NOTICE_WINDOW_MS = 3 * 60 * 60_000;

const squash = (s: string | undefined) => lower(s).replace(/[^a-z0-9]/g, '');

/** The AWS region the alert came from: its source's own field, or the label Prometheus rules carry. */
function alertRegion(a: Analysis): string | undefined {
  const alert = a.snap.alert;
  const r = alert?.region ?? alert?.labels?.region ?? alert?.labels?.aws_region;
  return r && /^[a-z]{2}(?:-gov)?-[a-z]+-\d$/.test(r) ? r : undefined;
}

/**
 * A failing dependency that AWS runs is read where AWS reports on it. Its own notice naming the
 * service (AWS Health listing "CloudWatch Logs" among the impaired services of `us-east-1`) confirms
 * the failure is the provider's and says where; without one yet (notices lag by an hour), the story
 * names the region to look at, which is the one thing responders need to check the provider's word.
 */
export function providerConfirms(a: Analysis, c: Candidate): Candidate {
  const name = squash(c.culprit);
  if (c.category !== 'dependency' || name.length < 4 || !c.since) return c;
  const notice = a.snap.changes.find(
    (r) =>
      isProviderNotice(r) &&
      squash(r.summary).includes(name) &&
      Math.abs(ms(r.at) - ms(c.since!)) <= NOTICE_WINDOW_MS,
  );
  if (!notice) {
    const region = alertRegion(a);
    if (!region || !AWS_OWNER.test(a.snap.catalog.get(c.culprit)?.owner ?? '')) return c;
    return {
      ...c,
      summary: `${c.summary.replace(/\.$/, '')}; ${c.culprit} is run by AWS: check the AWS Health Dashboard for ${region}.`,
    };
  }
  const where = notice.resource ? ` for ${notice.resource}` : '';
  const said = `${notice.actor} reported at ${hhmm(notice.at)}${where}: "${notice.summary.slice(0, 140)}"`;
  return {
    ...c,
    confidence: conf(Math.min(0.9, c.confidence + 0.1)),
    summary: `${c.summary.replace(/\.$/, '')}; ${said}.`,
    causalChain: [c.causalChain[0], said, ...c.causalChain.slice(1)],
    evidence: uniq([...c.evidence, notice.id]).slice(0, 10),
  };
}
