/**
 * Who a knowledge hit blames: the technology a service runs (from its CloudWatch namespaces), whether
 * an entry fits it at all, and the culprit the evidence names (itself, a peer it calls, a dependency).
 */
import type { KnowledgeEntry } from '../../../knowledge/schema.js';
import type { Analysis } from '../analysis.js';
import { isExternal } from '../evidence/dependencies.js';
import type { KnowledgeHit } from '../evidence/knowledge.js';
import { lower, ms } from '../measure.js';
import { isDatabase } from './resources.js';

/** What a CloudWatch namespace says a resource is, in the words knowledge entries use. */
export const NAMESPACE_TECH: Array<[RegExp, string[]]> = [
  [/^AWS\/DynamoDB$/i, ['dynamodb']],
  [/^AWS\/(RDS|DocDB|Neptune)$/i, ['rds', 'aurora', 'postgresql', 'mysql', 'database']],
  [/^AWS\/(ElastiCache|MemoryDB)$/i, ['elasticache', 'redis', 'memcached', 'valkey']],
  [/^AWS\/Lambda$/i, ['lambda']],
  [/^AWS\/SQS$/i, ['sqs']],
  [/^AWS\/SNS$/i, ['sns']],
  [/^AWS\/Kinesis$/i, ['kinesis']],
  [/^AWS\/Kafka$/i, ['kafka', 'msk']],
  [/^AWS\/(ApplicationELB|NetworkELB|ELB)$/i, ['alb', 'nlb', 'elb', 'load balancer']],
  [/^AWS\/NATGateway$/i, ['nat', 'vpc']],
  [/^AWS\/(ECS|EKS)$|^ContainerInsights$/i, ['ecs', 'eks', 'kubernetes', 'containers']],
  [/^AWS\/CloudFront$/i, ['cloudfront', 'cdn']],
  [/^AWS\/WAFV2$/i, ['waf']],
  [/^AWS\/S3$/i, ['s3']],
  [/^AWS\/(ES|OpenSearch)/i, ['opensearch', 'elasticsearch']],
];

/** An exporter's metric prefix names the engine it scrapes (`mongodb_rs_primary_count`, `pg_stat_*`). */
const METRIC_PREFIX_TECH: Array<[RegExp, string[]]> = [
  [/^mongodb_/i, ['mongodb']],
  // CloudNativePG's exporter prefixes its series with the operator's name (`cnpg_pg_replication_lag`).
  [/^(?:pg|postgres(?:ql)?|cnpg)_/i, ['postgresql']],
  [/^mysql_/i, ['mysql']],
  [/^redis_/i, ['redis']],
  [/^memcached_/i, ['memcached']],
  [/^kafka_/i, ['kafka']],
  [/^(?:elasticsearch|opensearch)_/i, ['elasticsearch', 'opensearch']],
  [/^cassandra_/i, ['cassandra']],
  [/^rabbitmq_/i, ['rabbitmq']],
];

/** Engines whose failure is a database failure when we run them. */
const DATASTORE_TECH: ReadonlySet<string> = new Set([
  'mongodb',
  'postgresql',
  'mysql',
  'redis',
  'memcached',
  'elasticsearch',
  'opensearch',
  'cassandra',
  'rds',
  'aurora',
  'dynamodb',
  'elasticache',
]);

/**
 * Words for what a service is: its name, the namespaces of the series that belong to it, and the
 * engine its exporter's metric names say it runs.
 */
export function technologiesOf(a: Analysis, service: string): Set<string> {
  const words = new Set(lower(service).split(/[^a-z0-9]+/));
  for (const v of a.views) {
    if (lower(v.service) !== lower(service)) continue;
    for (const [re, tech] of NAMESPACE_TECH)
      if (re.test(v.series.namespace)) for (const t of tech) words.add(t);
    for (const [re, tech] of METRIC_PREFIX_TECH)
      if (re.test(v.series.metricName)) for (const t of tech) words.add(t);
  }
  return words;
}

/**
 * A line names `service` by the engine it runs (`Can't connect to MySQL server` for `shop-mysql`):
 * a word that says what it is, which survives any renaming of who it is.
 */
export const namedByEngine = (a: Analysis, service: string, text: string): boolean => {
  const engines = [...technologiesOf(a, service)].filter((t) => DATASTORE_TECH.has(t));
  const words = new Set(lower(text).split(/[^a-z0-9]+/));
  return engines.some((t) => words.has(t));
};

