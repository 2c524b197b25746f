/**
 * Demand: a resource that ran out just as the requests reaching it multiplied ran out because of
 * them. Who sent the requests decides the answer, as it does for a responder:
 * - traffic the edge's own tooling calls automated or a flood (bot control, Shield, a DDoS
 *   signal) is an attack, blocked in front of where it arrives (`security`);
 * - traffic from one client (a series keyed by tenant, workspace or API key, or a crawler's user
 *   agent carrying the surge in the access log) is that client's load, limited where it arrives
 *   (`capacity`, block-traffic);
 * - growth from everyone is left to the capacity stories, which already say "under a traffic
 *   surge" and scale.
 * The saturation stays in the ranking just below, as a step of the story.
 */
import type { LogSignature, SecuritySignal } from '../../../ports.js';
import type { Analysis } from '../analysis.js';
import { blockParams, detectSecurity, genuineTraffic, networkSources } from '../evidence/security.js';
import { isAnomalous, type SeriesView } from '../evidence/series.js';
import { conf, fmtNumber, headline, hhmm, lower, ms, uniq } from '../measure.js';
import { action, type Candidate } from './candidate.js';

/** Requests must have at least tripled to account for a resource running out. */
const MIN_FACTOR = 3;

/** The surge may begin a little after the saturation's first point (coarser series), never long after. */
const LAG_MS = 2 * 60_000;
const LOOKBACK_MS = 90 * 60_000;

/**
 * What security tooling says about traffic it judged hostile. A web ACL's everyday blocks of
 * injection probes are not on the list: they say nothing about where a surge came from.
 */
const HOSTILE =
  /\bbots?\b|bot.?control|automated|scripted|headless|scrap(er|ing)|crawler|ddos|\bflood|volumetric|volume anomaly|layer.?7|request.?surge/i;
/**
 * Tens of sources past a per-source rate limit at once, or one request repeated from tens of
 * addresses: no crowd of people does either, so the surge they arrive with is machine-made.
 */
const MANY_SOURCES =
  /\brate.?(?:based|limit)[^;.]{0,60}\bblock(?:ed|s|ing)\s+\d{2,}\s+(?:source\s+)?(?:IPs|IP addresses|addresses|sources)\b|\bfrom\s+\d{2,}\s+(?:different|distinct|unique)\s+(?:source\s+)?(?:IPs|IP addresses|addresses)\b/i;

/** A dimension naming who sent the requests, not what served them. */
const CLIENT_DIMENSION =
  /^(workspace|tenant|customer|account|client|org|organization|project|consumer|api.?key|user|site|store|shop|merchant|seller)[-_ ]?(id|name|key)?$/i;

/** How many times its baseline the series' requests rose to. */
export const factorOf = (v: SeriesView) => v.onset!.peak / Math.max(v.onset!.baseline, v.onset!.tolerance, 1);

/** "storefront's RequestCount rose ×22.5 from 11:40 (400 to 9006)". */
export const riseOf = (v: SeriesView, where = v.service) =>
  `${where}'s ${v.series.metricName} rose ×${fmtNumber(factorOf(v))} from ${hhmm(v.onset!.at)} (${fmtNumber(v.onset!.baseline)} to ${fmtNumber(v.onset!.peak)})`;

/** The more the requests multiplied, the less room is left for anything else to explain it. */
const surgeConfidence = (v: SeriesView, other: Candidate) =>
  conf(Math.min(0.92, Math.max(0.78 + 0.05 * Math.log10(factorOf(v)), other.confidence + 0.05)));

/** Requests turned away at the edge (blocked, rejected, dropped) put no load on anything behind it. */
const TURNED_AWAY = /block|reject|drop|den(y|ied)|throttl/i;

/**
 * The client dimension and its value; the series' other dimensions (a host, a name) follow the
 * value, since an id alone ("store_id 18842") says little to a responder.
 */
const clientOf = (v: SeriesView): [string, string] | undefined => {
  const dims = Object.entries(v.series.dimensions);
  const found = dims.find(([k]) => CLIENT_DIMENSION.test(k));
  if (!found) return undefined;
  const rest = dims.filter((d) => d !== found).map(([k, x]) => `${k} ${x}`);
  return [found[0], rest.length ? `${found[1]} (${rest.join(', ')})` : found[1]];
};

/** A self-declared automated client's user agent in an access-log line ("meta-externalagent/1.1"). */
const AUTOMATED_AGENT =
  /\b([A-Za-z][\w.-]*(?:bot|crawler|spider|externalagent|scraper|fetcher)[\w.-]*)\/\d[\w.]*/i;

/**
 * One automated client behind the surge, from the service's own access log: a line naming a
 * crawler's or bot's user agent that began with the surge and repeated at least a third as often
 * as the requests grew. The requests' series (not its error counts), the agent and the line.
 */
