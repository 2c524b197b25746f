/** middy middlewares, one purpose each. */
import type middy from '@middy/core';
import type { z } from 'zod';
import { describeIssues, TransientError, ValidationError } from '../errors.js';

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
