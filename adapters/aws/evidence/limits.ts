/**
 * Bounds on every AWS evidence read: how far back, how many series, lines, pages and seconds. An
 * investigation reads what it needs to explain an incident, never an account's whole history.
 */
import * as z from 'zod';
import type { TimeWindow } from '../../../domain/ports.js';

export const EvidenceLimits = z.object({
  /** Longest window any question may cover. */
  maxWindowMinutes: z
    .number()
    .int()
    .min(5)
    .default(24 * 60),
  /** Metric series per GetMetricData question, and points per series (the period is coarsened to fit). */
  maxSeries: z.number().int().min(1).max(500).default(100),
  maxPointsPerSeries: z.number().int().min(10).max(1440).default(360),
  /** GetMetricData pages followed per batch of queries. */
  maxMetricPages: z.number().int().min(1).max(20).default(5),
  /** Log groups per Logs Insights query, lines it returns, and how long to poll for them. */
  maxLogGroups: z.number().int().min(1).max(50).default(20),
  maxLogLines: z.number().int().min(10).max(10_000).default(2000),
  logPollIntervalMs: z.number().int().min(0).default(1000),
  logMaxWaitMs: z.number().int().min(0).default(20_000),
  /** CloudTrail: LookupEvents is limited to 2 calls a second per account, so few calls, few pages. */
  maxTrailLookups: z.number().int().min(1).max(20).default(6),
  maxTrailPages: z.number().int().min(1).max(20).default(3),
  /** Alarm history: alarms asked about and records per alarm. */
  maxAlarms: z.number().int().min(1).max(100).default(20),
  maxAlarmRecords: z.number().int().min(1).max(100).default(100),
});
export type EvidenceLimits = z.infer<typeof EvidenceLimits>;

/** The window, cut to its most recent `maxMinutes` (and with from ≤ to). */
export function boundWindow(w: TimeWindow, maxMinutes: number): { from: Date; to: Date } {
  const to = new Date(w.to);
  const from = new Date(Math.max(new Date(w.from).getTime(), to.getTime() - maxMinutes * 60_000));
  return from > to ? { from: to, to } : { from, to };
}