function automatedClient(
  a: Analysis,
  found: SeriesView[],
): { surge: SeriesView; client: [string, string]; line: LogSignature } | undefined {
  const requests = found.filter((v) => /request/i.test(v.series.metricName));
  for (const surge of requests) {
    const grew = surge.onset!.peak - surge.onset!.baseline;
    for (const l of a.snap.logs) {
      if (lower(l.service) !== lower(surge.service) || l.count < grew / 3) continue;
      if (Math.abs(ms(l.firstSeen) - ms(surge.onset!.at)) > LAG_MS) continue;
      const agent = AUTOMATED_AGENT.exec(l.sample)?.[1];
      if (agent) return { surge, client: ['user agent', agent], line: l };
    }
  }
  return undefined;
}

const surging = (a: Analysis) => (v: SeriesView) =>
  v.kind === 'traffic' &&
  !TURNED_AWAY.test(v.series.metricName) &&
  isAnomalous(v) &&
  v.onset!.direction === 'up' &&
  factorOf(v) >= MIN_FACTOR &&
  !!a.snap.catalog.get(v.service);

/**
 * Traffic on a catalog service that rose at least MIN_FACTOR times its baseline: in the window, or
 * on the longer look-back when the window opened with the surge already under way.
 */
function surges(a: Analysis): SeriesView[] {
  const inWindow = a.views.filter(surging(a));
  const seen = new Set(inWindow.map((v) => v.series.id));
  return [...inWindow, ...a.trends.filter((v) => !seen.has(v.series.id) && surging(a)(v))];
}

/** The surges that reach `resource` (it is the service or one of its dependencies) before it ran out. */
function reaching(a: Analysis, all: SeriesView[], resource: string, at: string): SeriesView[] {
  const r = lower(resource);
  return all.filter((v) => {
    const on = lower(v.service) === r || a.snap.catalog.dependencies(v.service).some((d) => lower(d) === r);
    const t = ms(v.onset!.at);
    return on && t <= ms(at) + LAG_MS && t >= ms(at) - LOOKBACK_MS;
  });
}

/** Where the traffic arrives: the surging service furthest out (a CDN before its load balancer). */
const entryOf = (a: Analysis, list: SeriesView[]) =>
  [...list].sort(
    (x, y) =>
      a.snap.catalog.dependencies(y.service).length - a.snap.catalog.dependencies(x.service).length ||
      factorOf(y) - factorOf(x),
  )[0];

/** What security tooling said around a surge: from half an hour before it to half an hour after. */
const aroundSurge = (a: Analysis, from: string, until: string): SecuritySignal[] =>
  a.snap.security.filter(
    (s) => s.count > 0 && ms(s.at) >= ms(from) - 30 * 60_000 && ms(s.at) <= ms(until) + 30 * 60_000,
  );

/** A CDN's share of requests served from its cache. */
const CACHE_HIT_RATE = /cache.?hit.?rate|hit.?ratio/i;

/**
 * The CDN's cache hit rate collapsing as the requests multiplied: the new requests ask for what
 * nobody asked before (a random query string on every one), which a crowd of people does not do
 * (a crowd asks for the same popular pages, and the hit rate rises) and a cache-busting flood does.
 */
function cacheBusting(a: Analysis, from: string, until: string): SecuritySignal[] {
  const out: SecuritySignal[] = [];
  for (const v of a.views) {
    const o = v.onset;
    // A falling hit rate is not "bad" by its direction alone (no `isAnomalous`); the fall is read here.
    if (!o || !CACHE_HIT_RATE.test(v.series.metricName) || o.sustainedRatio < 0.5 || o.direction !== 'down')
      continue;
    if (o.baseline < 20 || o.last > o.baseline / 2) continue;
    if (ms(o.at) < ms(from) - LAG_MS || ms(o.at) > ms(until) + LAG_MS) continue;
    out.push({
      id: v.series.id,
      kind: 'cache-busting',
      at: o.at,
      source: v.service ?? v.series.namespace,
      count: 1,
      detail: `the cache hit rate fell from ${fmtNumber(o.baseline)}% to ${fmtNumber(o.last)}% as the requests multiplied: they ask for what nobody asked before, as a cache-busting flood does`,
    });
  }
  return out;
}

function hostileSignals(a: Analysis, from: string, until: string): SecuritySignal[] {
  const span = aroundSurge(a, from, until);
  if (genuineTraffic(span)) return [];
  return [
    ...span.filter((s) => HOSTILE.test(`${s.kind} ${s.detail}`) || MANY_SOURCES.test(s.detail)),
    ...cacheBusting(a, from, until),
  ];
}

