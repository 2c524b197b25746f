/**
 * Backpressure: a queue or broker fills when the services that drain it stop draining. A broker's
 * memory alarm or a queue's backlog that began after one of its clients started failing on another
 * dependency (an indexer whose database refuses its writes, so it requeues everything it reads) is
 * that dependency's effect. The failing dependency takes the place the saturation held; the
 * saturation ranks just below it and becomes a step of its story.
 */
import type { Analysis } from '../analysis.js';
import { ERROR_LEVELS } from '../evidence/logs.js';
import { conf, hhmm, lower, ms } from '../measure.js';
import type { Candidate } from './candidate.js';

/** What a failing dependency is, for this rule: its own failure, not a change or a capacity limit. */
const FAILURES: ReadonlySet<Candidate['category']> = new Set(['database', 'dependency', 'code', 'network']);

/** A client must have begun failing within this long after the dependency did, before the saturation. */
const CLIENT_SLACK_MS = 5 * 60_000;

/**
 * A client of `resource` (it depends on it in the catalog) that also depends on `culprit` and
 * logged errors or warnings from `since` (less a little) up to `until`: the one that stopped
 * draining the resource because the culprit failed it.
 */
function stalledClient(a: Analysis, resource: string, culprit: string, since: string, until: string) {
  const cat = a.snap.catalog;
  const inTime = (at: string) => ms(at) >= ms(since) - CLIENT_SLACK_MS && ms(at) <= ms(until);
  return cat.dependents(resource).find(
    (x) =>
      lower(x) !== lower(culprit) &&
      cat.get(x)?.dependsOn?.some((d) => lower(d) === lower(culprit)) &&
      (a.signatures.some(
        (s) =>
          lower(s.sig.service) === lower(x) &&
          (s.isError || /^WARN/i.test(s.sig.level)) &&
          inTime(s.sig.firstSeen),
      ) ||
        // Its work slowed before it logged anything: each job now waits on the culprit.
        a.views.some(
          (v) =>
            lower(v.service) === lower(x) && v.kind === 'latency' && v.bad && !!v.onset && inTime(v.onset.at),
        )),
  );
}

/** The client's own failing lines name the dependency (`shard=clientdb-3`). */
const namesIt = (a: Analysis, client: string, culprit: string): boolean =>
  a.signatures.some(
    (s) => lower(s.sig.service) === lower(client) && s.mentions.some((m) => lower(m) === lower(culprit)),
  );

/**
 * When a failing dependency's trouble began: its own evidence (a slow-query log is written once a
 * statement finishes, minutes in), its own series leaving their baselines, or its own new errors
 * (a disk timing out before the host check fails), whichever came first.
 */
function startOf(a: Analysis, f: Candidate): string {
  const own = a.views
    .filter((v) => lower(v.service) === lower(f.culprit) && v.bad && !!v.onset)
    .map((v) => v.onset!.at);
  const errors = a.signatures
    .filter(
      (s) =>
        s.isNew && s.isError && ERROR_LEVELS.test(s.sig.level) && lower(s.sig.service) === lower(f.culprit),
    )
    .map((s) => s.sig.firstSeen);
  return [(f.since ?? f.effect?.at)!, ...own, ...errors].sort()[0];
}

/**
 * A store out of connections is backpressure too: its clients hold their connections open while
 * each request waits on another dependency that stopped answering.
 */
const connectionsHeld = (c: Candidate): boolean =>
  (c.category === 'database' || c.category === 'capacity') &&
  /ran out of connections/.test(c.effect?.headline ?? '');

