/**
 * Ports for a phase running in Lambda: built once per cold start from the environment the CDK
 * stack sets (TABLE_NAME, TOPIC_ARN, FIREBREAK_CONFIG).
 */
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { SNSClient } from '@aws-sdk/client-sns';
import { parseCatalog } from '../adapters/aws/evidence/catalog.js';
import { AwsEvidence } from '../adapters/aws/evidence/index.js';
import { tolerantEvidence } from '../adapters/aws/evidence/tolerant.js';
import { DynamoMemory } from '../adapters/aws/memory.js';
import { SnsNotifier } from '../adapters/aws/sns-notifier.js';
import { DynamoIncidentStore } from '../adapters/aws/store/dynamo-store.js';
import { DynamoRateLimiter } from '../adapters/aws/store/rate-limiter.js';
import { systemClock } from '../domain/clock.js';
import { parseConfig } from '../domain/config.js';
import { EmfMetricsSink } from '../domain/metrics/emf.js';
import type { Ports } from '../domain/ports.js';
import { RevealingActions } from '../domain/redaction/actions.js';
import { RedactingEvidence } from '../domain/redaction/evidence.js';
import { Redaction } from '../domain/redaction/redactor.js';
import { redactingStore } from '../domain/redaction/store.js';
import { awsActionsFor } from './actions.js';
import { awsAnalyst } from './analyst.js';
import { awsClients } from './aws-clients.js';
import { ENV, required } from './env.js';
import { currentIncident } from './incident-scope.js';
import { type SecretReader, secretKeySource } from './secrets.js';

let cached: Ports | undefined;

/** Signed links in approval requests when the stack gives the endpoint and its key (lib/approval.ts). */
function approvalLinks(baseUrl: string | undefined, secretArn: string | undefined, secrets: SecretReader) {
  return baseUrl && secretArn ? { baseUrl, keys: secretKeySource(secrets, secretArn) } : undefined;
}

export function awsPorts(): Ports {
  if (cached) return cached;
  const env = process.env;
  const configJson = env[ENV.config];
  const config = parseConfig(configJson ? JSON.parse(configJson) : {});
  const doc = awsClients.dynamo();
  const tableName = required(ENV.tableName);
  const secrets = awsClients.secrets();
  // Telemetry from CloudWatch, Logs Insights and CloudTrail, scoped by the service catalog
  // (FIREBREAK_CATALOG); a source that cannot be read answers empty and is logged, never fatal.
  const raw = tolerantEvidence(
    new AwsEvidence({
      cloudwatch: awsClients.client(CloudWatchClient),
      cloudwatchIn: (region) =>
        awsClients.client(CloudWatchClient, region === env.AWS_REGION ? undefined : region),
      logs: awsClients.client(CloudWatchLogsClient),
      cloudtrail: awsClients.client(CloudTrailClient),
      // LookupEvents: 2 requests/s per account and region, shared by every evidence Lambda.
      trailLimiter: new DynamoRateLimiter(
        doc,
        tableName,
        { api: 'cloudtrail-lookup-events', perSecond: 2, maxWaitMs: 20_000 },
        systemClock,
      ),
      catalog: parseCatalog(env[ENV.catalog]),
      clock: systemClock,
    }),
    (question, err) =>
      console.warn(
        JSON.stringify({ level: 'WARN', message: `evidence: ${question} unavailable`, error: String(err) }),
      ),
  );
  // Secrets and personal data are masked as evidence and alerts come in (domain/redaction/).
  const redaction = new Redaction(config.redaction);
  const evidence = new RedactingEvidence(raw, () => redaction.forIncident(currentIncident()));
  cached = {
    store: redactingStore(new DynamoIncidentStore(doc, tableName), redaction),
    notifier: new SnsNotifier(awsClients.client(SNSClient), required(ENV.topicArn)),
    evidence,
    // Claude when ANTHROPIC_SECRET_ARN holds a key (or MODEL_PROVIDER=bedrock), the offline analyst otherwise.
    analyst: awsAnalyst(evidence, { secrets }),
    // Allow-listed AWS actions for the kinds configuration enables (propose-only when none are).
    actions: new RevealingActions(awsActionsFor(config, awsClients), raw, redaction, systemClock),
    artifacts: { writePostmortem: async () => undefined },
    clock: systemClock,
    config,
    metrics: new EmfMetricsSink(),
    memory: new DynamoMemory(doc, tableName),
    approvalLinks: approvalLinks(env[ENV.approvalBaseUrl], env[ENV.approvalSecretArn], secrets),
  };
  return cached;
}
