/**
 * User impact and blast radius, as triage needs them: how much of the traffic fails, whether a
 * service is down or merely slow, and how many services and alarms are involved. An internal
 * service's impact is also read through the services that call it: a database nobody sees
 * directly still takes down the user-facing API in front of it.
 */
import type { ServiceInfo } from '../../../ports.js';
import type { Analysis } from '../analysis.js';
import { lower, median, uniq } from '../measure.js';
import { dependenciesDown, noCapacity } from './capacity.js';
import { compromised } from './compromise.js';
import { dataAtRisk } from './data-risk.js';
import { frontDoorKilled } from './killed.js';
import { loggedSince } from './noise.js';
import { isAnomalous, type SeriesView } from './series.js';

export type ImpactLevel = 'outage' | 'major' | 'minor' | 'none';
type Tier = NonNullable<ServiceInfo['tier']>;
const TIERS: readonly Tier[] = ['critical', 'high', 'standard', 'internal'];

export interface Impact {
  level: ImpactLevel;
  /** Failed share of requests at the end of the window, when it can be measured. */
  errorRatio?: number;
  /** Latency at the end of the window over its baseline. */
  latencyFactor?: number;
  /** Services with anomalies, firing alarms or new errors. */
  services: string[];
  /** A user-facing service (the affected one or a caller of it) is among the impacted. */
  userFacing: boolean;
  /** Any telemetry of the service (or its callers) was there to read: without it, `none` means unknown. */
  observed: boolean;
  firingAlarms: number;
  describe: string;
  /** Why data is at risk (storage full, replication broken, writes refused, deletes), with evidence. */
  dataAtRisk: string[];
  /** The part of it already lost: data deleted, or data files a database cannot find. */
  dataLost: string[];
  /** Why credentials or sessions are in someone else's hands. */
  compromise: string[];
  /** A critical, user-facing service (the affected one or a caller) whose process was killed. */
  killed: string[];
  /**
   * The most important catalog tier among the services the impact was measured on (the affected
   * one and the callers that showed impact); undefined when none of them is in the catalog.
   */
  pathTier?: Tier;
  /** Critical or user-facing services (the affected one or its callers) still showing errors. */
  erroring: string[];
  /** The alarm had already recovered when the investigation looked, and nothing is still wrong. */
  recovered: boolean;
  /**
   * The level rests on a measured share (requests failing against a request count, traffic lost,
   * no healthy capacity). Without one, errors were only counted (a 5xx count with nothing to divide
   * it by, log volumes), and the level is a lower bound.
   */
  rated: boolean;
  evidence: string[];
}

const RANK: Record<ImpactLevel, number> = { none: 0, minor: 1, major: 2, outage: 3 };
const tail = (points: Array<[string, number]>) => median(points.slice(-3).map((p) => p[1]));

interface ServiceImpact {
  level: ImpactLevel;
  rated: boolean;
  errorRatio?: number;
  latencyFactor?: number;
  notes: string[];
  /** Series that measured it, when it rests on one the ranking might not cite (capacity at zero). */
  evidence: string[];
}

/**
 * Counted errors this many times their own background (or, when that was about zero, its noise
 * band) now: unless the traffic grew a thousandfold as well — and a traffic series would then rate
 * the errors instead — nearly every request fails. A service's background error rate is rarely
 * under one request in a thousand, and a three-orders jump in errors is what a responder reads as
 * "down" without needing the request count.
 */
const COUNTED_OUTAGE_FACTOR = 1000;

/** The largest still-current error count at COUNTED_OUTAGE_FACTOR times its background, if any. */
function countedSurge(views: SeriesView[]): { metric: string; factor: number } | undefined {
  let top: { metric: string; factor: number } | undefined;
  for (const v of views) {
    if (v.kind !== 'errors' || !v.bad || !v.onset || v.onset.recovered || v.onset.direction !== 'up')
      continue;
    if (/percent|rate|ratio/i.test(`${v.series.unit ?? ''} ${v.series.metricName}`)) continue;
    const factor = tail(v.series.points) / Math.max(Math.abs(v.onset.baseline), v.onset.tolerance, 1e-9);
    if (factor >= COUNTED_OUTAGE_FACTOR && (!top || factor > top.factor))
      top = { metric: v.series.metricName, factor };
  }
  return top;
}

