/**
 * The one AWS client factory and the environment it requires: one wrapped (traced) client per
 * service and region, one document client with the adapters' marshalling, and a missing variable
 * named in the error before anything is built. AWS answered at the SDK boundary.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SFNClient } from '@aws-sdk/client-sfn';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { awsApprovalDeps } from '../../runtime/approval-wiring.js';
import { AwsClients } from '../../runtime/aws-clients.js';
import { MissingEnvironmentVariable, required } from '../../runtime/env.js';
import { awsIngestDeps } from '../../runtime/ingest-wiring.js';

/** A factory whose wrap records every client it is given. */
function watched() {
  const wrapped: unknown[] = [];
  const clients = new AwsClients({
    wrap: (client) => {
      wrapped.push(client);
      return client;
    },
  });
  return { clients, wrapped };
}

describe('the AWS client factory', () => {
  it('makes one wrapped client per service and region, on first use', async () => {
    const { clients, wrapped } = watched();
    const sfn = clients.client(SFNClient);
    expect(clients.client(SFNClient)).toBe(sfn);
    const east = clients.client(SFNClient, 'us-east-1');
    expect(east).not.toBe(sfn);
    expect(clients.client(SFNClient, 'us-east-1')).toBe(east);
    expect(await east.config.region()).toBe('us-east-1');
    expect(clients.client(SecretsManagerClient)).toBeInstanceOf(SecretsManagerClient);
    expect(wrapped).toEqual([sfn, east, clients.client(SecretsManagerClient)]);
  });

  it('shares one document client that leaves out undefined fields and stores class instances as maps', async () => {
    const sent: unknown[] = [];
    const clients = new AwsClients({
      // The request as it would leave for DynamoDB, answered here (the document client runs its
      // commands on this client's middleware stack, so aws-sdk-client-mock's send stub never sees them).
      wrap: (client) => {
        if (client instanceof DynamoDBClient) {
          client.middlewareStack.addRelativeTo(
            () => async (args: { input: unknown }) => {
              sent.push(args.input);
              return { output: { $metadata: {} }, response: {} };
            },
            { name: 'capture', relation: 'after', toMiddleware: 'DocumentMarshall' },
          );
        }
        return client;
      },
    });
    const doc = clients.dynamo();
    expect(clients.dynamo()).toBe(doc);
    class Note {
      constructor(readonly text: string) {}
    }
    await doc.send(
      new PutCommand({ TableName: 't', Item: { pk: 'a', gone: undefined, note: new Note('x') } }),
    );
    expect(sent).toEqual([{ TableName: 't', Item: { pk: { S: 'a' }, note: { M: { text: { S: 'x' } } } } }]);
  });

  it('gives one secret reader over its one Secrets Manager client', () => {
    const { clients } = watched();
    expect(clients.secrets()).toBe(clients.secrets());
  });
});

describe('the environment the wiring requires', () => {
  it('names the missing variable', () => {
    expect(required('TABLE_NAME', { TABLE_NAME: 'incidents' })).toBe('incidents');
    expect(() => required('TABLE_NAME', { TABLE_NAME: '' })).toThrow(MissingEnvironmentVariable);
    expect(() => required('TABLE_NAME', {})).toThrow(/environment variable TABLE_NAME is not set/);
  });

  it('refuses to wire the approval endpoint without its link key, and ingest without its topic', () => {
    const { clients } = watched();
    expect(() => awsApprovalDeps(clients, { TABLE_NAME: 't' })).toThrow(
      /environment variable APPROVAL_SECRET_ARN is not set/,
    );
    const ingestEnv = { TABLE_NAME: 't', STATE_MACHINE_ARN: 'arn:aws:states:eu-west-1:1:stateMachine:sm' };
    expect(() => awsIngestDeps(clients, ingestEnv)).toThrow(/environment variable TOPIC_ARN is not set/);
    expect(() =>
      awsIngestDeps(clients, { ...ingestEnv, TOPIC_ARN: 'arn:aws:sns:eu-west-1:1:t' }),
    ).not.toThrow();
  });
});
