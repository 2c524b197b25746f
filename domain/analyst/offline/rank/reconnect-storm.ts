/**
 * A reconnection storm: a rollout restarts a service that holds its clients' connections (a proxy,
 * a websocket gateway), every client reconnects at once, and the handshakes alone exhaust it. What
 * the release contains has nothing to do with it: new connections multiplied within minutes of it
 * while the restart was visible (tasks stopped, connections closed, clients dropped). Rolling back
 * would restart it again; capacity carries the herd through.
 */
import type { Analysis } from '../analysis.js';
import { conf, headline, hhmm, lower, ms } from '../measure.js';
import type { Candidate } from './candidate.js';
import { factorOf, riseOf } from './demand.js';

/** Series that count connections being opened rather than requests or open connections. */
const NEW_CONNECTIONS =
  /new.?(?:flow|conn)|handshake.?(?:count|rate|s$)|conn(?:ection)?s?.?(?:opened|attempt|rate)|reconnect/i;
/** The restart as the service or its clients logged it. */
const RESTARTED =
  /\bSIGTERM\b|shutting down|graceful(?:ly)? (?:shutdown|stop)|draining|closing \d+ .{0,40}connections|stopped \d+ running tasks|abnormal.?closure|\b1006\b|reconnect/i;
const MIN_FACTOR = 3;
/** The herd arrives as soon as the first tasks go; a rollout that takes longer still starts it then. */
const WITHIN_MS = 10 * 60_000;

export function reconnectStorm(a: Analysis, list: Candidate[]): void {
  const release = [...list].sort((x, y) => y.confidence - x.confidence)[0];
  if (release?.category !== 'deployment' || !release.changeAt || !release.changeService) return;
  const service = lower(release.changeService);
  const saturated = list.find(
    (c) => c.category === 'capacity' && lower(c.culprit) === service && !!c.effect && !c.changeAt,
  );
  if (!saturated) return;
  const start = ms(release.changeAt);
  const herd = a.views.find(
    (v) =>
      lower(v.service) === service &&
      NEW_CONNECTIONS.test(v.series.metricName) &&
      v.onset?.direction === 'up' &&
      factorOf(v) >= MIN_FACTOR &&
      ms(v.onset.at) >= start - 60_000 &&
      ms(v.onset.at) <= start + WITHIN_MS,
  );
  if (!herd) return;
  const restart = a.snap.logs.find(
    (l) => RESTARTED.test(l.sample) && Math.abs(ms(l.firstSeen) - start) <= WITHIN_MS,
  );
  if (!restart) return;
  const rise = riseOf(herd);
  // Encrypted connections cost most to open: say so when the service's own telemetry does.
  const tls = [
    ...a.snap.logs.map((l) => [l.service, l.sample]),
    ...a.views.map((v) => [v.service, v.series.metricName]),
  ].some(([svc, text]) => lower(svc) === service && /\b(?:tls|ssl)/i.test(text ?? ''));
  const handshakes = tls ? 'the TLS handshakes' : 'the handshakes';
  saturated.confidence = conf(Math.min(0.96, release.confidence + 0.02));
  saturated.summary =
    `A reconnection storm: the rollout at ${hhmm(release.changeAt)} restarted ${herd.service} and its clients ` +
    `all reconnected at once (${rise}); ${handshakes} alone exhausted it. ${saturated.effect!.headline}. ` +
    'Rolling back would restart it again: add capacity to carry the reconnections.';
  saturated.causalChain = [
    `the rollout at ${hhmm(release.changeAt)} restarted ${herd.service}`,
    headline(restart.sample).slice(0, 120),
    rise,
    saturated.effect!.headline,
    `${a.snap.alert?.title ?? 'the alert'} fired`,
  ];
  saturated.evidence = [...new Set([herd.series.id, restart.id, ...saturated.evidence, ...release.evidence])];
  saturated.against = undefined;
  release.confidence = conf(saturated.confidence - 0.1);
  release.against ??= `deployment (${release.culprit}): its restart, not its content, set off the reconnections (${rise})`;
}
