/**
 * Candidates from saturated resources.
 * - A database out of connections, CPU or storage is a database cause; when another consumer of
 *   it started a burst of work just before, that consumer is what to restart. When that
 *   consumer's own connections took most of what the database gained, its pool setting is the
 *   cause (configuration), not the database. A cache out of memory is a capacity cause.
 * - Memory or file handles climbing steadily without more traffic is a leak in the code: restart
 *   buys time. CPU pinned by the garbage collector of a leaking process is its effect.
 * - Other saturation on the service (or a dependency it owns) is a capacity cause: scale it —
 *   unless it is a queue whose consumers stopped taking messages at all (code: they are wedged).
 */
import type { Analysis } from '../analysis.js';
import { LOAD_ENDED, LOAD_EVENT, mechanismOf, type RankedSignature } from '../evidence/logs.js';
import { isPercent } from '../evidence/metric-kinds.js';
import type { Saturation } from '../evidence/saturation.js';
import { isAnomalous, type SeriesView } from '../evidence/series.js';
import { conf, fmtNumber, headline, hhmm, lower, median, ms } from '../measure.js';
import { action, type Candidate } from '../rank/candidate.js';

const DB_NAME =
  /(^|[^a-z])(db|database|rds|aurora|postgres|pg|mysql|maria|dynamo|ddb|redis|cache|elasticache|memcached|mongo|docdb|cassandra|sql)([^a-z]|$)/i;
const DB_NAMESPACE = /AWS\/(RDS|DynamoDB|ElastiCache|DocDB|Neptune|Redshift|MemoryDB)/i;

export const isDatabase = (name: string | undefined, namespace?: string): boolean =>
  (!!name && DB_NAME.test(name)) || (!!namespace && DB_NAMESPACE.test(namespace));

const CACHE_NAME = /(^|[^a-z])(redis|valkey|cache|elasticache|memcached?)([^a-z]|$)/i;
const CACHE_NAMESPACE = /AWS\/(ElastiCache|MemoryDB)/i;
export const isCache = (name: string, namespace = ''): boolean =>
  CACHE_NAME.test(name) || CACHE_NAMESPACE.test(namespace);

/** How a summary names what ran out. */
export const RESOURCE_WORD: Record<string, string> = {
  connections: 'connections',
  cpu: 'CPU',
  memory: 'memory',
  throttles: 'throughput (requests throttled)',
  storage: 'storage',
  queue: 'consumer throughput (its queue backlog grows)',
  concurrency: 'concurrency',
  handles: 'file descriptors',
};

/** Credit balances are spent, not filled: what runs out is the burst they pay for. */
const CREDITS: Array<[RegExp, string]> = [
  [/burstbalance/i, 'I/O burst credits (its baseline IOPS is all it has left)'],
  [/cpucreditbalance/i, 'CPU credits (it is held to its baseline CPU)'],
];
const wordFor = (sat: Saturation): string =>
  CREDITS.find(([re]) => re.test(sat.view.series.metricName))?.[1] ?? RESOURCE_WORD[sat.kind] ?? sat.kind;

interface Consumer {
  service: string;
  why: string;
  evidence: string[];
  /**
   * The consumer's own connection count rose by most of what the database gained: its pool,
   * not demand, took the slots.
   */
  pool?: SeriesView;
}

/**
 * A consumer's connection series that rose by at least half of the database's rise in the same
 * window: one client's pool (its size times its workers) is what filled the database.
 */
function poolOf(a: Analysis, consumer: string, sat: Saturation): SeriesView | undefined {
  if (sat.kind !== 'connections' || !sat.view.onset) return undefined;
  const gained = sat.view.onset.peak - sat.view.onset.baseline;
  return a.views.find(
    (v) =>
      v.kind === 'connections' &&
      lower(v.service) === lower(consumer) &&
      v !== sat.view &&
      isAnomalous(v) &&
      v.onset!.direction === 'up' &&
      gained > 0 &&
      v.onset!.peak - v.onset!.baseline >= gained / 2 &&
      Math.abs(ms(v.onset!.at) - ms(sat.at)) <= 30 * 60_000,
  );
}

/**
 * Another consumer of the resource that started extra work shortly before it saturated:
 * a load announcement in its logs, its own traffic/connection jump, or a change to it.
 */
/** What a consumer suffers when the resource it uses runs out, rather than work it sends. */
const SUFFERED: ReadonlySet<string> = new Set(['latency', 'errors', 'availability', 'throttles']);