/** The service is a datastore by what its telemetry says it runs, whatever it is called (`site-kv`). */
export const runsDatastore = (a: Analysis, service: string): boolean =>
  [...technologiesOf(a, service)].some((t) => DATASTORE_TECH.has(t));

/**
 * Stores and brokers a caller talks to: their refusals (a cache out of memory, a throttled table, a
 * full topic) quoted by the caller are about them, whatever the entry's category.
 */
const STORE_TECH: ReadonlySet<string> = new Set([
  'redis',
  'valkey',
  'elasticache',
  'memcached',
  'dynamodb',
  'kafka',
  'msk',
  'kinesis',
  'sqs',
  'rds',
  'aurora',
  'postgresql',
  'mysql',
  'opensearch',
  'elasticsearch',
]);

/** The service is the kind of thing the entry is about (a Redis entry and a cache cluster). */
export function fits(a: Analysis, service: string | undefined, entry: KnowledgeEntry): boolean {
  if (!service) return false;
  if (entry.category === 'database' && isDatabase(service)) return true;
  const words = technologiesOf(a, service);
  const name = lower(service);
  return entry.technologies.some((t) => words.has(lower(t)) || (t.length >= 4 && name.includes(lower(t))));
}

/** Dependencies of `service` that fit one of the entry's technologies (redis, kafka, ...). */
export function technologyDependency(a: Analysis, service: string | undefined, entry: KnowledgeEntry) {
  return a.snap.catalog.dependencies(service).find((d) => fits(a, d, entry));
}

/** The service label of a regional AWS endpoint a line names (`dynamodb` in `dynamodb.us-east-1.amazonaws.com`). */
const ENDPOINT_SERVICE = /\b([a-z0-9-]+)\.(?:[a-z]{2}(?:-gov)?-[a-z]+-\d)\.amazonaws\.com\b/i;

/** The emitter's dependency that is the AWS service whose endpoint the line names (by its namespaces). */
function endpointOwner(a: Analysis, emitter: string | undefined, h: KnowledgeHit): string | undefined {
  const label = ENDPOINT_SERVICE.exec(h.sample)?.[1];
  if (!label) return undefined;
  return a.snap.catalog.dependencies(emitter).find((d) => technologiesOf(a, d).has(lower(label)));
}

/**
 * A third party's own verdict (mail receivers throttling our sending IPs) logged by a service that
 * reaches exactly one party it does not run: that party is the one the line is about, whatever its
 * name says of what it is.
 */
function soleProvider(a: Analysis, emitter: string | undefined, entry: KnowledgeEntry): string | undefined {
  if (entry.category !== 'dependency' || entry.role !== 'cause') return undefined;
  const external = a.snap.catalog.dependencies(emitter).filter((d) => isExternal(a.snap.catalog, d));
  return external.length === 1 ? external[0] : undefined;
}

/**
 * Who the evidence says is at fault. A change names its own resource; a line that blames a peer
 * names it (or the failing dependency it calls); a database's own error text logged by a caller is
 * about the caller's database. Only known names come out of here.
 */
export function culpritOf(a: Analysis, h: KnowledgeHit): string | undefined {
  const catalog = a.snap.catalog;
  const emitter = catalog.get(h.service)?.name ?? h.service;
  if (h.on === 'change') {
    // One actor doing the same thing to several resources within minutes (a job deleting stacks,
    // a script rebooting hosts) is one cause, and the actor is it.
    const batch = a.knowledge.filter(
      (o) =>
        o.on === 'change' &&
        o.entry === h.entry &&
        lower(o.service) === lower(h.service) &&
        lower(o.resource) !== lower(h.resource) &&
        Math.abs(ms(o.at) - ms(h.at)) <= 30 * 60_000,
    );
    if (batch.length && catalog.get(h.service)) return emitter;
    return h.resource ?? emitter;
  }
  const release = releaseAgainst(a, h, emitter);
  if (release) return release;
  // The object a change record names (a certificate, a rule, a parameter group) is what the same
  // signature's log lines are about: the record names it structurally, the lines only describe it.
  const named = a.knowledge.find((o) => o.on === 'change' && o.entry === h.entry && o.resource);
  if (named?.resource) return named.resource;
  const others = h.mentions.filter((m) => lower(m) !== lower(emitter));
  if (h.entry.blames === 'peer') {
    const failing = a.dependencies.find((d) =>
      catalog.dependencies(emitter).some((x) => lower(x) === lower(d.service)),
    )?.service;
    // A dependency that is the very kind of thing the signature is about (the mesh control plane
    // for an xDS error) is more specific than whichever dependency happens to be failing.
    // A prober or client we do not run reaches our service through its dependencies: those are
    // the peers it can be blaming.
    const via = catalog.get(h.service) ? emitter : (a.snap.service ?? emitter);
    return (
      others[0] ??
      technologyDependency(a, via, h.entry) ??
      endpointOwner(a, emitter, h) ??
      failing ??
      soleProvider(a, via, h.entry) ??
      // A client we do not run (a user's build, a partner) blaming its peer is talking about us:
      // the service the incident is about.
      (catalog.get(h.service) ? undefined : a.snap.service) ??
      emitter
    );
  }
  // A caller quoting a resource's own error (a table's throttling, a database's refusal) is
  // talking about that resource, when the caller is not itself that kind of thing.
  if (!fits(a, emitter, h.entry)) {
    return (
      others.find((m) => fits(a, m, h.entry)) ??
      (h.entry.category === 'database' || h.entry.technologies.some((t) => STORE_TECH.has(lower(t)))
        ? technologyDependency(a, emitter, h.entry)
        : undefined) ??
      emitter ??
      others[0]
    );
  }
  // A finding that names nothing known is about the service the incident is about.
  return emitter ?? others[0] ?? (h.on === 'security' ? a.snap.service : undefined);
}

