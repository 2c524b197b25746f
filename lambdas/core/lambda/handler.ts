import middy from '@middy/core';
import type { z } from 'zod';
import type { Ports } from '../ports.js';
import { awsPorts } from './aws-ports.js';
import { transientErrors, zodInput } from './middleware.js';

/**
 * The whole of a phase's Lambda: validate the payload, wire the AWS ports, call the phase.
 *
 * @example
 * export const handler = phaseHandler(TriageInput, triage);
 */
export function phaseHandler<S extends z.ZodType, R>(
  schema: S,
  phase: (input: z.infer<S>, ports: Ports) => Promise<R>,
  ports: () => Ports = awsPorts,
) {
  return middy<z.infer<S>, R>()
    .use(zodInput(schema))
    .use(transientErrors())
    .handler((event) => phase(event, ports()));
}