function hoggingConsumer(a: Analysis, resource: string, since: string): Consumer | undefined {
  const consumers = a.snap.catalog
    .dependents(resource)
    .filter((s) => lower(s) !== lower(a.snap.service) && lower(s) !== lower(resource));
  const lo = ms(since) - 30 * 60_000;
  const hi = ms(since) + 5 * 60_000;
  const inRange = (t: string) => ms(t) >= lo && ms(t) <= hi;
  for (const c of consumers) {
    const load = a.snap.logs.find(
      (l) =>
        lower(l.service) === lower(c) &&
        inRange(l.firstSeen) &&
        LOAD_EVENT.test(l.sample) &&
        !LOAD_ENDED.test(l.sample),
    );
    if (load) {
      return {
        service: c,
        why: `${c} started a burst of work at ${hhmm(load.firstSeen)} ("${headline(load.sample).slice(0, 80)}")`,
        evidence: [load.id],
      };
    }
    // More requests (and the CPU serving them) at a service users call are their demand passed
    // along, not work it chose to start: that is for the demand rules (`rank/demand.ts`), not a
    // consumer to restart.
    const front = !!a.snap.catalog.get(c)?.userFacing;
    const moved = a.views.find(
      (v) =>
        lower(v.service) === lower(c) &&
        // Its own waiting (a delay, errors, lost availability) is what the resource did to it.
        !SUFFERED.has(v.kind) &&
        !(front && (v.kind === 'traffic' || v.kind === 'cpu')) &&
        isAnomalous(v) &&
        v.onset!.direction === 'up' &&
        inRange(v.onset!.at) &&
        // Work piling up waiting after the resource ran out is work it could not serve; only a
        // backlog that jumped before it (a batch enqueued) is work sent to it.
        !(v.kind === 'queue' && ms(v.onset!.at) > ms(since)),
    );
    if (moved) {
      return {
        service: c,
        why: `${c}'s ${moved.series.metricName} jumped at ${hhmm(moved.onset!.at)}`,
        evidence: [moved.series.id],
      };
    }
  }
  return undefined;
}

const trafficSurge = (a: Analysis, service: string | undefined): SeriesView | undefined =>
  a.views.find(
    (v) =>
      v.kind === 'traffic' &&
      lower(v.service) === lower(service) &&
      isAnomalous(v) &&
      v.onset!.direction === 'up' &&
      v.onset!.magnitude >= 0.5,
  );

/** A surge's traffic must reach this multiple of its baseline to account for a resource running out. */
const SURGE_FACTOR = 1.5;

/**
 * How many times its baseline the traffic was carrying as the resource ran out at `at`: its median
 * from two minutes before to three after (a coarser series may show the surge a point late), so
 * that neither a passing blip long before nor a flood well after speaks for it.
 */
function riseBy(v: SeriesView, at: string): number {
  const seen = v.series.points
    .filter(([t]) => ms(t) >= ms(at) - 2 * 60_000 && ms(t) <= ms(at) + 3 * 60_000)
    .map(([, x]) => x);
  // A saturation read on the longer look-back may lie outside the traffic series' window: then
  // only the surge's own size can speak for it.
  return (seen.length ? median(seen) : v.onset!.peak) / Math.max(1, v.onset!.baseline);
}

/** When the resource ran out: its step, or for a slow climb the point it reached its highest. */
function ranOutAt(sat: Saturation): string {
  if (!sat.creeping) return sat.at;
  const points = sat.view.series.points;
  return points.reduce((best, p) => (p[1] > best[1] ? p : best), points[0])[0];
}

/** The service's requests ramped up through the window (the day's growth), with no step to find. */
const trafficRamp = (a: Analysis, service: string | undefined): boolean =>
  a.views.some((v) => v.kind === 'traffic' && lower(v.service) === lower(service) && ramped(v));

/**
 * More requests reached the service, by its own traffic or by its callers' (a broker or a store
 * has no request count of its own; the services writing to it do): memory filling then is load.
 */
const loaded = (a: Analysis, service: string | undefined): boolean =>
  [service, ...a.snap.catalog.dependents(service ?? '')].some(
    (s) => !!trafficSurge(a, s) || trafficRamp(a, s),
  );

/** How much more traffic the window's last quarter carries than its first, for a ramp to count. */
const RAMP = 1.3;

/**
 * Requests that grew through the window without a step (the day's ramp): no onset marks them, yet
 * memory that climbs with them is load, not a leak.
 */
