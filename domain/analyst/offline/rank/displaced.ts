/**
 * Displaced load: a service that ran out just as its twin elsewhere (the same role in another
 * region, zone or cell, by the catalog's shape) lost its clients ran out absorbing
 * them. Clients cut off in one place reconnect to the next healthy one, and that surge, not a
 * defect of the receiving side, exhausts it. The cause is the twin's failure; the first action is
 * still to give the receiving side room (scale it), since nothing of ours undoes the other side's
 * loss. Only when nothing else in the ranking already explains the twin's failure (a release of
 * its own would then be the story, this its consequence).
 */
import type { Analysis } from '../analysis.js';
import type { Catalog } from '../evidence/catalog.js';
import { isAnomalous, type SeriesView } from '../evidence/series.js';
import { conf, fmtNumber, hhmm, lower, ms, uniq } from '../measure.js';
import { action, type Candidate } from './candidate.js';
import { factorOf, riseOf } from './demand.js';

const lc = (xs: string[] | undefined) => (xs ?? []).map(lower);

/** Same owner, tier and exposure: two copies of one thing, by what the catalog says of them. */
function alike(cat: Catalog, x: string, y: string): boolean {
  const [p, q] = [cat.get(x), cat.get(y)];
  return (
    !!p &&
    !!q &&
    lower(p.name) !== lower(q.name) &&
    p.owner === q.owner &&
    p.tier === q.tier &&
    !!p.userFacing === !!q.userFacing
  );
}

/**
 * Copies of one service (the same role in two regions, zones or cells): alike in the catalog, with
 * the same number of direct dependencies, sharing at least one and differing in at most one each
 * (each copy's own load balancer or queue). Read from the catalog's shape, never from names: a
 * rename changes nothing.
 */
function copies(cat: Catalog, x: string, y: string): boolean {
  if (!alike(cat, x, y)) return false;
  const dx = lc(cat.get(x)!.dependsOn);
  const dy = lc(cat.get(y)!.dependsOn);
  const onlyX = dx.filter((d) => !dy.includes(d));
  const onlyY = dy.filter((d) => !dx.includes(d));
  return dx.length === dy.length && dx.length > onlyX.length && onlyX.length <= 1 && onlyY.length <= 1;
}

/**
 * Twins: copies of one service, or the per-copy dependencies of two copies (`edge-lb` of one
 * region and of the other).
 *
 * @example twins(catalog, 'edge-lb-use1', 'edge-lb-usw1') // their frontends are copies
 */
export function twins(cat: Catalog, x: string, y: string): boolean {
  if (copies(cat, x, y)) return true;
  if (!alike(cat, x, y)) return false;
  return cat
    .dependents(x)
    .some((px) =>
      cat
        .dependents(y)
        .some(
          (py) =>
            copies(cat, px, py) &&
            !lc(cat.get(py)?.dependsOn).includes(lower(x)) &&
            !lc(cat.get(px)?.dependsOn).includes(lower(y)),
        ),
    );
}

/** Requests must have at least tripled. */
const MIN_FACTOR = 3;
/** The twin's loss comes first, or in the same minute as the arrivals. */
const BEFORE_MS = 5 * 60_000;
const AFTER_MS = 60_000;

/** A series saying its service lost its clients: connections reset or dropped, traffic gone, failing. */
const lostClients = (v: SeriesView) =>
  isAnomalous(v) &&
  (/reset|drop|disconnect|closed/i.test(v.series.metricName)
    ? v.onset!.direction === 'up'
    : v.kind === 'traffic'
      ? v.onset!.direction === 'down'
      : (v.kind === 'errors' || v.kind === 'availability') && v.bad);

export function displacedLoad(a: Analysis, list: Candidate[]): Candidate[] {
  const cat = a.snap.catalog;
  for (const sat of list) {
    if (sat.category !== 'capacity' || !sat.effect?.loadLinked || sat.effect.explained || sat.changeAt)
      continue;
    const r = sat.effect.resource;
    const near = [r, ...cat.dependencies(r), ...cat.dependents(r)].map(lower);
    const arrivals = a.views.filter(
      (v) =>
        v.kind === 'traffic' &&
        !/reset|drop|disconnect|closed|block|reject/i.test(v.series.metricName) &&
        isAnomalous(v) &&
        v.onset!.direction === 'up' &&
        factorOf(v) >= MIN_FACTOR &&
        near.includes(lower(v.service)) &&
        Math.abs(ms(v.onset!.at) - ms(sat.effect!.at)) <= BEFORE_MS,
    );
    if (!arrivals.length) continue;
    const arrival = arrivals.sort((x, y) => factorOf(y) - factorOf(x))[0];
    const at = ms(arrival.onset!.at);
    const places = uniq([r, arrival.service!]);
    const loss = a.views
      .filter(
        (v) =>
          !!v.service &&
          places.some((p) => twins(cat, p, v.service!)) &&
          lostClients(v) &&
          ms(v.onset!.at) >= at - BEFORE_MS &&
          ms(v.onset!.at) <= at + AFTER_MS,
      )
      .sort((x, y) => ms(x.onset!.at) - ms(y.onset!.at))[0];
    if (!loss) continue;
    const twin = loss.service!;
    // The twin's own failure already has a story: that story leads, this is its consequence.
    if (list.some((c) => c !== sat && c.confidence >= sat.confidence && lower(c.culprit) === lower(twin)))
      continue;
    const lost = `${twin}'s ${loss.series.metricName} ${loss.onset!.direction === 'up' ? 'rose' : 'fell'} at ${hhmm(loss.onset!.at)} (${fmtNumber(loss.onset!.baseline)} to ${fmtNumber(loss.onset!.peak)})`;
    const came = riseOf(arrival);
    const confidence = conf(Math.min(0.9, Math.max(0.7, sat.confidence + 0.15)));
    sat.confidence = conf(Math.min(sat.confidence, confidence - 0.1));
    sat.against ??= `${sat.category} (${sat.culprit}): ${sat.effect.headline} absorbing clients displaced from ${twin}`;
    return [
      {
        category: 'dependency',
        culprit: twin,
        summary: `${r} ran out absorbing clients displaced from ${twin}: ${lost}, and as those clients reconnect elsewhere ${came}; ${sat.effect.headline}.`,
        causalChain: [
          `${twin} lost its clients: ${lost}`,
          `they reconnect to ${r}: ${came}`,
          sat.effect.headline,
          `${a.snap.alert?.title ?? 'the alert'} fired`,
        ],
        confidence,
        evidence: uniq([loss.series.id, arrival.series.id, ...sat.evidence]),
        mitigation: action('scale', r, a.knownNames, `${r} is taking ${twin}'s clients: add capacity`),
        specialists: ['dependencies', 'metrics', 'performance'],
        since: loss.onset!.at,
      },
      ...list,
    ];
  }
  return list;
}
