/**
 * Variants of a scenario that a sound analyst must answer the same way: the company's own names
 * for its services replaced, every timestamp shifted, every magnitude scaled, and an unrelated
 * service with its own background noise added. An analyst that keys on a scenario's names, clock
 * or absolute numbers answers a variant differently; the variant check counts those.
 *
 * Technology words inside names (db, redis, kafka, api, queue, ...) are kept: they are what an
 * engineer reads a name for, and renaming `orders-db` to `amber-db` still says it is a database.
 *
 * @example
 *   const { scenario, rename } = variantOf(original, { seed: 1 });
 *   // scenario.environment.services[0].name === rename('checkout')
 */

import type { Scenario } from '../adapters/embedded/scenario/schema.js';
import { BUILTIN_KNOWLEDGE } from '../domain/knowledge/builtin.js';

/** Name parts that say what a thing is (kept), rather than which one it is (renamed). */
const KEEP =
  /^(db|database|rds|aurora|jenkins|gitlab|ci|oms|crm|erp|cms|postgres|postgresql|pg|mysql|maria|mariadb|dynamo|dynamodb|ddb|redis|cache|elasticache|memcached|valkey|mongo|mongodb|docdb|sql|api|apis|svc|service|services|web|app|gateway|gw|lb|alb|nlb|elb|queue|sqs|sns|kafka|msk|kinesis|stream|streams|worker|workers|consumer|consumers|producer|lambda|fn|function|cdn|cloudfront|waf|dns|route53|nat|vpc|tgw|s3|bucket|store|storage|search|es|opensearch|elasticsearch|proxy|edge|auth|identity|primary|secondary|standby|replica|backup|fallback|failover|external|vendor|provider|internal|public|private|east|west|eu|us|prod|staging|nginx|envoy|haproxy|consul|etcd|coredns|zookeeper|istio|calico|kube|k8s|eks|ecs|fargate|ec2|asg|node|jvm|java|python|go|dotnet|stripe|twilio|sendgrid|paypal|okta|auth0|github|slack|sftp|smtp|email|sms|push|cron|batch|etl|ml|autoscaler|scaler|flag|flags|config|appconfig|secrets|kms|iam|sts|vault|ldap|cert|tls|ssl|passive|active|mirror|dr|alt|cassandra|v\d+|\d+|[a-z])$/i;

/** Every technology the failure knowledge names is a word that says what a thing is. */
const TECHNOLOGIES = new Set(BUILTIN_KNOWLEDGE.flatMap((e) => e.technologies.map((t) => t.toLowerCase())));

/** Words that are values of the format itself (tiers, levels, states, sources, kinds, categories). */
const FORMAT_WORDS = new Set([
  'critical',
  'high',
  'standard',
  'internal',
  'error',
  'warn',
  'warning',
  'info',
  'debug',
  'fatal',
  'alarm',
  'ok',
  'firing',
  'resolved',
  'manual',
  'grafana',
  'alertmanager',
  'pagerduty',
  'cloudwatch',
  'deployment',
  'configuration',
  'capacity',
  'dependency',
  'network',
  'security',
  'code',
  'healthy',
  'rollback',
  'scale',
  'restart',
  'failover',
  'block',
  'traffic',
  'rotate',
  'credentials',
  'feature',
  'none',
  'self',
  'succeeded',
  'failed',
  'progress',
  'rolled',
  'back',
  'change',
  'aws',
  'amazon',
  'true',
  'false',
]);

/**
 * Invented words for the new names: a real word could be a technology (Kestrel, Harbor, Quartz are
 * software) and change what a name says the thing is.
 */
const ALIASES = Array.from({ length: 40 }, (_, i) => {
  const c = 'bdfgklmnprstvz';
  const v = 'aeiou';
  return `${c[i % 14]}${v[i % 5]}${c[(i * 3 + 5) % 14]}${v[(i + 2) % 5]}${c[(i * 7 + 2) % 14]}`;
});

/**
 * A region's, zone's or site's short code (`use1`, `euw1`, `apne1`, `fra1`, `az2`, `dc3`): like
 * `east` or `eu`, it says where a copy runs, not who it is, and a renaming keeps it.
 */