function ramped(v: SeriesView): boolean {
  const values = v.series.points.map(([, x]) => x);
  const q = Math.floor(values.length / 4);
  if (q < 3) return false;
  const first = median(values.slice(0, q));
  return first > 0 && median(values.slice(-q)) >= RAMP * first;
}

function supportingErrors(a: Analysis, classes: string[], services: string[]): RankedSignature[] {
  const on = services.map(lower);
  return a.signatures.filter((s) => s.isNew && classes.includes(s.cls) && on.includes(lower(s.sig.service)));
}

const firstLine = (s: string, n = 110) => headline(s).slice(0, n);

export function explainResources(a: Analysis): Candidate[] {
  const out: Candidate[] = [];
  const self = a.snap.service;
  const deps = a.snap.catalog.dependencies(self);
  const seen = new Set<string>();
  for (const sat of a.saturation) {
    const key = `${lower(sat.resource)}|${sat.kind}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const rel = sat.view.relation;
    if (rel === 'unrelated' || rel === 'dependent') continue;
    // Throttling against provisioned throughput is a capacity limit even on a database; running
    // out of connections, CPU or storage on one is a database problem.
    // A cache that is full needs room, not a database fix: what it holds can be rebuilt.
    const fullCache = sat.kind === 'memory' && isCache(sat.resource, sat.view.series.namespace);
    const db = isDatabase(sat.resource, sat.view.series.namespace) && sat.kind !== 'throttles' && !fullCache;
    // A cache's memory grows with what it holds: that is filling, not leaking.
    const leak =
      (sat.kind === 'memory' || sat.kind === 'handles') && (sat.creeping || sat.pinned) && !fullCache;
    const stalled = sat.kind === 'queue' ? consumersStopped(a, sat) : undefined;
    if (db) out.push(databaseCandidate(a, sat));
    else if (stalled) out.push(stalled);
    else if (leak && !loaded(a, sat.view.service ?? self)) out.push(leakCandidate(a, sat));
    else if (rel === 'self' || rel === 'dependency' || rel === 'sibling')
      out.push(capacityCandidate(a, sat, deps));
  }
  // CPU burnt by a leaking process (garbage collection, swapping) is the leak's effect.
  for (const c of out) {
    const leak = out.find((l) => l.category === 'code' && lower(l.culprit) === lower(c.culprit) && l !== c);
    if (leak && c.category === 'capacity' && c.effect && leak.effect && leak.effect.at <= c.effect.at) {
      c.confidence = conf(c.confidence * 0.7);
    }
  }
  // Connection-pool errors name a database even when its metrics are missing.
  if (!out.some((c) => c.category === 'database')) {
    const poolErrs = supportingErrors(a, ['db-connections'], [self ?? '', ...deps]);
    const dbDep = deps.find((d) => isDatabase(d));
    if (poolErrs.length && dbDep) {
      out.push({
        category: 'database',
        culprit: dbDep,
        summary: `${self} cannot get database connections from ${dbDep}: "${firstLine(poolErrs[0].sig.sample)}" (${poolErrs[0].sig.count}x).`,
        causalChain: [`${dbDep} stops serving connections`, `${self} requests time out waiting for the pool`],
        confidence: 0.45,
        evidence: poolErrs.map((s) => s.sig.id),
        mitigation: null,
        specialists: ['logs', 'dependencies'],
      });
    }
  }
  return out;
}

/** A volume's waiting work (queue length, latency): it rises both when loaded and when stalled. */
const VOLUME_WAIT = /queue.?(length|depth)|latency/i;
/** A volume's completed work (operations, throughput). */
const VOLUME_WORK = /ops$|iops|throughput/i;

/**
 * A database's volume queue climbed while the operations it completed fell: the volume stopped
 * doing the work (an impaired EBS volume, a storage outage under it), not more work arriving. Says
 * which series fell, else undefined.
 */
function stalledVolume(a: Analysis, sat: Saturation): string | undefined {
  if (sat.kind !== 'storage' || !VOLUME_WAIT.test(sat.view.series.metricName)) return undefined;
  const fell = a.views.find(
    (v) =>
      lower(v.service) === lower(sat.view.service) &&
      VOLUME_WORK.test(v.series.metricName) &&
      !!v.onset &&
      v.onset.direction === 'down' &&
      v.onset.magnitude >= 0.5 &&
      ms(v.onset.at) <= ms(sat.at) + 10 * 60_000,
  );
  return fell
    ? `${sat.view.series.metricName} up while ${fell.series.metricName} fell from ${fmtNumber(fell.onset!.baseline)} to ${fmtNumber(fell.onset!.peak)}`
    : undefined;
}

function databaseCandidate(a: Analysis, sat: Saturation): Candidate {
  const self = a.snap.service;
  const db = sat.resource;
  const word = wordFor(sat);
  const errs = supportingErrors(a, ['db-connections', 'database', 'timeout', 'dependency'], [self ?? '', db]);
  const consumer =
    sat.kind === 'connections' || sat.kind === 'cpu' ? hoggingConsumer(a, db, sat.at) : undefined;
  const pool = consumer && poolOf(a, consumer.service, sat);
  const chain = [
    ...(consumer ? [consumer.why] : []),
    `${db} runs out of ${word}: ${sat.describe} from ${hhmm(sat.at)}`,
    ...(errs.length
      ? [`${errs[0].sig.service} fails: "${firstLine(errs[0].sig.sample, 100)}" (${errs[0].sig.count}x)`]
      : []),
    `${a.snap.alert?.title ?? 'the alert'} fired`,
  ];
  let confidence = 0.35 + sat.score * 0.35 + (errs.length ? 0.15 : 0) + (consumer ? 0.1 : 0);
  if (sat.view.relation === 'sibling') confidence *= 0.7;
  const stalled = stalledVolume(a, sat);
  const mitigation = consumer
    ? action(
        'restart',
        consumer.service,
        a.knownNames,
        `${consumer.why}, using up ${db}'s ${word}; restarting it stops the load`,
      )
    : stalled
      ? action(
          'failover',
          db,
          a.knownNames,
          `${db}'s volume stopped completing I/O (${stalled}): promote its standby, more capacity on the same volume does nothing`,
          { from: db },
        )
      : sat.kind === 'storage' || sat.kind === 'cpu'
        ? action('scale', db, a.knownNames, `${db} is out of ${word} headroom: add capacity`)
        : null;
  const effect = errs.length
    ? `, so ${errs[0].sig.service} fails with ${mechanismOf(errs[0])}: "${firstLine(errs[0].sig.sample, 90)}"`
    : '';
  // The database is sound; a client's pool setting asks more of it than it can give.
  if (pool && consumer)
    return {
      category: 'configuration',
      culprit: consumer.service,
      summary:
        `${consumer.service}'s connection pool took ${db}'s connections: its ${pool.series.metricName} rose from ` +
        `${fmtNumber(pool.onset!.baseline)} to ${fmtNumber(pool.onset!.peak)} while ${db} ran out (${sat.describe})${effect}. ` +
        `The pool is sized beyond ${db}'s share for it.`,
      causalChain: [`${consumer.service} opens more connections than ${db} can spare`, ...chain],
      confidence: conf(confidence),
      evidence: [
        pool.series.id,
        sat.view.series.id,
        ...(consumer.evidence ?? []),
        ...errs.map((s) => s.sig.id),
      ],
      mitigation,
      specialists: ['performance', 'dependencies', 'metrics'],
      effect: {
        at: sat.at,
        resource: db,
        explained: true,
        headline: `${db} ran out of ${word}`,
        loadLinked: true,
      },
    };
  return {
    category: 'database',
    culprit: db,
    summary: stalled
      ? `${db}'s volume stopped completing I/O (${stalled}): the storage under it failed${effect}.`
      : `${db} ran out of ${word} (${sat.describe})${consumer ? ` after ${consumer.why}` : ''}${effect}.`,
    causalChain: chain,
    confidence: conf(confidence),
    evidence: [sat.view.series.id, ...(consumer?.evidence ?? []), ...errs.map((s) => s.sig.id)],
    mitigation,
    specialists: ['performance', 'dependencies', 'metrics'],
    effect: {
      at: sat.at,
      resource: db,
      explained: !!consumer,
      headline: `${db} ran out of ${word}`,
      loadLinked: true,
    },
  };
}