/** A success series counted in requests or events, not a rate or percentage of them. */
const isSuccessCount = (v: SeriesView): boolean =>
  v.kind === 'availability' &&
  /success/i.test(v.series.metricName) &&
  !/percent|rate|ratio/i.test(`${v.series.unit ?? ''} ${v.series.metricName}`) &&
  (/count/i.test(v.series.unit ?? '') || Math.max(...v.series.points.map((p) => p[1])) > 100);

/** A synthetic check's series (a canary, an uptime probe), by its namespace, name or dimension keys. */
const SYNTHETIC_SERIES = /synthetic|canary|probe|uptime|heartbeat|pingdom|blackbox/i;
export const isSynthetic = (v: SeriesView): boolean =>
  SYNTHETIC_SERIES.test(
    `${v.series.namespace} ${v.series.metricName} ${Object.keys(v.series.dimensions ?? {}).join(' ')}`,
  );

/**
 * What users' own requests say, when the service measures them (its load balancer's request and
 * error counts): a canary's failed run or slow page load speaks for one prober, and with the real
 * requests arriving and answered as before it is not the share of users failing.
 */
export function servedAsBefore(views: SeriesView[]): { errors: SeriesView; traffic: SeriesView } | undefined {
  const real = views.filter((v) => !isSynthetic(v));
  const errors = real.find((v) => v.kind === 'errors' && !/percent|rate|ratio/i.test(v.series.metricName));
  const traffic = real.find((v) => v.kind === 'traffic');
  if (!errors || !traffic || errors.bad || real.some((v) => v.kind === 'errors' && v.bad)) return undefined;
  // Traffic that moved (fell away, or doubled with clients retrying) is not business as usual.
  if (isAnomalous(traffic)) return undefined;
  return { errors, traffic };
}

