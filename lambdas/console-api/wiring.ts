/**
 * The console function's AWS clients, built once per cold start as runtime/aws-ports.ts builds a
 * phase's: kept to this one file so moving to a shared client factory touches nothing else.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoMemory } from '../../adapters/aws/memory.js';
import { SfnTaskAnswerer } from '../../adapters/aws/sfn-answerer.js';
import { DynamoIncidentStore } from '../../adapters/aws/store/dynamo-store.js';
import { SecretsManagerKeySource } from '../../domain/approval/links.js';
import { systemClock } from '../../domain/clock.js';
import { parseConfig } from '../../domain/config.js';
import { ENV } from '../../runtime/env.js';
import type { ConsoleApiDeps } from './index.js';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

let deps: ConsoleApiDeps | undefined;

export function awsConsoleDeps(): ConsoleApiDeps {
  if (deps) return deps;
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: true },
  });
  const table = required(ENV.tableName);
  deps = {
    store: new DynamoIncidentStore(doc, table),
    memory: new DynamoMemory(doc, table),
    clock: systemClock,
    config: parseConfig(process.env[ENV.config] ? JSON.parse(process.env[ENV.config] as string) : {}),
    keys: new SecretsManagerKeySource(new SecretsManagerClient({}), required(ENV.approvalSecretArn)),
    answerer: new SfnTaskAnswerer(new SFNClient({})),
  };
  return deps;
}
