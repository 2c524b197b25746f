/**
 * Ports for a phase running in Lambda: built once per cold start from the environment the CDK
 * stack sets (TABLE_NAME, TOPIC_ARN, FIREBREAK_CONFIG).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { awsActionsFor } from '../actions/wiring.js';
import { OfflineAnalyst } from '../analyst/offline/index.js';
import { SecretsManagerKeySource } from '../approval-links.js';
import { systemClock } from '../clock.js';
import { parseConfig } from '../config.js';
import { noEvidence } from '../evidence/unavailable.js';
import { EmfMetricsSink } from '../metrics/emf.js';
import { SnsNotifier } from '../notify/sns-notifier.js';
import type { Ports } from '../ports.js';
import { DynamoIncidentStore } from '../store/dynamo-store.js';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

let cached: Ports | undefined;

export function awsPorts(): Ports {
  if (cached) return cached;
  const config = parseConfig(process.env.FIREBREAK_CONFIG ? JSON.parse(process.env.FIREBREAK_CONFIG) : {});
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: true },
  });
  // Partial: AWS evidence adapters (CloudWatch, Logs Insights, CloudTrail) are not wired yet, so the
  // analyst sees no telemetry in AWS and reports "unknown".
  const evidence = noEvidence;
  cached = {
    store: new DynamoIncidentStore(doc, required('TABLE_NAME')),
    notifier: new SnsNotifier(new SNSClient({}), required('TOPIC_ARN')),
    evidence,
    analyst: new OfflineAnalyst(evidence),
    // Allow-listed AWS actions for the kinds configuration enables (propose-only when none are).
    actions: awsActionsFor(config),
    artifacts: { writePostmortem: async () => undefined },
    clock: systemClock,
    config,
    metrics: new EmfMetricsSink(),
    approvalLinks:
      process.env.APPROVAL_BASE_URL && process.env.APPROVAL_SECRET_ARN
        ? {
            baseUrl: process.env.APPROVAL_BASE_URL,
            keys: new SecretsManagerKeySource(new SecretsManagerClient({}), process.env.APPROVAL_SECRET_ARN),
          }
        : undefined,
  };
  return cached;
}