const SAMPLE_OF = /\bsample of (\d+)\b/i;
const REPEATED = /\b(\d+)\s*x\s+((?:GET|POST|PUT|PATCH|DELETE|HEAD)\s+[^\s,;]+)/i;

/**
 * The one request most of a flood repeats, when a WAF's sample of what it let through shows it
 * ("sample of 100 …: 96 x GET /cart?cl=4711892"): at least half of the sample.
 */
function aimedAt(signals: SecuritySignal[]): string | undefined {
  for (const s of signals) {
    const of = SAMPLE_OF.exec(s.detail)?.[1];
    const m = REPEATED.exec(s.detail);
    if (of && m && Number(m[1]) * 2 >= Number(of)) return m[2];
  }
  return undefined;
}

/** A datastore that ran out as everyone's requests multiplied: capacity on it, scaled. */
function grown(a: Analysis, sat: Candidate, surge: SeriesView): Candidate {
  const resource = sat.effect!.resource;
  const rise = riseOf(surge);
  const confidence = surgeConfidence(surge, sat);
  sat.confidence = conf(Math.min(sat.confidence, confidence - 0.1));
  sat.against ??= `${sat.category} (${sat.culprit}): ${sat.effect!.headline} under ${rise}, a load it was not sized for`;
  return {
    category: 'capacity',
    culprit: resource,
    summary: `${resource} is out of capacity under a traffic surge: ${rise}; ${sat.effect!.headline}.`,
    causalChain: [rise, sat.effect!.headline, `${a.snap.alert?.title ?? 'the alert'} fired`],
    confidence,
    evidence: uniq([surge.series.id, ...sat.evidence]),
    mitigation: action('scale', resource, a.knownNames, `${resource} cannot serve the surge: add capacity`),
    specialists: ['performance', 'metrics'],
    since: surge.onset!.at,
  };
}

/** Every known failure a candidate cites is a load limit (or a mere symptom), and one is a limit. */
function loadLimitsOnly(a: Analysis, c: Candidate): string | undefined {
  const entries = (c.signatures ?? [])
    .map((id) => a.knowledge.find((h) => h.entry.id === id)?.entry)
    .filter((e) => !!e);
  const limit = entries.find((e) => e.underLoad);
  return limit && entries.every((e) => e.underLoad || e.role === 'symptom') ? limit.title : undefined;
}

/**
 * A load limit (file descriptors, ports, pool slots) hit just after everyone's requests to that
 * service multiplied is what healthy code reaches under more load than it was sized for: capacity,
 * scaled, not a defect to restart or roll back. Not when a change of its own explains it, nor
 * when the traffic is hostile or one client's — a tenant's, a crawler's (the rest of `demand`
 * answers those).
 */
function limitUnderSurge(a: Analysis, list: Candidate[], all: SeriesView[]): Candidate[] {
  for (const k of list) {
    if (k.category === 'capacity' || k.category === 'security' || k.changeAt || !k.since) continue;
    const limit = loadLimitsOnly(a, k);
    if (!limit) continue;
    const found = reaching(a, all, k.culprit, k.since);
    if (!found.length || found.some(clientOf) || automatedClient(a, found)) continue;
    const began = found.map((v) => v.onset!.at).sort()[0];
    if (hostileSignals(a, began, k.since).length) continue;
    // Its own trouble began first (callers retrying into a database that had already run out).
    const own = a.views
      .filter((v) => lower(v.service) === lower(k.culprit) && v.kind !== 'traffic' && isAnomalous(v))
      .map((v) => v.onset!.at)
      .sort()[0];
    if (ms(began) > ms(k.since) || (own && ms(own) < ms(began))) continue;
    const surge = entryOf(a, found);
    const rise = riseOf(surge);
    const confidence = surgeConfidence(surge, k);
    k.confidence = conf(Math.min(k.confidence, confidence - 0.1));
    k.against ??= `${k.category} (${k.culprit}): ${limit} began after ${rise}, the limit healthy code reaches under more load than it was sized for`;
    return [
      {
        category: 'capacity',
        culprit: k.culprit,
        summary: `${k.culprit} is out of capacity under a traffic surge: ${rise}; it then hit ${limit}.`,
        causalChain: [rise, `${k.culprit} hit ${limit}`, `${a.snap.alert?.title ?? 'the alert'} fired`],
        confidence,
        evidence: uniq([surge.series.id, ...k.evidence]),
        mitigation: action(
          'scale',
          k.culprit,
          a.knownNames,
          `${k.culprit} cannot serve the surge: add capacity`,
        ),
        specialists: ['performance', 'metrics'],
        signatures: k.signatures,
        since: surge.onset!.at,
      },
      ...list,
    ];
  }
  return list;
}