const SITE =
  /^(?:(?:us|eu|ap|sa|ca|me|af|il|cn)(?:[ewnsc]|ne|se|nw|sw)?\d{1,2}|az\d{1,2}|dc\d{1,2}|[a-z]{3}\d)$/i;

const ISO = /\b(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z|[+-]\d{2}:?\d{2})\b/g;

export interface VariantOptions {
  /** Picks the aliases; the same seed gives the same variant. */
  seed?: number;
  /** Added to every timestamp (default: 26 h 17 min, across a date boundary). */
  shiftMinutes?: number;
  /** Every absolute magnitude (non-percent metric values, log repeat counts) is multiplied by it. */
  scale?: number;
  /** Add an unrelated service with background noise (default true). */
  noise?: boolean;
  /** Replace the company's own names (default true). */
  rename?: boolean;
}

export interface Variant {
  scenario: Scenario;
  /** Maps a name of the original to its name in the variant (unchanged where nothing was renamed). */
  rename: (name: string) => string;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function caseLike(model: string, word: string): string {
  if (model === model.toUpperCase() && model !== model.toLowerCase()) return word.toUpperCase();
  if (model[0] === model[0].toUpperCase() && model[0] !== model[0].toLowerCase())
    return word[0].toUpperCase() + word.slice(1);
  return word;
}

function shiftIso(text: string, minutes: number): string {
  return text.replace(ISO, (whole, body: string, zone: string) => {
    const t = Date.parse(`${body}${zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone}`);
    if (Number.isNaN(t)) return whole;
    const shifted = new Date(t + minutes * 60_000).toISOString(); // always UTC
    const hasSeconds = body.length > 16;
    const fraction = body.match(/\.(\d+)$/)?.[1];
    let out = shifted.slice(0, hasSeconds ? 19 : 16);
    if (fraction) out += `.${shifted.slice(20, 23).padEnd(fraction.length, '0').slice(0, fraction.length)}`;
    return `${out}${zone === 'Z' ? 'Z' : zone.includes(':') ? '+00:00' : '+0000'}`;
  });
}

/**
 * A window people write out ("2026-01-11 08:00-09:00 UTC", a maintenance notice) names times too:
 * shifted with the clock, or the variant would contradict itself. The date is taken as UTC, as the
 * notices in the corpus give it; the end time keeps its offset from the start.
 */
const SPAN =
  /\b(\d{4}-\d{2}-\d{2})([ ,]{1,3}(?:[A-Za-z]{0,9},? )?)(\d{2}:\d{2})(\s*(?:-|–|to)\s*)(\d{2}:\d{2})\b/g;

function shiftSpans(text: string, minutes: number): string {
  return text.replace(SPAN, (whole, date: string, gap: string, from: string, dash: string, to: string) => {
    const start = Date.parse(`${date}T${from}:00Z`);
    const end = Date.parse(`${date}T${to}:00Z`);
    if (Number.isNaN(start) || Number.isNaN(end)) return whole;
    const s = new Date(start + minutes * 60_000).toISOString();
    const e = new Date(end + minutes * 60_000).toISOString();
    return `${s.slice(0, 10)}${gap}${s.slice(11, 16)}${dash}${e.slice(11, 16)}`;
  });
}

function mapStrings(value: unknown, f: (s: string, key?: string) => string, key?: string): unknown {
  if (typeof value === 'string') return f(value, key);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, f, key));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, f, k)]));
  }
  return value;
}

const isPercentMetric = (m: { unit?: string; metricName: string }) =>
  /percent/i.test(m.unit ?? '') || /percent|utili[sz]ation|ratio|rate$/i.test(m.metricName);

