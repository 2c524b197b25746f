/**
 * Dependency health: is something the affected service calls failing? Evidence is the dependency's
 * own alarms and error/latency anomalies (including the caller's metrics about calls to it), and
 * new errors on the affected service that name it (timeouts, refused connections, 5xx, expired
 * certificates). Names come from the catalog only.
 */
import type { AlarmEvent } from '../../../ports.js';
import { headline, lower, mentionedNames, uniq } from '../measure.js';
import type { Catalog } from './catalog.js';
import { CALL_FAILURES, type RankedSignature } from './logs.js';
import type { SeriesView } from './series.js';
import { isAnomalous } from './series.js';

export interface DependencyIssue {
  service: string;
  score: number;
  /** Earliest sign of trouble on it. */
  at?: string;
  signals: string[];
  evidence: string[];
  /** The strongest call failure naming it, for the mechanism. */
  calls?: RankedSignature;
  /** Run by someone else (a vendor): nothing we operate fixes it. */
  external: boolean;
  /** A healthy sibling dependency the catalog marks as its standby/secondary. */
  standby?: string;
}

const SYMPTOM_KINDS = new Set(['errors', 'latency', 'availability']);

/** An owner that says AWS runs the service (`AWS (managed)`, `aws`). */
export const AWS_OWNER = /^(?:aws|amazon)\b/i;

export const isExternal = (catalog: Catalog, name: string): boolean => {
  const owner = catalog.get(name)?.owner ?? '';
  return /external|third.?party|vendor|saas|partner|provider|psp/i.test(owner) || AWS_OWNER.test(owner);
};

const STANDBY = /secondary|standby|backup|fallback|failover|replica|passive|\bdr\b/i;

export function alarmMentions(a: AlarmEvent, name: string): boolean {
  return lower(a.service) === lower(name) || mentionedNames(a.name, [name]).length > 0;
}

/**
 * The standby named as the failing one's counterpart: `dns-primary-x` and `dns-secondary-y` share
 * what comes before the role word, and the role words are primary and a standby's.
 */
function counterpart(failing: string, other: string): boolean {
  const f = lower(failing).split(/[^a-z0-9]+/);
  const o = lower(other).split(/[^a-z0-9]+/);
  const i = f.findIndex((t) => t === 'primary' || t === 'main' || t === 'active');
  return i >= 0 && i < o.length && STANDBY.test(o[i]) && f.slice(0, i).join('-') === o.slice(0, i).join('-');
}

/** A region's, zone's or site's short code as the last part of a name (`use1`, `euw1`, `apne1`, `fra1`, `az2`, `dc3`). */
const SITE_PART =
  /^(?:(?:us|eu|ap|sa|ca|me|af|il|cn)(?:[ewnsc]|ne|se|nw|sw)?\d{1,2}|az\d{1,2}|dc\d{1,2}|[a-z]{3}\d)$/;

/**
 * The same thing in another region or site (`gw-ingress-use1` and `gw-ingress-usw2`): names that
 * differ only in a last part naming the site. A caller already wired to both can move to the other.
 */
function regionalCopy(failing: string, other: string): boolean {
  const f = lower(failing).split(/[^a-z0-9]+/);
  const o = lower(other).split(/[^a-z0-9]+/);
  return (
    f.length >= 2 &&
    f.length === o.length &&
    f.slice(0, -1).join('-') === o.slice(0, -1).join('-') &&
    f.at(-1) !== o.at(-1) &&
    SITE_PART.test(f.at(-1)!) &&
    SITE_PART.test(o.at(-1)!)
  );
}

/** A name without its last part (`hosted-es-euw1` → `hosted-es`): what stays when a copy is named. */
const stemOf = (name: string): string =>
  lower(name)
    .split(/[^a-z0-9]+/)
    .slice(0, -1)
    .join('-');

/**
 * `name` in `text` as itself (`deploy-meta-db.c4yq.rds.amazonaws.com:5432`), not as part of a
 * longer name (`registry-web-ingress` is an ingress, not registry-web).
 */
function namedWhole(text: string, name: string): boolean {
  for (let i = text.indexOf(name); i >= 0; i = text.indexOf(name, i + 1)) {
    const edge = (c: string | undefined) => !c || !/[\w-]/.test(c);
    if (edge(text[i - 1]) && edge(text[i + name.length])) return true;
  }
  return false;
}

