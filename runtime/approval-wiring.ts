/**
 * What the approval endpoint's Lambda runs with in AWS (lambdas/approval-api/handler.ts): the table,
 * the link key from Secrets Manager and Step Functions to answer the waiting task.
 *
 * Environment: TABLE_NAME, APPROVAL_SECRET_ARN.
 */
import { SFNClient } from '@aws-sdk/client-sfn';
import { SfnTaskAnswerer } from '../adapters/aws/sfn-answerer.js';
import { DynamoIncidentStore } from '../adapters/aws/store/dynamo-store.js';
import { systemClock } from '../domain/clock.js';
import type { ApprovalApiDeps } from '../lambdas/approval-api/index.js';
import { type AwsClients, awsClients } from './aws-clients.js';
import { ENV, required } from './env.js';
import { secretKeySource } from './secrets.js';

export function awsApprovalDeps(
  clients: AwsClients = awsClients,
  env: Record<string, string | undefined> = process.env,
): ApprovalApiDeps {
  return {
    store: new DynamoIncidentStore(clients.dynamo(), required(ENV.tableName, env)),
    clock: systemClock,
    keys: secretKeySource(clients.secrets(), required(ENV.approvalSecretArn, env)),
    answerer: new SfnTaskAnswerer(clients.client(SFNClient)),
  };
}
