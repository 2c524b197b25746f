/** middy middlewares, one purpose each. */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type middy from '@middy/core';
import type * as z from 'zod';
import { describeIssues, TransientError, ValidationError } from '../domain/errors.js';
import { serviceName, tracer } from './tracer.js';

export { tracer };

/**
 * Outside Lambda (tests, the local runner) a handler's logs and metrics are noise on the terminal:
 * Powertools stays silent there unless POWERTOOLS_LOG_LEVEL / POWERTOOLS_METRICS_DISABLED say
 * otherwise. The tracer (runtime/tracer.ts) is a no-op outside Lambda by itself.
 */
const inLambda = Boolean(process.env.AWS_LAMBDA_FUNCTION_NAME);
if (!inLambda) process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
// Constructor options win over POWERTOOLS_* in Powertools, so the environment is read here first.
const namespace = process.env.POWERTOOLS_METRICS_NAMESPACE || 'Firebreak';

/**
 * Powertools, one of each per execution environment. The stack sets POWERTOOLS_SERVICE_NAME to the
 * function's phase (`firebreak-triage`), which becomes the logs' `service` and the metrics'
 * `service` dimension; the namespace and log level come from the environment as well.
 */
export const logger = new Logger({
  serviceName,
  ...(inLambda || process.env.POWERTOOLS_LOG_LEVEL ? {} : { logLevel: 'SILENT' as const }),
});
export const metrics = new Metrics({ namespace, serviceName });

/**
 * Tags logs and the trace with the incident the event names, so one incident's phases can be
 * followed across functions. Runs after validation: only a parsed id is trusted as a key.
 */
export function correlate(): middy.MiddlewareObj<unknown> {
  return {
    before: (request) => {
      const id = (request.event as { incidentId?: unknown } | null)?.incidentId;
      if (typeof id !== 'string') return;
      logger.appendKeys({ incidentId: id });
      tracer.putAnnotation('incidentId', id);
    },
  };
}

/**
 * Counts each phase's outcome (the `service` dimension names the phase) and logs a failure once,
 * with its name: what the state machine's Retry and Catch will match.
 */
export function phaseOutcome(): middy.MiddlewareObj<unknown> {
  return {
    after: () => {
      metrics.addMetric('PhaseSucceeded', MetricUnit.Count, 1);
    },
    onError: (request) => {
      const err = request.error;
      metrics.addMetric(
        err instanceof ValidationError ? 'PhaseRejected' : 'PhaseFailed',
        MetricUnit.Count,
        1,
      );
      if (err instanceof ValidationError) logger.warn('phase rejected its input', { error: err.message });
      else logger.error('phase failed', err ?? 'unknown error');
    },
  };
}

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
