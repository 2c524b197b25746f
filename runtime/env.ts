/**
 * Environment variables the CDK stack sets and the Lambda wiring reads: one list, so the two
 * cannot disagree about a name.
 */
import { FirebreakError } from '../domain/errors.js';

export const ENV = {
  /** The incident table. */
  tableName: 'TABLE_NAME',
  /** The status-update SNS topic. */
  topicArn: 'TOPIC_ARN',
  /** FirebreakConfig as JSON (domain/config.ts). */
  config: 'FIREBREAK_CONFIG',
  /** The service catalog as JSON (adapters/aws/evidence/catalog.ts): services, metrics, log groups. */
  catalog: 'FIREBREAK_CATALOG',
  /** The incident-response state machine (ingest starts executions, approvals answer tasks). */
  stateMachineArn: 'STATE_MACHINE_ARN',
  /**
   * Secrets Manager secret holding webhook secrets as JSON {pagerduty, alertmanager, grafana, sns},
   * each a string or a list of strings during a rotation (runtime/webhook-secrets.ts).
   */
  webhookSecretsArn: 'WEBHOOK_SECRETS_ARN',
  /** Ingestion options as JSON: grouping window, claim lifetimes, allowed SNS topics (domain/ingest/options.ts). */
  ingestOptions: 'INGEST_OPTIONS',
  /** The redaction policy as JSON (domain/redaction/policy.ts), for functions without FIREBREAK_CONFIG. */
  redaction: 'FIREBREAK_REDACTION',
  /** Secrets Manager secret holding the key that signs approval links. */
  approvalSecretArn: 'APPROVAL_SECRET_ARN',
  /** Public base URL of the approval endpoint (links in approval requests). */
  approvalBaseUrl: 'APPROVAL_BASE_URL',
  /** Secrets Manager secret holding the Anthropic API key (empty = offline analyst only). */
  anthropicSecretArn: 'ANTHROPIC_SECRET_ARN',
  /** `anthropic` (default) or `bedrock`. */
  modelProvider: 'MODEL_PROVIDER',
  /** Model id for triage and specialists (fast). */
  fastModel: 'FAST_MODEL',
  /** Model id for synthesis and postmortems (strong). */
  strongModel: 'STRONG_MODEL',
} as const;

/** A variable the stack sets is absent: the function was deployed without it, or run outside the stack. */
export class MissingEnvironmentVariable extends FirebreakError {
  override name = 'MissingEnvironmentVariable';
  constructor(readonly variable: string) {
    super(`environment variable ${variable} is not set (the stack sets it: runtime/env.ts, lib/)`);
  }
}

/** The value of a variable the wiring cannot do without. */
export function required(name: string, env: Record<string, string | undefined> = process.env): string {
  const value = env[name];
  if (!value) throw new MissingEnvironmentVariable(name);
  return value;
}
