/**
 * New work a release brought: a scheduled task that runs for the first time after a release of the
 * code that runs it (its service deployed, or the release says its image is shared with it), and
 * right after it starts, something it calls runs out. The release an hour before the onset is what
 * a responder rolls back; the saturation is its effect and ranks just below it.
 */
import type { Analysis } from '../analysis.js';
import { undoneAlready } from '../evidence/changes.js';
import { conf, headline, hhmm, lower, ms, uniq } from '../measure.js';
import { type Candidate, releaseRollback } from './candidate.js';

/** A scheduler dispatching a periodic task, in the words of Celery beat, cron and friends. */
const TASK_STARTED =
  /\bSending due task\b|\bscheduled (?:task|job) \S+ (?:started|triggered|dispatched)\b|\bcron(?:job)?\b.{0,40}\b(?:started|triggered)\b/i;

/** The saturation must follow the task's start within this long. */
const FOLLOW_MS = 15 * 60_000;
/** A release this old or older is not "the release before the task's first run". */
const MAX_AGE_MS = 6 * 60 * 60_000;

export function newTask(a: Analysis, list: Candidate[]): Candidate[] {
  const starts = a.snap.logs.filter(
    (l) =>
      TASK_STARTED.test(l.sample) &&
      // Not seen in the day before the window: it is new.
      !(a.snap.earlierLogs ?? []).some(
        (e) => lower(e.service) === lower(l.service) && e.signature === l.signature,
      ),
  );
  for (const start of starts) {
    const runner = start.service;
    if (!runner) continue;
    const release = [...a.changes, ...a.olderChanges]
      .map((s) => s.change)
      .filter(
        (c) =>
          c.kind === 'deployment' &&
          c.status !== 'rolled-back' &&
          !undoneAlready(c) &&
          (lower(c.service) === lower(runner) || lower(c.summary).includes(lower(runner))) &&
          ms(c.at) < ms(start.firstSeen) &&
          ms(c.at) >= ms(start.firstSeen) - MAX_AGE_MS,
      )
      .sort((x, y) => ms(y.at) - ms(x.at))[0];
    if (!release?.service) continue;
    const calls = new Set(a.snap.catalog.dependencies(runner).map(lower));
    const effects = list.filter(
      (c) =>
        !c.changeAt &&
        c.effect &&
        calls.has(lower(c.effect.resource)) &&
        ms(c.effect.at) >= ms(start.firstSeen) - 60_000 &&
        ms(c.effect.at) <= ms(start.firstSeen) + FOLLOW_MS,
    );
    if (!effects.length) continue;
    const strongest = Math.max(...effects.map((c) => c.confidence));
    const task = headline(start.sample).slice(0, 120);
    const cand: Candidate = {
      category: 'deployment',
      culprit: release.version ?? release.service,
      summary:
        `Deployment of ${release.service} ${release.version ?? ''} at ${hhmm(release.at)} brought new work: ` +
        `${runner} ran a scheduled task for the first time at ${hhmm(start.firstSeen)} ("${task}"), ` +
        `and ${effects[0].effect!.headline} right after.`,
      causalChain: [
        `${release.service} ${release.version ?? ''} deployed at ${hhmm(release.at)}`,
        `${runner} starts a new scheduled task at ${hhmm(start.firstSeen)}`,
        effects[0].effect!.headline,
        `${a.snap.alert?.title ?? 'the alert'} fired`,
      ],
      confidence: conf(Math.min(0.85, Math.max(0.6, strongest + 0.1))),
      evidence: uniq([release.id, start.id, ...effects[0].evidence]),
      mitigation: releaseRollback(release, release.service, a.knownNames, ': the task came with it'),
      specialists: ['changes', 'logs'],
      since: release.at,
      changeAt: release.at,
      changeService: release.service,
    };
    for (const c of effects) {
      c.confidence = conf(Math.min(c.confidence, cand.confidence - 0.05));
      c.against ??= `${c.category} (${c.culprit}): ${c.effect!.headline} as ${runner}'s new task started, which came with ${release.service} ${release.version ?? ''}`;
    }
    const timingOnly = list.findIndex((c) => c.changeAt && c.evidence[0] === release.id);
    return [cand, ...list.filter((_, i) => i !== timingOnly)];
  }
  return list;
}
