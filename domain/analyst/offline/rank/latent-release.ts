/**
 * A release from days ago that the crash is in: the leading story is a code defect of one of our
 * services (a panic, a segfault) that keeps killing it however often it is restarted, nothing of
 * that service changed since, and its last release, up to the latent look-back, says it rewrote
 * what the crash lines are about (two shared stems, names left out). New input reached the new
 * code path only now; the code is the release's, and rolling it back is the fix a restart is not.
 * A release whose words share nothing with the crash is left alone: age alone ties it to nothing.
 */
import type { Analysis } from '../analysis.js';
import { affinity } from '../evidence/change-relevance.js';
import { undoneAlready } from '../evidence/changes.js';
import { restartingAlready } from '../evidence/killed.js';
import { lower, ms } from '../measure.js';
import { type Candidate, releaseRollback } from './candidate.js';

const DAY_MS = 86_400_000;
/** Lines logged this close to the onset are the crash's context. */
const AROUND_MS = 5 * 60_000;

export function latentRelease(a: Analysis, list: Candidate[]): void {
  const lead = [...list].sort((x, y) => y.confidence - x.confidence)[0];
  if (lead?.category !== 'code' || lead.changeAt || !a.snap.catalog.get(lead.culprit)) return;
  const service = lower(lead.culprit);
  const mine = (c: { change: { kind: string; service?: string } }) =>
    c.change.kind === 'deployment' && lower(c.change.service) === service;
  if (a.changes.some(mine)) return;
  const release = a.olderChanges
    .filter((c) => mine(c) && !undoneAlready(c.change))
    .sort((x, y) => ms(y.change.at) - ms(x.change.at))[0];
  if (!release) return;
  // Restarts have already happened and the crash came back: a transient trigger (a clock step, a
  // lost connection) is what a restart clears, and then the old release is not the first action.
  if (!restartingAlready(a, service)) return;
  // What the service logged as it crashed, at any level: the lines that say what it was doing.
  const from = ms(a.onset) - AROUND_MS;
  const until = ms(a.onset) + AROUND_MS;
  const crash = a.snap.logs
    .filter((l) => lower(l.service) === service && ms(l.firstSeen) >= from && ms(l.firstSeen) <= until)
    .map((l) => l.sample)
    .join('\n');
  const shared = affinity(release.change, crash, a.knownNames);
  if (shared.length < 2) return;
  const ch = release.change;
  const days = Math.round((ms(a.onset) - ms(ch.at)) / DAY_MS);
  const what = `${lead.culprit} ${ch.version ?? 'release'}, released ${days} day${days === 1 ? '' : 's'} before ("${ch.summary.slice(0, 120)}")`;
  lead.culprit = ch.version ?? lead.culprit;
  lead.summary = `${lead.summary.replace(/\.$/, '')}. The crash is in code ${what}: its lines are about what that release rewrote (${shared.join(', ')}…); new input reached it only now.`;
  lead.causalChain = [`${what} shipped the code path`, ...lead.causalChain];
  lead.evidence = [ch.id, ...lead.evidence];
  lead.mitigation = releaseRollback(ch, ch.service, a.knownNames) ?? lead.mitigation;
}
