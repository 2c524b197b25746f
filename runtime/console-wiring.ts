/**
 * What the console's Lambda runs with in AWS (lambdas/console-api/handler.ts): the table and its
 * memory to read, the link key from Secrets Manager and Step Functions to answer an approval (and
 * to see whether an incident's execution still runs before a close).
 *
 * Environment: TABLE_NAME, APPROVAL_SECRET_ARN, STATE_MACHINE_ARN, FIREBREAK_CONFIG (optional).
 */
import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { DynamoMemory } from '../adapters/aws/memory.js';
import { SfnTaskAnswerer } from '../adapters/aws/sfn-answerer.js';
import { DynamoIncidentStore } from '../adapters/aws/store/dynamo-store.js';
import { systemClock } from '../domain/clock.js';
import { parseConfig } from '../domain/config.js';
import { executionArnFor } from '../domain/ingest/engine.js';
import type { Incident } from '../domain/model.js';
import type { ConsoleApiDeps } from '../lambdas/console-api/index.js';
import { type AwsClients, awsClients } from './aws-clients.js';
import { ENV, required } from './env.js';
import { secretKeySource } from './secrets.js';

/**
 * The incident's execution, named, while it runs (or waits to be redriven); undefined once it has
 * stopped or never existed. The incident records its execution; one that recorded none is looked up
 * by the name ingest gives it.
 */
export function runningExecution(sfn: SFNClient, stateMachineArn: string) {
  return async (incident: Incident): Promise<string | undefined> => {
    const executionArn = incident.executionArn ?? executionArnFor(stateMachineArn, incident.id);
    try {
      const out = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      return out.status === 'RUNNING' || out.status === 'PENDING_REDRIVE'
        ? `its Step Functions execution ${executionArn.split(':').pop()} (${out.status})`
        : undefined;
    } catch (err) {
      if ((err as Error)?.name === 'ExecutionDoesNotExist') return undefined;
      throw err;
    }
  };
}

export function awsConsoleDeps(
  clients: AwsClients = awsClients,
  env: Record<string, string | undefined> = process.env,
): ConsoleApiDeps {
  // Cheap to build per invocation: the clients underneath are made once per environment.
  const doc = clients.dynamo();
  const table = required(ENV.tableName, env);
  const sfn = clients.client(SFNClient);
  return {
    store: new DynamoIncidentStore(doc, table),
    memory: new DynamoMemory(doc, table),
    clock: systemClock,
    config: parseConfig(env[ENV.config] ? JSON.parse(env[ENV.config] as string) : {}),
    keys: secretKeySource(clients.secrets(), required(ENV.approvalSecretArn, env)),
    answerer: new SfnTaskAnswerer(sfn),
    drivenBy: runningExecution(sfn, required(ENV.stateMachineArn, env)),
  };
}
