import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceInUseException,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TABLE } from '../../lambdas/core/store/table.js';

const require = createRequire(import.meta.url);
const dynalite = require('dynalite') as (opts: Record<string, unknown>) => Server;

export interface EmbeddedDynamoDB {
  client: DynamoDBClient;
  doc: DynamoDBDocumentClient;
  tableName: string;
  endpoint: string;
  close(): Promise<void>;
}

/** The SDK clients for an embedded store at `endpoint`, marshalling as the store expects. */
export function localClients(endpoint: string): { client: DynamoDBClient; doc: DynamoDBDocumentClient } {
  const client = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 2,
  });
  const doc = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: true },
  });
  return { client, doc };
}

/**
 * Starts dynalite on 127.0.0.1 (persisted under `path`, or in memory without one) and makes sure the
 * incident table exists with the same keys and index as in AWS.
 */
export async function startEmbeddedDynamoDB(
  opts: { path?: string; tableName?: string } = {},
): Promise<EmbeddedDynamoDB> {
  const tableName = opts.tableName ?? 'firebreak-incidents';
  if (opts.path) mkdirSync(opts.path, { recursive: true });
  const server = dynalite({ path: opts.path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const { client, doc } = localClients(endpoint);
  await ensureTable(client, tableName);
  return {
    client,
    doc,
    tableName,
    endpoint,
    close: async () => {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function ensureTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: TABLE.partitionKey, AttributeType: 'S' },
          { AttributeName: TABLE.sortKey, AttributeType: 'S' },
          { AttributeName: TABLE.statusIndexPartitionKey, AttributeType: 'S' },
          { AttributeName: TABLE.statusIndexSortKey, AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
          { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: TABLE.statusIndex,
            KeySchema: [
              { AttributeName: TABLE.statusIndexPartitionKey, KeyType: 'HASH' },
              { AttributeName: TABLE.statusIndexSortKey, KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      }),
    );
  } catch (err) {
    if (!(err instanceof ResourceInUseException)) throw err;
  }
  // dynalite, like DynamoDB, answers CreateTable while the table is still CREATING: wait for ACTIVE.
  for (let attempt = 0; attempt < 200; attempt++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const ready =
      Table?.TableStatus === 'ACTIVE' &&
      (Table.GlobalSecondaryIndexes ?? []).every((i) => i.IndexStatus === 'ACTIVE');
    if (ready) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`table ${tableName} did not become ACTIVE`);
}

/** Opens the local store (and the incident memory in the same table) under a data directory for the length of `fn`. */
export async function withLocalStore<T>(
  dataDir: string,
  fn: (
    store: import('../../lambdas/core/ports.js').IncidentStore,
    memory: import('../../lambdas/core/memory/port.js').IncidentMemory,
  ) => Promise<T>,
): Promise<T> {
  const { DynamoIncidentStore } = await import('../../lambdas/core/store/dynamo-store.js');
  const { DynamoMemory } = await import('../../lambdas/core/memory/dynamo-memory.js');
  const db = await startEmbeddedDynamoDB({ path: `${dataDir}/db` });
  try {
    return await fn(new DynamoIncidentStore(db.doc, db.tableName), new DynamoMemory(db.doc, db.tableName));
  } finally {
    await db.close();
  }
}