function leakCandidate(a: Analysis, sat: Saturation): Candidate {
  const res = sat.resource;
  const word = wordFor(sat);
  const errs = supportingErrors(a, ['memory', 'resource-leak', 'timeout'], [res]);
  const confidence = 0.4 + sat.score * 0.3 + (errs.length ? 0.15 : 0) + (sat.pinned ? 0.05 : 0);
  return {
    category: 'code',
    culprit: res,
    summary:
      `${res} is leaking ${word}: ${sat.describe} with no rise in traffic` +
      `${errs.length ? `, until it fails with "${firstLine(errs[0].sig.sample, 90)}" (${errs[0].sig.count}x)` : ''}.`,
    causalChain: [
      `${res} accumulates ${word} it never releases (${sat.describe})`,
      ...(errs.length ? [`${firstLine(errs[0].sig.sample, 100)} (${errs[0].sig.count}x)`] : []),
      `${a.snap.alert?.title ?? 'the alert'} fired`,
    ],
    confidence: conf(confidence),
    evidence: [sat.view.series.id, ...errs.map((s) => s.sig.id)],
    mitigation: action(
      'restart',
      res,
      a.knownNames,
      `${res} leaks ${word}; a rolling restart frees them and buys time to fix the leak`,
    ),
    specialists: ['performance', 'metrics', 'logs'],
    effect: {
      at: sat.at,
      resource: res,
      explained: true,
      headline: `${res} leaked ${word}`,
      loadLinked: true,
    },
  };
}

