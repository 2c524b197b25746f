import type { Clock } from './clock.js';
import type { IncidentStore } from './ports.js';

/** Appends one event to an incident's timeline at the clock's current time. */
export async function record(
  deps: { store: IncidentStore; clock: Clock },
  incidentId: string,
  type: string,
  text: string,
  data?: unknown,
  actor = 'firebreak',
): Promise<void> {
  await deps.store.appendEvent(incidentId, { at: deps.clock.now().toISOString(), type, actor, text, data });
}