/**
 * A release's own act logged by the datastore it ran against (a migration's TRUNCATE, its DDL) is
 * that release's: the service whose deployment began up to 30 minutes before the line and which
 * uses the emitter, when the emitter itself deployed nothing. So is a datastore's verdict on it
 * quoted by a neighbour (`Unknown column` in a service that shares the database with the release
 * that renamed it): the release uses a datastore the emitter uses. The latest such release is named.
 */
export function releaseAgainst(
  a: Analysis,
  h: KnowledgeHit,
  emitter: string | undefined,
): string | undefined {
  if (h.on !== 'log' || h.entry.category !== 'deployment' || !emitter) return undefined;
  const deployed = (c: (typeof a.snap.changes)[number]) => c.kind === 'deployment' && !!c.service;
  if (a.snap.changes.some((c) => deployed(c) && lower(c.service) === lower(emitter))) return undefined;
  const at = ms(h.at);
  const catalog = a.snap.catalog;
  const storeEntry = h.entry.technologies.some((t) => DATASTORE_TECH.has(lower(t)));
  const stores = catalog
    .dependencies(emitter)
    .filter((d) => isDatabase(d) || runsDatastore(a, d))
    .map(lower);
  const reaches = (service: string) =>
    catalog
      .dependencies(service)
      .some((d) => lower(d) === lower(emitter) || (storeEntry && stores.includes(lower(d))));
  return a.snap.changes
    .filter((c) => deployed(c) && ms(c.at) <= at && ms(c.at) >= at - 30 * 60_000 && reaches(c.service!))
    .sort((x, y) => ms(y.at) - ms(x.at))[0]?.service;
}

/** A key or certificate identifier as a field of a line (`kid=svc-signing-2024`, `certificate: x`). */
const KEY_FIELD =
  /\b(?:kid|key_?id|signing_?key|cert(?:ificate)?(?:_?(?:name|id))?)\s*[=:]\s*["']?([a-z0-9][\w.-]{2,80}[a-z0-9])/i;

/**
 * A certificate or signing key rejected by a caller (expired, invalid signature) that the caller
 * does not name is the one its issuer signs with: a service the caller depends on whose own lines
 * carry a key identifier as a field. That identifier is the culprit; the issuer holds it.
 */
export function signingKeyOf(a: Analysis, h: KnowledgeHit): { key: string; service: string } | undefined {
  if (h.on !== 'log' || h.entry.category !== 'configuration' || h.entry.blames !== 'peer') return undefined;
  if (!h.entry.technologies.some((t) => ['tls', 'x509', 'jwt', 'certificate'].includes(lower(t))))
    return undefined;
  if (KEY_FIELD.test(h.sample)) return undefined;
  const emitter = a.snap.catalog.get(h.service)?.name;
  if (!emitter) return undefined;
  for (const dep of a.snap.catalog.dependencies(emitter)) {
    const line = a.snap.logs.find((l) => lower(l.service) === lower(dep) && KEY_FIELD.test(l.sample));
    const key = line ? KEY_FIELD.exec(line.sample)?.[1] : undefined;
    if (key && !isExternal(a.snap.catalog, dep)) return { key, service: dep };
  }
  return undefined;
}
