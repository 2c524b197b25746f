/**
 * Which incident this invocation works on, for the ports built once per cold start: redaction
 * salts its placeholders per incident, and a warm container serves many incidents.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

const scope = new AsyncLocalStorage<string>();

export function withIncident<R>(input: unknown, run: () => R): R {
  const id = (input as { incidentId?: unknown } | undefined)?.incidentId;
  return typeof id === 'string' ? scope.run(id, run) : run();
}

/** The incident of the running invocation; '' before one exists (Intake opens it). */
export const currentIncident = (): string => scope.getStore() ?? '';
