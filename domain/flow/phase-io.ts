/** Shapes that several phases share in the execution state. */
import * as z from 'zod';

export const IncidentId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'not an incident id');

/** The monitor loop's counters, carried in the execution state between checks. */
export const Monitor = z.object({
  checks: z.number().int().nonnegative(),
  healthyChecks: z.number().int().nonnegative(),
  waitSeconds: z.number().int().positive(),
  lastUpdateAt: z.string().nullable(),
  next: z.enum(['wait', 'update', 'escalate', 'resolve', 'handoff', 'retriage']).optional(),
  alarm: z.string().optional(),
  /** Firing alerts linked when severity was last decided: more means alerts joined. */
  alertsSeen: z.number().int().nonnegative().optional(),
  /** Alarms firing on the incident's services when severity was last decided: more means impact grew. */
  firingSeen: z.number().int().nonnegative().optional(),
  /** Why the monitor asks for a re-triage (with `next: retriage`). */
  retriage: z.string().max(500).optional(),
});
export type Monitor = z.infer<typeof Monitor>;
