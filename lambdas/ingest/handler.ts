/**
 * The ingest Lambda: Powertools around lambdas/ingest/index.ts, with the AWS wiring from
 * runtime/ingest-wiring.ts. Built once per cold start; the ingestor (and its storm-time routing
 * cache) lives as long as the container.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import { awsIngestDeps } from '../../runtime/ingest-wiring.js';
import { logger, metrics, tracer } from '../../runtime/middleware.js';
import { createIngestHandler, type IngestHandlerDeps } from './index.js';

/** `wire` is replaced in tests. */
export function makeHandler(wire: () => IngestHandlerDeps = () => awsIngestDeps()) {
  let handle: ((event: unknown) => Promise<unknown>) | undefined;
  return middy<unknown, unknown>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(logMetrics(metrics))
    .handler((event) => {
      handle ??= createIngestHandler(wire());
      return handle(event);
    });
}

export const handler = makeHandler();
