/**
 * The ingest Lambda: wires the table, Step Functions, the webhook secrets and Powertools around
 * lambdas/ingest/index.ts. Built once per cold start; the ingestor (and its storm-time routing
 * cache) lives as long as the container.
 *
 * Environment: TABLE_NAME, STATE_MACHINE_ARN, WEBHOOK_SECRETS_ARN (optional: without it every webhook
 * is refused 401 and only EventBridge/SNS/alarm-action events are ingested), INGEST_OPTIONS
 * (optional JSON, domain/ingest/options.ts), FIREBREAK_CATALOG (optional: maps alarms to services).
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import middy from '@middy/core';
import { parseCatalog, serviceInfo } from '../../adapters/aws/evidence/catalog.js';
import { SfnEngine } from '../../adapters/aws/sfn-engine.js';
import { snsConfirmer } from '../../adapters/aws/sns-subscriptions.js';
import { DynamoIncidentStore } from '../../adapters/aws/store/dynamo-store.js';
import { systemClock } from '../../domain/clock.js';
import { Ingestor } from '../../domain/ingest/ingest.js';
import { parseIngestOptions } from '../../domain/ingest/options.js';
import { parseRedactionPolicy } from '../../domain/redaction/policy.js';
import { Redaction } from '../../domain/redaction/redactor.js';
import { redactingStore } from '../../domain/redaction/store.js';
import { ENV } from '../../runtime/env.js';
import { logger, metrics, tracer } from '../../runtime/middleware.js';
import { powertoolsMetrics } from '../../runtime/powertools-metrics.js';
import { secretsManagerSecrets } from '../../runtime/webhook-secrets.js';
import { createIngestHandler, type IngestHandlerDeps } from './index.js';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

function awsDeps(): IngestHandlerDeps {
  const doc = DynamoDBDocumentClient.from(tracer.captureAWSv3Client(new DynamoDBClient({})), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: true },
  });
  // Alert text is masked as it is stored (domain/redaction/store.ts).
  const store = redactingStore(
    new DynamoIncidentStore(doc, required(ENV.tableName)),
    new Redaction(parseRedactionPolicy(process.env[ENV.redaction])),
  );
  const options = parseIngestOptions(
    process.env[ENV.ingestOptions] ? JSON.parse(process.env[ENV.ingestOptions] as string) : {},
  );
  const engine = new SfnEngine(tracer.captureAWSv3Client(new SFNClient({})), required(ENV.stateMachineArn));
  const catalog = parseCatalog(process.env[ENV.catalog]).services.map(serviceInfo);
  const secretsArn = process.env[ENV.webhookSecretsArn];
  const secretsClient = tracer.captureAWSv3Client(new SecretsManagerClient({}));
  return {
    ingestor: new Ingestor({ store, clock: systemClock, engine, options, catalog }),
    store,
    clock: systemClock,
    options,
    secrets: secretsArn ? secretsManagerSecrets(secretsClient, secretsArn) : async () => ({}),
    metrics: powertoolsMetrics(metrics),
    confirmSubscription: snsConfirmer(tracer.captureAWSv3Client(new SNSClient({}))),
    log: (level, message, data) => logger[level](message, data ?? {}),
  };
}

/** `wire` is replaced in tests. */
export function makeHandler(wire: () => IngestHandlerDeps = awsDeps) {
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
