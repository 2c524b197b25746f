/**
 * A person closes an open incident (`firebreak incidents close`, the console's Close form): its run
 * stopped, or it was handled outside Firebreak. One function for every channel, so each refuses the
 * same things the same way and the timeline always says who closed it and why.
 *
 * Claims on the incident's fingerprints and service window are not released here: the router lets
 * go of a claim whose incident is no longer open when the next alert arrives (domain/ingest/router.ts),
 * and leaving them keeps every channel to the writes this function makes (the console in AWS may
 * not delete items).
 */
import * as z from 'zod';
import type { Clock } from '../clock.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import { IncidentId } from '../flow/phase-io.js';
import { type Incident, OPEN_STATUSES } from '../model.js';
import type { IncidentRecords } from '../ports.js';
import { record } from '../timeline.js';

const text = (what: string, max: number) =>
  z
    .string()
    .transform((s) => s.trim())
    .pipe(z.string().min(1, `${what} must say why`).max(max, `${what} is longer than ${max} characters`));

/** Closing statuses: resolved, the problem is fixed; cancelled, there was none. */
export const CLOSE_STATUSES = ['RESOLVED', 'CANCELLED'] as const;

export const CloseInput = z.object({
  incidentId: IncidentId,
  status: z.enum(CLOSE_STATUSES).default('RESOLVED'),
  reason: text('the reason', 2000),
  /** Who closes it, with the channel: `cli:alice`, `console:auth0|123`. */
  by: z
    .string()
    .trim()
    .min(1, 'who closes it is missing')
    .max(100, 'who closes it is longer than 100 characters'),
});
export type CloseInput = z.input<typeof CloseInput>;

export interface CloseDeps {
  store: IncidentRecords;
  clock: Clock;
  /**
   * What still drives the incident, if anything (a live local run, a running Step Functions
   * execution), named for the refusal: `a run (pid 42)`. Undefined when nothing does.
   */
  drivenBy?: (incident: Incident) => Promise<string | undefined>;
}

/**
 * Closes an open incident. Refuses, with nothing written: bad input (ValidationError), an unknown
 * incident (NotFoundError), one already closed, one something still drives, or one that changed
 * status while this ran (ConflictError).
 */
export async function closeIncident(deps: CloseDeps, raw: unknown): Promise<Incident> {
  const parsed = CloseInput.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => i.message);
    throw new ValidationError(`close refused: ${issues.join('; ')}`, issues);
  }
  const { incidentId: id, status, reason, by } = parsed.data;
  const incident = await deps.store.get(id);
  if (!incident) throw new NotFoundError(`no incident ${id}`);
  if (!OPEN_STATUSES.includes(incident.status))
    throw new ConflictError(`${id} is already ${incident.status}`);
  const driver = await deps.drivenBy?.(incident);
  if (driver) throw new ConflictError(`${driver} is still responding to ${id}: stop it first`);
  const now = deps.clock.now().toISOString();
  let closed: Incident;
  try {
    closed = await deps.store.update(
      id,
      { status, updatedAt: now, ...(status === 'RESOLVED' ? { resolvedAt: now } : {}) },
      { expectStatus: [...OPEN_STATUSES] },
    );
  } catch (err) {
    if (err instanceof ConflictError) throw new ConflictError(`${id} was closed meanwhile`);
    throw err;
  }
  await record(
    deps,
    id,
    'closed',
    `closed by hand as ${status}: ${reason.slice(0, 500)}`,
    { status, reason },
    by,
  );
  return closed;
}
