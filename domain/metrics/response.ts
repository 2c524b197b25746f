/**
 * Response metrics of one incident, from its own timestamps: the figures the postmortem quotes,
 * `firebreak report` averages and CloudWatch receives. One definition, so they cannot disagree.
 *
 *   detect       impact start (metric onset) → detection (the alert)
 *   declare      detection → declaration
 *   acknowledge  detection → a human's first decision (approval or rejection)
 *   mitigate     detection → a mitigation applied
 *   resolve      detection → resolution (N consecutive healthy checks)
 *   impact       impact start (or detection) → resolution: an upper bound on user impact
 */
import type { Incident } from '../model.js';

export const MILESTONES = ['detect', 'declare', 'acknowledge', 'mitigate', 'resolve'] as const;
export type Milestone = (typeof MILESTONES)[number];

export interface ResponseMetrics {
  /** Seconds per milestone; undefined when the milestone never happened (or is unknown). */
  seconds: Record<Milestone, number | undefined>;
  /** Seconds users were affected, at most; undefined while unresolved. */
  impactSeconds: number | undefined;
}

const secondsBetween = (from: string | undefined, to: string | undefined): number | undefined => {
  if (!from || !to) return undefined;
  const s = Math.round((new Date(to).getTime() - new Date(from).getTime()) / 1000);
  return Number.isFinite(s) ? Math.max(0, s) : undefined;
};

export function responseMetrics(incident: Incident): ResponseMetrics {
  const { detectedAt } = incident;
  return {
    seconds: {
      detect: secondsBetween(incident.impactStartedAt, detectedAt),
      declare: secondsBetween(detectedAt, incident.declaredAt),
      acknowledge: secondsBetween(detectedAt, incident.acknowledgedAt),
      mitigate: secondsBetween(detectedAt, incident.mitigatedAt),
      resolve: secondsBetween(detectedAt, incident.resolvedAt),
    },
    impactSeconds: secondsBetween(incident.impactStartedAt ?? detectedAt, incident.resolvedAt),
  };
}

/** Minutes with one decimal, the unit people read: 372 s → 6.2. */
export const toMinutes = (seconds: number | undefined): number | undefined =>
  seconds === undefined ? undefined : Math.round((seconds / 60) * 10) / 10;

/** `6.2 min`, `1 h 5 min`, or `n/a`. */
export function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined) return 'n/a';
  const minutes = toMinutes(seconds) as number;
  if (minutes < 60) return `${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = Math.round(minutes - h * 60);
  return m ? `${h} h ${m} min` : `${h} h`;
}
