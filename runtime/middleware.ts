/** middy middlewares, one purpose each. */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type middy from '@middy/core';
import { ValidationError } from '../domain/errors.js';
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

// Validation and transient-error naming run in the local engine too, which must not load
// Powertools: they live in phase-stack.ts.
export { transientErrors, zodInput } from './phase-stack.js';
