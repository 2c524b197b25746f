/**
 * Clients that did not come back: a datastore failed over (a planned step-down, a patch reboot, a
 * node replaced), another client of it reconnected within seconds, and the alarming service kept
 * failing its calls by the thousand. The datastore recovered; the service's own connection
 * handling did not — a defect in it (`code`), cleared by restarting it, not by undoing the
 * failover. The peer that recovered is the control that tells the two apart.
 */
import type { LogSignature } from '../../../ports.js';
import type { Analysis } from '../analysis.js';
import { ERROR_LEVELS } from '../evidence/logs.js';
import { conf, headline, hhmm, lower, ms, uniq } from '../measure.js';
import { action, type Candidate } from './candidate.js';

/** A client's own words that it is connected again. */
const RECOVERED =
  /\b(?:re-?connected|connected to (?:the )?new primary|connection (?:re-?established|restored)|recovered connection|failover complete)\b/i;
/** A client's own words that its connection to a datastore broke. */
const CONNECTION_LOST =
  /\b(?:connection\b.{0,40}\bclosed|reconnecting|topology|not master|no primary|connection reset|ECONNRESET|ECONNREFUSED|stepped down)\b/i;

/** Failing lines this many times over are a client that stayed broken, not a blip. */
const STUCK_COUNT = 100;

interface Recovery {
  datastore: string;
  peer: string;
  lostAt: number;
  recoveredAt: number;
  line: LogSignature;
}

/** A peer of `service` that lost its connection to a shared dependency and said it was back. */
function peerRecovery(a: Analysis, service: string): Recovery | undefined {
  const cat = a.snap.catalog;
  for (const datastore of cat.get(service)?.dependsOn ?? []) {
    for (const peer of cat.dependents(datastore)) {
      if (lower(peer) === lower(service)) continue;
      const lines = a.snap.logs.filter((l) => lower(l.service) === lower(peer));
      const lost = lines
        .filter((l) => CONNECTION_LOST.test(l.sample))
        .sort((x, y) => ms(x.firstSeen) - ms(y.firstSeen))[0];
      if (!lost) continue;
      const back = lines.find(
        (l) =>
          RECOVERED.test(l.sample) && !ERROR_LEVELS.test(l.level) && ms(l.firstSeen) >= ms(lost.firstSeen),
      );
      // Back, and not failing in volume since.
      if (!back) continue;
      const since = ms(back.firstSeen);
      if (
        lines.some(
          (l) =>
            ERROR_LEVELS.test(l.level) && l.count >= STUCK_COUNT && ms(l.firstSeen) >= ms(lost.firstSeen),
        )
      )
        continue;
      return { datastore, peer, lostAt: ms(lost.firstSeen), recoveredAt: since, line: back };
    }
  }
  return undefined;
}

export function stuckClients(a: Analysis, list: Candidate[]): Candidate[] {
  const service = a.snap.service;
  if (!service || !a.snap.catalog.get(service)) return list;
  const recovery = peerRecovery(a, service);
  if (!recovery) return list;
  const { datastore, peer } = recovery;
  // The alarming service's own failures, from when the connection broke, by the thousand.
  const failing = a.snap.logs
    .filter(
      (l) =>
        lower(l.service) === lower(service) &&
        ERROR_LEVELS.test(l.level) &&
        l.count >= STUCK_COUNT &&
        ms(l.firstSeen) >= recovery.lostAt - 2 * 60_000,
    )
    .sort((x, y) => y.count - x.count);
  if (!failing.length) return list;
  // A release of its own just before is the likelier story; leave that to the change rules.
  if (
    a.changes.some(
      (c) => c.change.kind === 'deployment' && lower(c.service) === lower(service) && c.leadMinutes <= 60,
    )
  )
    return list;
  const top = failing[0];
  const lostAt = new Date(recovery.lostAt).toISOString();
  const story = `${peer} lost its connection to ${datastore} at ${hhmm(lostAt)} and reconnected at ${hhmm(new Date(recovery.recoveredAt).toISOString())} ("${recovery.line.sample.slice(0, 80)}"), while ${service} kept failing (${top.count}x "${headline(top.sample).slice(0, 100)}")`;
  const cand: Candidate = {
    category: 'code',
    culprit: service,
    summary: `${service} did not reconnect after ${datastore} failed over: ${story}. ${datastore} recovered; ${service}'s connection handling did not.`,
    causalChain: [
      `${datastore} failed over at ${hhmm(lostAt)}`,
      `${peer} reconnected; ${service} kept its broken connections`,
      `${a.snap.alert?.title ?? 'the alert'} fired`,
    ],
    confidence: conf(0.8),
    evidence: uniq([top.id, recovery.line.id]),
    mitigation: action(
      'restart',
      service,
      a.knownNames,
      `restart ${service} so it reconnects to ${datastore}, as ${peer} already did`,
    ),
    specialists: ['logs', 'dependencies'],
    since: top.firstSeen,
  };
  for (const c of list) {
    const onStore =
      lower(c.culprit) === lower(datastore) ||
      lower(c.changeService) === lower(datastore) ||
      lower(c.effect?.resource) === lower(datastore);
    if (!onStore) continue;
    c.confidence = conf(Math.min(c.confidence * 0.6, cand.confidence - 0.05));
    c.against ??= `${c.category} (${c.culprit}): ${datastore} recovered (${peer} reconnected), while ${service} did not`;
  }
  return [...list, cand];
}
