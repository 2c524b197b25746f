import * as z from 'zod';
import { IncidentId } from '../../domain/flow/phase-io.js';
import { notifyAudiences } from '../../domain/notify/notify.js';
import type { Ports } from '../../domain/ports.js';
import { record } from '../../domain/timeline.js';

export const RecordFailureInput = z.object({
  incidentId: IncidentId,
  error: z.object({ Error: z.string().optional(), Cause: z.string().optional() }).default({}),
});

/** A Lambda's error payload arrives as JSON text in Cause; show its message, not the envelope. */
function readableCause(cause: string): string {
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    if (typeof parsed.errorMessage === 'string') return parsed.errorMessage;
  } catch {
    // not JSON: keep it as it is
  }
  return cause;
}

/**
 * Every Catch ends here: the record says the automation stopped and why, and on-call is told to
 * respond by hand. The incident itself stays open.
 */
export async function recordFailure(input: z.infer<typeof RecordFailureInput>, ports: Ports) {
  const error = input.error.Error ?? 'Error';
  const cause = readableCause(input.error.Cause ?? '')
    .replace(/\s+/g, ' ')
    .slice(0, 1000);
  const incident = await ports.store.get(input.incidentId);
  if (!incident) return { recorded: false };
  const now = ports.clock.now().toISOString();
  const updated = await ports.store.update(incident.id, {
    failure: { state: 'execution', error, cause },
    updatedAt: now,
  });
  await record(
    ports,
    incident.id,
    'automation-failed',
    `automation stopped: ${error}${cause ? ` — ${cause.slice(0, 300)}` : ''}`,
  );
  await notifyAudiences(
    ports,
    'automation-failure',
    updated,
    ['oncall'],
    { reason: `${error}: ${cause.slice(0, 200)}` },
    { once: 'automation-failure' },
  );
  return { recorded: true };
}