export function demand(a: Analysis, input: Candidate[]): Candidate[] {
  const all = surges(a);
  if (!all.length) return input;
  const list = limitUnderSurge(a, input, all);
  const effects = list
    .filter(
      (c) =>
        (c.category === 'capacity' || c.category === 'database') &&
        !c.changeAt &&
        c.effect?.loadLinked &&
        !c.effect.explained,
    )
    .sort((x, y) => y.confidence - x.confidence);
  for (const sat of effects) {
    const resource = sat.effect!.resource;
    const found = reaching(a, all, resource, sat.effect!.at);
    if (!found.length) continue;
    const entry = entryOf(a, found);
    const began = found.map((v) => v.onset!.at).sort()[0];
    const hostile = hostileSignals(a, began, sat.effect!.at);
    const keyed = found.find((v) => clientOf(v));
    const crawler = keyed || hostile.length ? undefined : automatedClient(a, found);
    if (!hostile.length && !keyed && !crawler) {
      // Everyone's requests multiplied: a datastore that ran out under them is short of capacity,
      // not failing on its own (its connections or CPU went where the requests sent them).
      // Only requests arriving from outside, before it ran out: a datastore's own query rate
      // rising, or callers retrying after it slowed, is what something else made of it.
      const outside = found.filter(
        (v) =>
          lower(v.service) !== lower(resource) &&
          (a.snap.catalog.get(v.service)?.userFacing || a.snap.catalog.dependents(v.service!).length === 0) &&
          ms(v.onset!.at) <= ms(sat.effect!.at),
      );
      if (sat.category === 'database' && outside.length) return [grown(a, sat, entryOf(a, outside)), ...list];
      continue;
    }
    // The series keyed by one client says whom the traffic is aimed at or comes from.
    const surge = keyed ?? crawler?.surge ?? entry;
    const where = surge.service!;
    const rise = riseOf(surge, where);
    const client = crawler?.client ?? clientOf(surge);
    const confidence = surgeConfidence(surge, sat);
    const why = hostile.length
      ? `${hostile[0].source ?? hostile[0].kind} flags it: ${headline(hostile[0].detail).slice(0, 140)}`
      : crawler
        ? `${crawler.line.count} of them from ${client![0]} ${client![1]} in ${where}'s access log from ${hhmm(crawler.line.firstSeen)}`
        : `the series is ${client![0]} ${client![1]}'s alone`;
    const target = hostile.length ? aimedAt(aroundSurge(a, began, sat.effect!.at)) : undefined;
    const cause: Candidate = hostile.length
      ? {
          category: 'security',
          culprit: where,
          summary: `Hostile traffic arriving at ${where}${client ? ` for ${client[0]} ${client[1]}` : ''}${target ? `, aimed at ${target}` : ''}: ${rise}; ${why}. ${sat.effect!.headline} under it.`,
          causalChain: [rise, why, sat.effect!.headline, `${a.snap.alert?.title ?? 'the alert'} fired`],
          confidence,
          evidence: uniq([surge.series.id, ...hostile.map((s) => s.id), ...sat.evidence]),
          mitigation: action(
            'block-traffic',
            where,
            a.knownNames,
            `block the automated traffic in front of ${where} (a rate-based or bot rule)`,
            // The sources any of the tooling names around the surge (a rate rule names none; the
            // failed logins beside it name their loudest address).
            blockParams(detectSecurity(aroundSurge(a, began, sat.effect!.at)).flatMap(networkSources)),
          ),
          specialists: ['security', 'performance'],
          since: began,
        }
      : {
          category: 'capacity',
          culprit: resource,
          summary: `${resource} ran out under one client's load: ${rise}, ${why}. ${sat.effect!.headline}.`,
          causalChain: [rise, sat.effect!.headline, `${a.snap.alert?.title ?? 'the alert'} fired`],
          confidence,
          evidence: uniq([surge.series.id, ...(crawler ? [crawler.line.id] : []), ...sat.evidence]),
          mitigation: action(
            'block-traffic',
            where,
            a.knownNames,
            `limit ${client![0]} ${client![1]} at ${where}; more capacity would only feed it`,
          ),
          specialists: ['performance'],
          since: began,
        };
    sat.confidence = conf(Math.min(sat.confidence, confidence - 0.1));
    sat.against ??= `${sat.category} (${sat.culprit}): ${sat.effect!.headline} followed ${rise}`;
    // The security story told from the same signals alone is this one, with less in it.
    const told = new Set(hostile.map((s) => s.id));
    return [
      cause,
      ...list.filter(
        (c) => !(c.category === 'security' && c.evidence.length && c.evidence.every((id) => told.has(id))),
      ),
    ];
  }
  return list;
}
