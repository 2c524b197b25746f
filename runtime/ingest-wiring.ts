/**
 * What the ingest Lambda runs with in AWS (lambdas/ingest/handler.ts): the table, Step Functions,
 * the webhook secrets, SNS (subscription handshakes and the all-clear) and Powertools.
 *
 * Environment: TABLE_NAME, STATE_MACHINE_ARN, TOPIC_ARN (where the all-clear goes when a source
 * resolves an incident after hand-off), WEBHOOK_SECRETS_ARN (optional: without it every webhook
 * is refused 401 and only EventBridge/SNS/alarm-action events are ingested), INGEST_OPTIONS
 * (optional JSON, domain/ingest/options.ts), FIREBREAK_CATALOG (optional: maps alarms to services).
 */
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { parseCatalog, serviceInfo } from '../adapters/aws/evidence/catalog.js';
import { SfnEngine } from '../adapters/aws/sfn-engine.js';
import { SnsNotifier } from '../adapters/aws/sns-notifier.js';
import { snsConfirmer } from '../adapters/aws/sns-subscriptions.js';
import { DynamoIncidentStore } from '../adapters/aws/store/dynamo-store.js';
import { systemClock } from '../domain/clock.js';
import { Ingestor } from '../domain/ingest/ingest.js';
import { parseIngestOptions } from '../domain/ingest/options.js';
import { parseRedactionPolicy } from '../domain/redaction/policy.js';
import { Redaction } from '../domain/redaction/redactor.js';
import { redactingStore } from '../domain/redaction/store.js';
import type { IngestHandlerDeps } from '../lambdas/ingest/index.js';
import { type AwsClients, awsClients } from './aws-clients.js';
import { ENV, required } from './env.js';
import { logger, metrics } from './middleware.js';
import { powertoolsMetrics } from './powertools-metrics.js';
import { webhookSecretsFrom } from './webhook-secrets.js';

export function awsIngestDeps(
  clients: AwsClients = awsClients,
  env: Record<string, string | undefined> = process.env,
): IngestHandlerDeps {
  // Alert text is masked as it is stored (domain/redaction/store.ts).
  const store = redactingStore(
    new DynamoIncidentStore(clients.dynamo(), required(ENV.tableName, env)),
    new Redaction(parseRedactionPolicy(env[ENV.redaction])),
  );
  const optionsJson = env[ENV.ingestOptions];
  const options = parseIngestOptions(optionsJson ? JSON.parse(optionsJson) : {});
  const engine = new SfnEngine(clients.client(SFNClient), required(ENV.stateMachineArn, env));
  const catalog = parseCatalog(env[ENV.catalog]).services.map(serviceInfo);
  const sns = clients.client(SNSClient);
  const secretsArn = env[ENV.webhookSecretsArn];
  return {
    ingestor: new Ingestor({
      store,
      clock: systemClock,
      engine,
      options,
      catalog,
      // A source resolving an incident after hand-off: the all-clear to everyone who was paged.
      notifier: new SnsNotifier(sns, required(ENV.topicArn, env)),
    }),
    store,
    clock: systemClock,
    options,
    secrets: secretsArn ? webhookSecretsFrom(clients.secrets(), secretsArn) : async () => ({}),
    metrics: powertoolsMetrics(metrics),
    confirmSubscription: snsConfirmer(sns),
    log: (level, message, data) => logger[level](message, data ?? {}),
  };
}