export function dependencyHealth(opts: {
  /** Texts of recorded failover configurations (change records that set one up). */
  failoverConfigs?: string[];
  catalog: Catalog;
  service?: string;
  alertAlarm?: string;
  alarms: AlarmEvent[];
  series: SeriesView[];
  signatures: RankedSignature[];
}): DependencyIssue[] {
  const { catalog, service } = opts;
  const direct = catalog.get(service)?.dependsOn ?? [];
  const deps = new Set(catalog.dependencies(service));
  // Services named by new call failures on the affected service count as dependencies too.
  for (const s of opts.signatures) {
    if (!s.isNew || lower(s.sig.service) !== lower(service) || !CALL_FAILURES.has(s.cls)) continue;
    for (const m of s.mentions)
      if (catalog.get(m) && lower(m) !== lower(service)) deps.add(catalog.get(m)!.name);
  }
  const issues: DependencyIssue[] = [];
  for (const dep of deps) {
    const signals: string[] = [];
    const evidence: string[] = [];
    const times: string[] = [];
    let score = 0;
    const firing = opts.alarms.filter(
      (a) => a.state === 'ALARM' && alarmMentions(a, dep) && lower(a.name) !== lower(opts.alertAlarm),
    );
    if (firing.length) {
      score += 0.3;
      signals.push(`alarm ${firing[0].name} on ${dep} fired at ${firing[0].at.slice(11, 16)}`);
      evidence.push(...firing.map((a) => a.id));
      times.push(...firing.map((a) => a.at));
    }
    const moved = opts.series.filter(
      (v) => isAnomalous(v) && lower(v.subject) === lower(dep) && SYMPTOM_KINDS.has(v.kind),
    );
    if (moved.length) {
      score += 0.3;
      signals.push(
        `${moved[0].series.metricName} for ${dep} left its baseline at ${moved[0].onset!.at.slice(11, 16)}`,
      );
      evidence.push(...moved.map((v) => v.series.id));
      times.push(...moved.map((v) => v.onset!.at));
    }
    const calls = opts.signatures.filter(
      (s) =>
        s.isNew &&
        lower(s.sig.service) === lower(service) &&
        CALL_FAILURES.has(s.cls) &&
        s.mentions.some((m) => lower(m) === lower(dep)),
    );
    if (calls.length) {
      const volume = calls.reduce((n, s) => n + s.sig.count, 0);
      score += 0.3 + Math.min(0.15, Math.log10(volume + 1) * 0.04);
      signals.push(
        `${service} logs ${volume} failed calls to ${dep}: "${headline(calls[0].sig.sample).slice(0, 140)}"`,
      );
      evidence.push(...calls.map((s) => s.sig.id));
      times.push(...calls.map((s) => s.sig.firstSeen));
    }
    const own = opts.signatures.filter((s) => s.isNew && lower(s.sig.service) === lower(dep));
    if (own.length) {
      score += 0.15;
      signals.push(`${dep} itself logs new errors: "${headline(own[0].sig.sample).slice(0, 120)}"`);
      evidence.push(...own.map((s) => s.sig.id));
      times.push(...own.map((s) => s.sig.firstSeen));
    }
    if (score > 0) {
      issues.push({
        service: dep,
        score: Math.min(0.9, score),
        at: times.sort()[0],
        signals,
        evidence: uniq(evidence),
        calls: calls[0],
        external: isExternal(catalog, dep),
      });
    }
  }
  // A dependency failing in its calls to its own failing dependency passes the blame down the
  // path: what it logs is the deeper one's failure seen from one hop closer.
  const failedCalls = (caller: string, callee: string) =>
    opts.signatures.filter(
      (s) =>
        s.isNew &&
        lower(s.sig.service) === lower(caller) &&
        CALL_FAILURES.has(s.cls) &&
        namedWhole(lower(s.sig.sample), lower(callee)),
    );
  for (const x of [...issues].sort((p, q) => q.score - p.score)) {
    for (const name of catalog.get(x.service)?.dependsOn ?? []) {
      const calls = failedCalls(x.service, name);
      if (!calls.length || lower(name) === lower(service)) continue;
      let y = issues.find((i) => lower(i.service) === lower(name));
      if (!y) {
        y = {
          service: catalog.get(name)?.name ?? name,
          score: 0,
          signals: [],
          evidence: [],
          external: isExternal(catalog, name),
        };
        issues.push(y);
      }
      y.score = Math.min(0.9, Math.max(y.score, x.score + 0.05));
      y.signals.unshift(`${x.service} fails calling it: "${headline(calls[0].sig.sample).slice(0, 140)}"`);
      y.evidence = uniq([...calls.map((c) => c.sig.id), ...y.evidence]);
      y.calls ??= calls[0];
      if (calls[0].sig.firstSeen < (y.at ?? '9999')) y.at = calls[0].sig.firstSeen;
      x.score = Math.min(x.score, y.score - 0.1);
      break;
    }
  }
  // A failing direct dependency with a healthy standby can fail over: a sibling dependency the
  // catalog marks as standby or that is the same thing in another region, or a standby the catalog names as the same thing elsewhere (it
  // shares the failing one's name stem) or that a recorded failover configuration pairs with it.
  const healthy = (d: string) =>
    lower(d) !== lower(service) && !issues.some((i) => lower(i.service) === lower(d) && i.score >= 0.3);
  const marked = (d: string) => STANDBY.test(`${d} ${catalog.get(d)?.owner ?? ''}`);
  for (const issue of issues) {
    if (!direct.some((d) => lower(d) === lower(issue.service))) continue;
    const stem = stemOf(issue.service);
    issue.standby =
      direct.find(
        (d) => lower(d) !== lower(issue.service) && STANDBY.test(catalog.get(d)?.owner ?? '') && healthy(d),
      ) ??
      direct.find((d) => regionalCopy(issue.service, d) && healthy(d)) ??
      catalog
        .names()
        .find(
          (d) =>
            lower(d) !== lower(issue.service) &&
            marked(d) &&
            healthy(d) &&
            (counterpart(issue.service, d) ||
              (stem.includes('-') && lower(d).startsWith(`${stem}-`)) ||
              (opts.failoverConfigs ?? []).some((t) => mentionedNames(t, [d]).length > 0)),
        );
  }
  return issues.sort((a, b) => b.score - a.score);
}
