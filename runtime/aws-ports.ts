/**
 * Ports for a phase running in Lambda: built once per cold start from the environment the CDK
 * stack sets (TABLE_NAME, TOPIC_ARN, FIREBREAK_CONFIG).
 */
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { parseCatalog } from '../adapters/aws/evidence/catalog.js';
import { AwsEvidence } from '../adapters/aws/evidence/index.js';
import { tolerantEvidence } from '../adapters/aws/evidence/tolerant.js';
import { DynamoMemory } from '../adapters/aws/memory.js';
import { SnsNotifier } from '../adapters/aws/sns-notifier.js';
import { DynamoIncidentStore } from '../adapters/aws/store/dynamo-store.js';
import { DynamoRateLimiter } from '../adapters/aws/store/rate-limiter.js';
import { SecretsManagerKeySource } from '../domain/approval/links.js';
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
import { currentIncident } from './incident-scope.js';
import { tracer } from './middleware.js';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

let cached: Ports | undefined;

export function awsPorts(): Ports {
  if (cached) return cached;
  const config = parseConfig(process.env.FIREBREAK_CONFIG ? JSON.parse(process.env.FIREBREAK_CONFIG) : {});
  const doc = DynamoDBDocumentClient.from(tracer.captureAWSv3Client(new DynamoDBClient({})), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: true },
  });
  const tableName = required('TABLE_NAME');
  const cloudwatch = new CloudWatchClient({});
  const regional = new Map<string, CloudWatchClient>();
  // Telemetry from CloudWatch, Logs Insights and CloudTrail, scoped by the service catalog
  // (FIREBREAK_CATALOG); a source that cannot be read answers empty and is logged, never fatal.
  const raw = tolerantEvidence(
    new AwsEvidence({
      cloudwatch,
      cloudwatchIn: (region) => {
        if (region === process.env.AWS_REGION) return cloudwatch;
        if (!regional.has(region)) regional.set(region, new CloudWatchClient({ region }));
        return regional.get(region)!;
      },
      logs: new CloudWatchLogsClient({}),
      cloudtrail: new CloudTrailClient({}),
      // LookupEvents: 2 requests/s per account and region, shared by every evidence Lambda.
      trailLimiter: new DynamoRateLimiter(
        doc,
        tableName,
        { api: 'cloudtrail-lookup-events', perSecond: 2, maxWaitMs: 20_000 },
        systemClock,
      ),
      catalog: parseCatalog(process.env.FIREBREAK_CATALOG),
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
    notifier: new SnsNotifier(tracer.captureAWSv3Client(new SNSClient({})), required('TOPIC_ARN')),
    evidence,
    // Claude when ANTHROPIC_SECRET_ARN holds a key (or MODEL_PROVIDER=bedrock), the offline analyst otherwise.
    analyst: awsAnalyst(evidence),
    // Allow-listed AWS actions for the kinds configuration enables (propose-only when none are).
    actions: new RevealingActions(
      awsActionsFor(config, (client) => tracer.captureAWSv3Client(client as never) as typeof client),
      raw,
      redaction,
      systemClock,
    ),
    artifacts: { writePostmortem: async () => undefined },
    clock: systemClock,
    config,
    metrics: new EmfMetricsSink(),
    memory: new DynamoMemory(doc, tableName),
    approvalLinks:
      process.env.APPROVAL_BASE_URL && process.env.APPROVAL_SECRET_ARN
        ? {
            baseUrl: process.env.APPROVAL_BASE_URL,
            keys: new SecretsManagerKeySource(
              tracer.captureAWSv3Client(new SecretsManagerClient({})),
              process.env.APPROVAL_SECRET_ARN,
            ),
          }
        : undefined,
  };
  return cached;
}
