/** Shapes that several phases share in the execution state. */
import * as z from 'zod';

export const IncidentId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'not an incident id');

/** The monitor loop's counters, carried in the execution state between checks. */
export const Monitor = z.object({
  checks: z.number().int().nonnegative(),
  healthyChecks: z.number().int().nonnegative(),
  waitSeconds: z.number().int().positive(),
  lastUpdateAt: z.string().nullable(),
  next: z.enum(['wait', 'update', 'escalate', 'resolve', 'handoff']).optional(),
  alarm: z.string().optional(),
});
export type Monitor = z.infer<typeof Monitor>;
