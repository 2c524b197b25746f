/**
 * A process killed on a front door: the kernel, the init system or the orchestrator saying it
 * killed the service's process (out of memory, SIGKILL, an essential container gone, a crash loop).
 * Those are the operating system's own words, not an application's message, and on a critical,
 * user-facing service they mean the door people come through lost the process that answers them.
 */
import type { Analysis } from '../analysis.js';
import { lower, uniq } from '../measure.js';
import { loggedSince } from './noise.js';
import { isAnomalous } from './series.js';

const KILLED =
  /Out of memory: Killed process|Memory cgroup out of memory|\bOOMKilled\b|Main process exited, code=killed|Essential container in task exited|CrashLoopBackOff|Back-off restarting failed container/i;

/**
 * Kill lines new in the incident and still logged after any recovery, on the given services that
 * are both critical and user-facing (an internal worker's restart is not a front door going dark).
 */
export function frontDoorKilled(a: Analysis, services: string[]): { reasons: string[]; evidence: string[] } {
  const doors = new Set(
    services
      .filter((s) => a.snap.catalog.get(s)?.tier === 'critical' && !!a.snap.catalog.get(s)?.userFacing)
      .map(lower),
  );
  const hits = a.signatures.filter(
    (s) =>
      s.isNew &&
      doors.has(lower(s.sig.service)) &&
      KILLED.test(s.sig.signature) &&
      loggedSince(s, a.noise.recoveredAt),
  );
  return {
    reasons: uniq(hits.map((s) => `${s.sig.service}: process killed (${s.sig.count} logged)`)).slice(0, 3),
    evidence: hits.map((s) => s.sig.id),
  };
}

/** The platform restarting a process that died (ECS, Kubernetes, systemd). */
export const RESTARTED =
  /Essential container in task exited|CrashLoopBackOff|Back-off restarting failed container|Main process exited, code=(?:exited|dumped|killed)|exited with (?:exit )?(?:code|status) [1-9]/i;
/** Restarts enough to say the crash came back after them. */
export const MIN_RESTARTS = 3;

/**
 * The platform has restarted the service again and again already and it still fails: a crash loop
 * (its restart lines, or a restart counter that climbed by three or more). Another restart is
 * then what already happens, not a remedy.
 */
export function restartingAlready(a: Analysis, service: string): boolean {
  const s = lower(service);
  return (
    a.snap.logs.some((l) => lower(l.service) === s && l.count >= MIN_RESTARTS && RESTARTED.test(l.sample)) ||
    a.views.some(
      (v) =>
        lower(v.service) === s &&
        /restart/i.test(v.series.metricName) &&
        isAnomalous(v) &&
        v.onset!.direction === 'up' &&
        v.onset!.peak - v.onset!.baseline >= MIN_RESTARTS,
    )
  );
}
