/**
 * The approval endpoint's Lambda (HTTP API or Function URL, payload format 2.0). Wires the table,
 * the link key from Secrets Manager and Step Functions; the logic is in index.ts.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { SfnTaskAnswerer } from '../../adapters/aws/sfn-answerer.js';
import { DynamoIncidentStore } from '../../adapters/aws/store/dynamo-store.js';
import { SecretsManagerKeySource } from '../../domain/approval/links.js';
import { systemClock } from '../../domain/clock.js';
import { ENV } from '../../runtime/env.js';
import { type ApprovalApiDeps, handleApprovalRequest } from './index.js';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

let deps: ApprovalApiDeps | undefined;

function awsDeps(): ApprovalApiDeps {
  if (deps) return deps;
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: true },
  });
  deps = {
    store: new DynamoIncidentStore(doc, required(ENV.tableName)),
    clock: systemClock,
    keys: new SecretsManagerKeySource(new SecretsManagerClient({}), required(ENV.approvalSecretArn)),
    answerer: new SfnTaskAnswerer(new SFNClient({})),
  };
  return deps;
}

/** Maps the HTTP event to the endpoint's request; `wire` is replaced in tests. */
export function makeHandler(wire: () => ApprovalApiDeps = awsDeps) {
  return async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    const raw = event.body ?? '';
    const body = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
    const query = Object.fromEntries(
      Object.entries(event.queryStringParameters ?? {}).filter(
        (e): e is [string, string] => typeof e[1] === 'string',
      ),
    );
    return handleApprovalRequest(
      { method: event.requestContext?.http?.method ?? 'GET', path: event.rawPath ?? '', query, body },
      wire(),
    );
  };
}

export const handler = makeHandler();