/** Impact measured on one service's own symptom series, errors and alarms. */
function serviceImpact(a: Analysis, views: SeriesView[], service: string | undefined): ServiceImpact {
  const errors = views.find((v) => v.kind === 'errors' && v.bad && v.onset);
  const traffic = views.find((v) => v.kind === 'traffic');
  const served = servedAsBefore(views);
  const latency = views.find(
    (v) =>
      v.kind === 'latency' &&
      v.bad &&
      v.onset &&
      !v.onset.recovered &&
      !(served && isSynthetic(v) && views.some((o) => o.kind === 'latency' && !isSynthetic(o))),
  );
  // A count of successes (orders placed, logins, messages delivered) is traffic that went through:
  // its fall is lost traffic, not a share to read as a percentage.
  const successCount = views.find((v) => isSuccessCount(v) && isAnomalous(v));
  const avail = views.find(
    (v) => v.kind === 'availability' && isAnomalous(v) && v !== successCount && !(served && isSynthetic(v)),
  );
  let errorRatio: number | undefined;
  if (served && !errors && views.some((v) => v.kind === 'availability' && isSynthetic(v) && isAnomalous(v))) {
    const reqs = tail(served.traffic.series.points);
    if (reqs > 0) errorRatio = Math.min(1, tail(served.errors.series.points) / reqs);
  } else if (errors && traffic) {
    const reqs = tail(traffic.series.points);
    if (reqs > 0) errorRatio = Math.min(1, tail(errors.series.points) / reqs);
  } else if (
    errors &&
    /percent|rate|ratio/i.test(`${errors.series.unit ?? ''} ${errors.series.metricName}`)
  ) {
    const v = tail(errors.series.points);
    errorRatio = v > 1 ? v / 100 : v;
  } else if (
    avail &&
    /percent|rate|ratio|success/i.test(`${avail.series.unit ?? ''} ${avail.series.metricName}`)
  ) {
    const v = tail(avail.series.points);
    errorRatio = 1 - (v > 1 ? v / 100 : v);
  }
  const latencyFactor = latency
    ? tail(latency.series.points) / Math.max(1e-9, latency.onset!.baseline)
    : undefined;
  const dropOf = (v: SeriesView | undefined) =>
    v && isAnomalous(v) && v.onset!.direction === 'down'
      ? Math.max(0, 1 - tail(v.series.points) / Math.max(1e-9, v.onset!.baseline))
      : 0;
  const trafficDrop = Math.max(dropOf(traffic), dropOf(successCount));
  // No host or task left in service on a path people depend on is down, whether it fell in the
  // window or hours before it (a flat zero has no onset to see). Internal capacity at zero may be
  // a batch fleet between runs; it is not read as an outage.
  const info = a.snap.catalog.get(service);
  const empty =
    service && (info?.tier === 'critical' || !!info?.userFacing) ? noCapacity(views, service) : undefined;
  const availDown =
    !!empty ||
    (!!avail &&
      !/success/i.test(avail.series.metricName) &&
      tail(avail.series.points) <= 0.05 * Math.max(1e-9, avail.onset!.baseline));
  const newErrors = a.signatures
    .filter((s) => s.isNew && lower(s.sig.service) === lower(service))
    .reduce((n, s) => n + s.sig.count, 0);
  const alarm = a.snap.alarms.some((x) => x.state === 'ALARM' && lower(x.service) === lower(service));
  const notes: string[] = [];
  if (errorRatio !== undefined) notes.push(`${Math.round(errorRatio * 1000) / 10}% of requests failing`);
  if (latencyFactor !== undefined) notes.push(`latency ×${latencyFactor.toFixed(1)}`);
  if (trafficDrop > 0) notes.push(`traffic down ${Math.round(trafficDrop * 100)}%`);
  if (availDown) notes.push('no healthy capacity');
  let level: ImpactLevel = 'none';
  if ((errorRatio ?? 0) >= 0.5 || trafficDrop >= 0.8 || availDown) level = 'outage';
  else if ((errorRatio ?? 0) >= 0.05 || (latencyFactor ?? 1) >= 4 || trafficDrop >= 0.3) level = 'major';
  else if (errors || latency || avail || trafficDrop > 0 || newErrors >= 20) level = 'minor';
  // Errors with no traffic series to compare against: a jump by orders of magnitude is major, and
  // by three (still there now) an outage.
  if (level === 'minor' && errors && errorRatio === undefined && errors.onset!.magnitude >= 10)
    level = 'major';
  const surge = errorRatio === undefined ? countedSurge(views) : undefined;
  if (surge && RANK[level] < RANK.outage) {
    level = 'outage';
    notes.push(`${surge.metric} ×${Math.round(surge.factor)} its own background`);
  }
  if (level === 'none' && alarm && newErrors >= 100) level = 'major';
  else if (level === 'none' && (alarm || newErrors >= 20)) level = 'minor';
  if (newErrors) notes.push(`${newErrors} new errors logged`);
  return {
    level,
    rated: errorRatio !== undefined || trafficDrop > 0 || availDown,
    errorRatio,
    latencyFactor,
    notes: notes.map((n) => `${service ?? '?'}: ${n}`),
    evidence: empty ? [empty] : [],
  };
}

