/**
 * The middlewares a phase runs under in both engines: its input validated with its zod schema, AWS
 * throttling and 5xx renamed TransientError (what the state machine's Retry lists). The Lambda
 * (handler.ts) adds Powertools' context, tracing, correlation and metrics around them; the local
 * runner calls `localPhaseHandler`, which needs no Lambda context and loads neither Powertools nor
 * an AWS client (they cost the CLI a second at start).
 */
import middy from '@middy/core';
import type * as z from 'zod';
import { describeIssues, TransientError, ValidationError } from '../domain/errors.js';
import type { Ports } from '../domain/ports.js';
import { withIncident } from './incident-scope.js';

/** Parses the event with a zod schema; a bad payload fails with every problem named. */
export function zodInput<S extends z.ZodType>(schema: S): middy.MiddlewareObj<unknown> {
  return {
    before: (request) => {
      const parsed = schema.safeParse(request.event);
      if (!parsed.success) {
        const issues = describeIssues(parsed.error.issues);
        throw new ValidationError(`invalid input: ${issues.join('; ')}`, issues);
      }
      request.event = parsed.data;
    },
  };
}

const TRANSIENT_NAMES = new Set([
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'ServiceUnavailable',
  'InternalServerError',
  'TimeoutError',
]);

/**
 * Renames throttling and 5xx faults from AWS clients to TransientError, the one name the state
 * machine's Retry lists, so every phase retries the same faults the same way.
 */
export function transientErrors(): middy.MiddlewareObj<unknown> {
  return {
    onError: (request) => {
      const err = request.error as
        | (Error & { $retryable?: unknown; $metadata?: { httpStatusCode?: number } })
        | null;
      if (!err) return;
      const status = err.$metadata?.httpStatusCode ?? 0;
      if (TRANSIENT_NAMES.has(err.name) || err.$retryable || status >= 500) {
        request.error = new TransientError(`${err.name}: ${err.message}`, { cause: err });
      }
    },
  };
}

/** A phase as the local engine invokes it: the same validation and error naming as its Lambda. */
export function localPhaseHandler<S extends z.ZodType, R>(
  schema: S,
  phase: (input: z.infer<S>, ports: Ports) => Promise<R>,
  ports: () => Ports,
): (event: unknown) => Promise<R> {
  const handler = middy<z.infer<S>, R>()
    .use(zodInput(schema))
    .use(transientErrors())
    .handler((event) => withIncident(event, () => phase(event, ports())));
  return (event) => handler(event as z.infer<S>, {} as never);
}
