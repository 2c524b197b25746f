import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type * as z from 'zod';
import type { Ports } from '../domain/ports.js';
import { awsPorts } from './aws-ports.js';
import { withIncident } from './incident-scope.js';
import { correlate, logger, metrics, phaseOutcome, tracer, transientErrors, zodInput } from './middleware.js';

/**
 * The whole of a phase's Lambda: Powertools logging, tracing and metrics around it; validate the
 * payload, wire the AWS ports, call the phase.
 *
 * Order matters: middy runs `before` in order and `after`/`onError` in reverse, so the outcome
 * metric is added before logMetrics flushes, and a fault is renamed TransientError before anything
 * records it.
 *
 * @example
 * export const handler = phaseHandler(TriageInput, triage);
 */
export function phaseHandler<S extends z.ZodType, R>(
  schema: S,
  phase: (input: z.infer<S>, ports: Ports) => Promise<R>,
  ports: () => Ports = awsPorts,
) {
  return (
    middy<z.infer<S>, R>()
      .use(injectLambdaContext(logger, { resetKeys: true }))
      // Responses carry incident data and can be large; traces keep timings, not payloads.
      .use(captureLambdaHandler(tracer, { captureResponse: false }))
      .use(logMetrics(metrics, { captureColdStartMetric: true }))
      .use(phaseOutcome())
      .use(zodInput(schema))
      .use(correlate())
      .use(transientErrors())
      .handler((event) => withIncident(event, () => phase(event, ports())))
  );
}