export function assessImpact(a: Analysis): Impact {
  const self = a.snap.service;
  const catalog = a.snap.catalog;
  const callers = self
    ? uniq([...catalog.dependents(self), ...catalog.dependents(self).flatMap((d) => catalog.dependents(d))])
    : [];
  const mine = serviceImpact(
    a,
    a.views.filter((v) => v.relation === 'self' || v.isAlertMetric),
    self,
  );
  let level = mine.level;
  const evidence: string[] = [...mine.evidence];
  let rated = mine.rated && mine.level !== 'none';
  const notes = [...mine.notes];
  let userFacing = !!catalog.get(self)?.userFacing && level !== 'none';
  const impacted: string[] = self ? [self] : [];
  for (const caller of callers) {
    const theirs = serviceImpact(
      a,
      a.views.filter((v) => lower(v.service) === lower(caller)),
      caller,
    );
    if (theirs.level === 'none') continue;
    notes.push(...theirs.notes);
    impacted.push(caller);
    evidence.push(...theirs.evidence);
    if (catalog.get(caller)?.userFacing) userFacing = true;
    if (RANK[theirs.level] > RANK[level]) {
      level = theirs.level;
      rated = theirs.rated;
    } else if (theirs.level === level) rated ||= theirs.rated;
  }
  // Impact over the graph, downward: a dependency that has lost most of its healthy capacity while
  // the service fails is the service's path out, a measured outage even with no request count.
  const dependencies = self ? catalog.dependencies(self) : [];
  for (const dep of self && showsErrors(a, self) ? dependenciesDown(a.views, dependencies) : []) {
    notes.push(`${dep.service}: ${Math.round(dep.lost * 100)}% of healthy capacity gone, ${self} failing`);
    evidence.push(dep.evidence);
    [level, rated] = ['outage', true];
  }
  const firing = a.snap.alarms.filter((x) => x.state === 'ALARM');
  const services = uniq(
    [
      ...a.views.filter((v) => isAnomalous(v) && v.relation !== 'unrelated').map((v) => v.service),
      ...firing.map((x) => x.service),
      ...a.signatures.filter((s) => s.isNew && s.sig.count >= 20).map((s) => s.sig.service),
      self,
    ].filter((x): x is string => !!x),
  );
  const watched = new Set([self, ...callers].map(lower));
  // Data deleted from a critical store is at risk whichever alarm led here: the job that deleted it
  // rarely runs on the alarming service's own path.
  const critical = catalog.names().filter((n) => catalog.get(n)?.tier === 'critical');
  const data = dataAtRisk(a, new Set([self, ...dependencies].map(lower)), new Set(critical.map(lower)));
  const killed = frontDoorKilled(
    a,
    [self, ...callers].filter((x): x is string => !!x),
  );
  const compromise = compromised(
    a,
    [self, ...dependencies, ...callers].filter((x): x is string => !!x),
  );
  const erroring = [self, ...callers].filter(
    (s): s is string =>
      !!s && (catalog.get(s)?.tier === 'critical' || !!catalog.get(s)?.userFacing) && showsErrors(a, s),
  );
  // A critical service behind the failure counts like a user-facing one: people depend on it.
  if (erroring.some((s) => s !== self || catalog.get(s)?.userFacing)) userFacing = true;
  const observed =
    a.views.some((v) => v.isAlertMetric || watched.has(lower(v.service))) ||
    a.snap.logs.some((l) => watched.has(lower(l.service))) ||
    a.snap.alarms.some((x) => watched.has(lower(x.service)));
  const tiers = uniq([...impacted, ...erroring])
    .map((s) => catalog.get(s)?.tier)
    .filter((t): t is Tier => !!t)
    .sort((x, y) => TIERS.indexOf(x) - TIERS.indexOf(y));
  return {
    level,
    observed,
    ...(tiers.length ? { pathTier: tiers[0] } : {}),
    errorRatio: mine.errorRatio,
    latencyFactor: mine.latencyFactor,
    services,
    userFacing,
    firingAlarms: uniq(firing.map((x) => x.name)).length,
    describe: notes.join(', ') || 'no measurable user impact',
    dataAtRisk: data.reasons,
    dataLost: data.lost,
    compromise: compromise.reasons,
    killed: killed.reasons,
    erroring,
    rated,
    recovered: (a.noise.recovered || a.noise.resolved) && !a.noise.ongoing && erroring.length === 0,
    evidence: uniq([...evidence, ...data.evidence, ...compromise.evidence, ...killed.evidence]),
  };
}

/** Errors up now: the series not recovered, or new errors still logged after any recovery (not past impact). */
/** A prober's own report of its run (`Canary error: TimeoutError`), logged beside the service's lines. */
const PROBER_LINE = /\b(?:canary|synthetics?|uptime check|heartbeat|pingdom)\b/i;

function showsErrors(a: Analysis, service: string): boolean {
  const own = (v: SeriesView) => lower(v.service) === lower(service);
  if (a.views.some((v) => own(v) && v.kind === 'errors' && v.bad && v.onset && !v.onset.recovered))
    return true;
  // While users' requests are answered as before, the prober's failed runs are its own news.
  const served = !!servedAsBefore(a.views.filter(own));
  const logged = a.signatures
    .filter(
      (s) =>
        s.isNew &&
        s.isError &&
        lower(s.sig.service) === lower(service) &&
        loggedSince(s, a.noise.recoveredAt) &&
        !(served && PROBER_LINE.test(s.sig.sample)),
    )
    .reduce((n, s) => n + s.sig.count, 0);
  return logged >= 5;
}