/**
 * A host's network tables (connection tracking, ephemeral ports): when they fill, the kernel drops
 * or refuses connections while CPU and traffic look normal. The network failing on that host, not
 * compute running short, though adding hosts spreads the load the same way.
 */
const NETWORK_TABLE = /conntrack|ephemeral.?ports?/i;

/**
 * The one service working a queue off: of what depends on it, the only one no user calls (the
 * user-facing ones put work in). A queue itself has nothing to scale; its consumer does.
 */
function consumerOf(a: Analysis, queue: string): string | undefined {
  const workers = a.snap.catalog.dependents(queue).filter((d) => !a.snap.catalog.get(d)?.userFacing);
  return workers.length === 1 ? workers[0] : undefined;
}

/** Messages taken off a queue (received, deleted, consumed), as opposed to put on it. */
const TAKEN = /received|deleted|consumed|acked|processed/i;
const PUT = /sent|published|produced|enqueued|incoming/i;
/** Taken at under this share of what was taken before: the consumers stopped, not slowed. */
const STOPPED = 0.05;

/**
 * A backlog that grows because its consumers stopped taking messages at all — the queue's own
 * count of messages received fell to nothing while they still arrive — is no shortage of
 * consumers: more of them would sit as still. Workers wedged on a message (a hung handler, a
 * poisoned FIFO group) look like this; the consumer's code is what stopped.
 */
function consumersStopped(a: Analysis, sat: Saturation): Candidate | undefined {
  const queue = sat.resource;
  const own = a.views.filter((v) => lower(v.service) === lower(sat.view.service ?? queue));
  const taken = own.find(
    (v) =>
      TAKEN.test(v.series.metricName) &&
      !!v.onset &&
      v.onset.direction === 'down' &&
      !v.onset.recovered &&
      median(v.series.points.slice(-2).map(([, x]) => x)) <= STOPPED * v.onset.baseline,
  );
  const put = own.find((v) => PUT.test(v.series.metricName));
  if (!taken || !put || (put.onset && put.onset.direction === 'down')) return undefined;
  // The consumer: the one worker no user calls, or the one dependent whose own output stopped with it.
  const withIt = a.snap.catalog
    .dependents(queue)
    .filter((d) =>
      a.views.some(
        (v) =>
          lower(v.service) === lower(d) &&
          v.kind !== 'cpu' &&
          v.onset?.direction === 'down' &&
          Math.abs(ms(v.onset.at) - ms(taken.onset!.at)) <= 5 * 60_000,
      ),
    );
  const consumer = consumerOf(a, queue) ?? (withIt.length === 1 ? withIt[0] : undefined);
  const who = consumer ?? `${queue}'s consumers`;
  const stop = `${queue}'s ${taken.series.metricName} fell from ${fmtNumber(taken.onset!.baseline)} to ${fmtNumber(taken.series.points.at(-1)![1])} at ${hhmm(taken.onset!.at)} while ${put.series.metricName} held at ${fmtNumber(median(put.series.points.slice(-3).map(([, x]) => x)))}`;
  return {
    category: 'code',
    culprit: consumer ?? queue,
    summary: `${who} stopped taking messages from ${queue}: ${stop}; the backlog grows because nothing is consumed, not because consumers are short (${sat.describe}).`,
    causalChain: [
      `${who} stopped consuming (a wedged handler or a blocked message group)`,
      stop,
      `${a.snap.alert?.title ?? 'the alert'} fired`,
    ],
    confidence: conf(0.3 + sat.score * 0.4),
    evidence: [taken.series.id, put.series.id, sat.view.series.id],
    mitigation: consumer
      ? action(
          'restart',
          consumer,
          a.knownNames,
          `restart ${consumer}: its workers stopped taking messages from ${queue}`,
        )
      : null,
    specialists: ['performance', 'logs'],
    effect: {
      at: taken.onset!.at,
      resource: consumer ?? queue,
      explained: false,
      headline: `${who} stopped consuming ${queue}`,
      loadLinked: false,
    },
  };
}