export function variantOf(original: Scenario, opts: VariantOptions = {}): Variant {
  const seed = opts.seed ?? 1;
  const shift = opts.shiftMinutes ?? 26 * 60 + 17;
  const scale = opts.scale ?? 3;
  const tokens = new Map<string, string>();
  let next = seed;
  for (const s of opts.rename === false ? [] : (original.environment.services ?? [])) {
    for (const part of s.name.toLowerCase().split(/[^a-z0-9]+/)) {
      if (
        !part ||
        part.length < 3 ||
        KEEP.test(part) ||
        SITE.test(part) ||
        TECHNOLOGIES.has(part) ||
        FORMAT_WORDS.has(part)
      )
        continue;
      if (tokens.has(part)) continue;
      tokens.set(part, ALIASES[next++ % ALIASES.length] + (next > ALIASES.length ? String(next) : ''));
    }
  }
  // Whole names are replaced, not their parts: a part can be an ordinary word of the log text
  // ("dns-resolution" and "Temporary failure in name resolution").
  const renamed = new Map<string, string>();
  for (const s of original.environment.services ?? []) {
    const to = s.name.replace(/[A-Za-z0-9]+/g, (part) =>
      caseLike(part, tokens.get(part.toLowerCase()) ?? part),
    );
    if (to !== s.name) renamed.set(s.name.toLowerCase(), to);
  }
  const pattern = renamed.size
    ? new RegExp(
        `(?<![A-Za-z0-9])(${[...renamed.keys()]
          .sort((a, b) => b.length - a.length)
          .map(escapeRegExp)
          .join('|')})(?![A-Za-z0-9])`,
        'gi',
      )
    : undefined;
  const rename = (text: string) =>
    pattern ? text.replace(pattern, (w: string) => caseLike(w, renamed.get(w.toLowerCase()) ?? w)) : text;
  // Values of the format's own enumerations are not names, whatever they spell.
  const ENUM_KEYS = new Set([
    'tier',
    'level',
    'state',
    'kind',
    'severity',
    'category',
    'mitigation',
    '$schema',
  ]);
  const transformed = mapStrings(original, (s, key) =>
    key && ENUM_KEYS.has(key) ? s : shiftSpans(shiftIso(rename(s), shift), shift),
  ) as Scenario;
  // Recovery entries are `kind:target`: the kind is not a name.
  if (transformed.environment.recovery?.resolvedBy) {
    transformed.environment.recovery.resolvedBy = (original.environment.recovery?.resolvedBy ?? []).map(
      (e) => {
        const [kind, target] = e.split(':', 2);
        return target ? `${kind}:${rename(target)}` : kind;
      },
    );
  }
  transformed.alert.source = original.alert.source;
  const env = transformed.environment;
  for (const m of env.metrics ?? []) {
    if (isPercentMetric(m)) continue;
    m.points = m.points.map(([t, v]) => [t, Math.round(v * scale * 1000) / 1000] as [string, number]);
  }
  for (const l of env.logs ?? []) if (l.count) l.count = Math.max(1, Math.round(l.count * scale));
  if (opts.noise !== false) addNoise(transformed, ALIASES[(seed + 7) % ALIASES.length]);
  return { scenario: transformed, rename };
}

/** An unrelated internal service with a steady metric, a chronic warning and a bookkeeping change. */
function addNoise(s: Scenario, alias: string): void {
  const env = s.environment;
  const times = [
    ...(env.metrics ?? []).flatMap((m) => m.points.map((p) => p[0])),
    ...(env.logs ?? []).map((l) => l.timestamp),
  ].sort();
  if (!times.length) return;
  const first = Date.parse(times[0]);
  const last = Date.parse(times[times.length - 1]);
  const name = `${alias}-reports`;
  env.services = [...(env.services ?? []), { name, tier: 'internal', owner: 'data-team', dependsOn: [] }];
  const points: Array<[string, number]> = [];
  for (let t = first; t <= last; t += 5 * 60_000)
    points.push([new Date(t).toISOString(), 40 + ((t / 60_000) % 3)]);
  env.metrics = [
    ...(env.metrics ?? []),
    {
      namespace: 'Reports',
      metricName: 'JobsCompleted',
      service: name,
      stat: 'Sum',
      periodSeconds: 300,
      points,
    },
  ];
  env.logs = [
    ...(env.logs ?? []),
    {
      service: name,
      timestamp: new Date(first).toISOString(),
      level: 'WARN',
      message: 'report template cache miss, rebuilding',
      count: 12,
    },
  ];
  env.changes = [
    ...(env.changes ?? []),
    {
      timestamp: new Date(first + (last - first) / 2).toISOString(),
      eventName: 'TagResource',
      service: name,
      resource: `${name}-bucket`,
      actor: 'data-team',
      summary: `Added cost-center tag to ${name}-bucket`,
    },
  ];
}