export function backpressure(a: Analysis, list: Candidate[]): void {
  for (const sat of list) {
    if ((sat.category !== 'capacity' && !connectionsHeld(sat)) || sat.changeAt) continue;
    const resource = sat.effect?.resource ?? sat.culprit;
    const began = sat.since ?? sat.effect?.at;
    if (!began || !a.snap.catalog.get(resource)) continue;
    const causes = list
      .filter(
        (f) =>
          f !== sat &&
          FAILURES.has(f.category) &&
          !f.changeAt &&
          // A dependency's failure seen only through its callers has no start of its own but
          // when they saw it; that is enough to order it before connections held open.
          !!(f.since ?? (connectionsHeld(sat) ? f.effect?.at : undefined)) &&
          lower(f.culprit) !== lower(resource) &&
          !!a.snap.catalog.get(f.culprit),
      )
      .map((f) => ({ f, start: startOf(a, f) }))
      .map(({ f, start }) => ({ f, start, via: stalledClient(a, resource, f.culprit, start, began) }))
      // Before the saturation by a clear margin, or at all when the client's own lines name it.
      .filter(
        ({ f, start, via }) =>
          !!via &&
          (ms(start) <= ms(began) - 2 * 60_000 || (ms(start) < ms(began) && namesIt(a, via, f.culprit))),
      )
      .sort((x, y) => y.f.confidence - x.f.confidence || x.start.localeCompare(y.start));
    const best = causes[0];
    if (!best) continue;
    const { f, via, start } = best;
    const held = connectionsHeld(sat);
    const step = held
      ? `${via} held its connections to ${resource} open while waiting on ${f.culprit}, failing from ${hhmm(start)}`
      : `${via} stopped draining ${resource} as ${f.culprit} failed (from ${hhmm(start)})`;
    f.confidence = conf(Math.min(0.9, Math.max(f.confidence, sat.confidence + 0.05)));
    f.causalChain.splice(1, 0, step, `${resource}: ${sat.summary.split('.')[0].slice(0, 120)}`);
    f.summary = `${f.summary.replace(/\.$/, '')}; ${step}, and ${resource} filled up behind it.`;
    sat.confidence = conf(Math.min(sat.confidence, f.confidence - 0.05));
    sat.against ??= held
      ? `${sat.category} (${sat.culprit}): ${resource}'s connections were held by ${via}, waiting on ${f.culprit} since ${hhmm(start)}`
      : `${sat.category} (${sat.culprit}): ${resource} filled because ${via} stopped draining it after ${f.culprit} failed at ${hhmm(start)}`;
  }
}

/**
 * A backlog is a shortage of draining, and the drainer says where: a queue that filled while one of
 * the services on it ran out of its own capacity (its CPU pinned) fills because that service cannot
 * keep up. The service is named; the queue ranks just below, as a step of its story.
 */
export function slowDrainer(a: Analysis, list: Candidate[]): void {
  for (const q of list) {
    if (q.category !== 'capacity' || q.changeAt || !q.effect) continue;
    const queue = q.effect.resource;
    if (!a.views.some((v) => lower(v.service) === lower(queue) && v.kind === 'queue')) continue;
    const on = new Set(a.snap.catalog.dependents(queue).map(lower));
    const drainer = list
      .filter(
        (c) =>
          c !== q &&
          c.category === 'capacity' &&
          !c.changeAt &&
          !!c.effect &&
          on.has(lower(c.effect.resource)) &&
          Math.abs(ms(c.effect.at) - ms(q.effect!.at)) <= 10 * 60_000,
      )
      .sort((x, y) => y.confidence - x.confidence)[0];
    if (!drainer) continue;
    const step = `${queue} backs up behind it`;
    drainer.confidence = conf(Math.min(0.9, Math.max(drainer.confidence, q.confidence + 0.05)));
    if (!drainer.causalChain.includes(step)) drainer.causalChain.splice(1, 0, step);
    drainer.summary = `${drainer.summary.replace(/\.$/, '')}; ${step}.`;
    q.confidence = conf(Math.min(q.confidence, drainer.confidence - 0.05));
    q.against ??= `${q.category} (${q.culprit}): the backlog grows because ${drainer.culprit}, on it, ran out of capacity`;
  }
}