/** Below this share of its ceiling a utilisation still has room: it has not run out. */
const HEADROOM_LEFT = 60;
const peakOf = (sat: Saturation) => Math.max(...sat.view.series.points.map((p) => p[1]));

function capacityCandidate(a: Analysis, sat: Saturation, deps: string[]): Candidate {
  const res = sat.resource;
  const word = wordFor(sat);
  const own = sat.view.service ?? a.snap.service;
  // A broker or a store has no request count of its own: a surge at its callers is its load. Only
  // what the surge carried by the time the resource ran out counts: clients reconnecting after it
  // failed multiply the requests too, later.
  const at = ranOutAt(sat);
  const surge = [own, ...a.snap.catalog.dependents(own ?? '')]
    .map((s) => trafficSurge(a, s))
    .find((v) => !!v && riseBy(v, at) >= SURGE_FACTOR);
  const rise = surge ? riseBy(surge, at) : 0;
  const errs = supportingErrors(a, ['memory', 'throttling', 'timeout'], [a.snap.service ?? '', res, ...deps]);
  const chain = [
    ...(surge
      ? [
          `traffic rose: ${surge.series.metricName} from ${fmtNumber(surge.onset!.baseline)} to ${fmtNumber(surge.onset!.baseline * rise)} at ${hhmm(surge.onset!.at)}`,
        ]
      : []),
    `${res} runs out of ${word}: ${sat.describe}`,
    ...(errs.length ? [`"${firstLine(errs[0].sig.sample, 100)}" (${errs[0].sig.count}x)`] : []),
    `${a.snap.alert?.title ?? 'the alert'} fired`,
  ];
  let confidence =
    0.3 +
    sat.score * 0.4 +
    (errs.length ? 0.1 : 0) +
    (surge ? 0.1 : 0) -
    (sat.view.relation === 'dependency' ? 0.05 : 0);
  // CPU or memory saturation without more traffic usually has another cause (a leak, a bad query, a change).
  // Memory climbing with the day's ramp of requests is that load, though no step marks it.
  const ramp = sat.kind === 'memory' && trafficRamp(a, sat.view.service ?? a.snap.service);
  if (!surge && !ramp && (sat.kind === 'cpu' || sat.kind === 'memory')) confidence *= 0.8;
  if (sat.view.relation === 'sibling') confidence *= 0.7;
  // A utilisation that rose but never came near its ceiling (CPU from 10% to 28%) left headroom:
  // it moved with whatever happened, it did not run out.
  const roomLeft = isPercent(sat.view.series) && peakOf(sat) < HEADROOM_LEFT;
  if (roomLeft) confidence *= 0.5;
  const factor = surge ? rise.toFixed(1) : '';
  return {
    category: NETWORK_TABLE.test(sat.view.series.metricName) ? 'network' : 'capacity',
    culprit: res,
    summary: `${res} ${roomLeft ? `is busier, with ${word} headroom left` : `is out of ${word} capacity`}: ${sat.describe}${surge ? ` under a traffic surge${lower(surge.service) !== lower(own) ? ` from ${surge.service}` : ''} (${surge.series.metricName} ×${factor})` : ''}.`,
    causalChain: chain,
    confidence: conf(confidence),
    evidence: [sat.view.series.id, ...(surge ? [surge.series.id] : []), ...errs.map((s) => s.sig.id)],
    mitigation:
      sat.kind === 'queue' && consumerOf(a, res)
        ? action(
            'scale',
            consumerOf(a, res),
            a.knownNames,
            `${res}'s backlog grows: add consumers to ${consumerOf(a, res)}, which works it off`,
          )
        : action('scale', res, a.knownNames, `${res} is out of ${word} headroom: add capacity`),
    specialists: ['performance', 'metrics'],
    effect: {
      at: sat.at,
      resource: res,
      explained: false,
      headline: `${res} ran out of ${word}`,
      loadLinked: true,
      ...(surge ? { surged: true } : {}),
    },
  };
}
