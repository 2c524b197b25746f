import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceInUseException,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TABLE } from '../aws/store/table.js';

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

/** The data directory has no store yet, and the command only reads: nothing is created. */
export class NoStore extends Error {
  override name = 'NoStore';
}

/** Where the owner of a data directory's store says it listens: `{ endpoint, pid }`. */
export const ownerFile = (dataDir: string) => join(dataDir, 'store.json');

/** Whether a process of this id is running (one we may not signal still counts). */
export const processAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** The endpoint of a live owner of this data directory's store, if there is one that answers. */
async function liveOwner(dataDir: string, tableName: string): Promise<string | undefined> {
  let owner: { endpoint?: unknown; pid?: unknown };
  try {
    owner = JSON.parse(readFileSync(ownerFile(dataDir), 'utf8'));
  } catch {
    return undefined;
  }
  if (typeof owner.endpoint !== 'string' || typeof owner.pid !== 'number') return undefined;
  if (owner.pid !== process.pid && !processAlive(owner.pid)) return undefined;
  const { client } = localClients(owner.endpoint);
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }), {
      abortSignal: AbortSignal.timeout(2_000) as never,
    });
    return owner.endpoint;
  } catch {
    return undefined;
  } finally {
    client.destroy();
  }
}

// dynalite reports a store another process holds as LOCK at open, or as a closed database on first use.
const isLocked = (err: unknown) =>
  /LOCK|IO error|Resource temporarily unavailable|Database is closed/i.test(String(err));
const isRefused = (err: unknown) =>
  ['ECONNREFUSED', 'ECONNRESET', 'EPIPE'].includes((err as NodeJS.ErrnoException)?.code ?? '') ||
  /ECONNREFUSED|socket hang up/.test(String((err as Error)?.message));

/**
 * One owner per data directory. The first process to open a directory's store runs dynalite on it,
 * serves it on 127.0.0.1 and writes its address to `store.json`; every other process talks to that
 * endpoint over the DynamoDB API, with the same client code as against AWS. If the owner exits while
 * others still use the store, the next request of one of them finds the address gone (or dead) and
 * that process takes the store over. `create: false` (read-only commands) refuses, with NoStore, to
 * make a store where there is none.
 */
export async function openDataStore(
  dataDir: string,
  opts: { create?: boolean; tableName?: string } = {},
): Promise<EmbeddedDynamoDB & { owner: () => boolean }> {
  const tableName = opts.tableName ?? 'firebreak-incidents';
  const path = join(dataDir, 'db');
  if (opts.create === false && !existsSync(path)) {
    throw new NoStore(`no firebreak store in ${dataDir} (nothing has run there yet)`);
  }
  let own: EmbeddedDynamoDB | undefined;
  let endpoint = '';
  const resolveEndpoint = async (): Promise<string> => {
    for (let attempt = 0; attempt < 40; attempt++) {
      const found = await liveOwner(dataDir, tableName);
      if (found) return found;
      try {
        own = await startEmbeddedDynamoDB({ path, tableName });
      } catch (err) {
        // Another process opened it between our look and our open: read its address instead.
        if (!isLocked(err)) throw err;
        await new Promise((r) => setTimeout(r, 50 + attempt * 10));
        continue;
      }
      const tmp = `${ownerFile(dataDir)}.${process.pid}`;
      writeFileSync(tmp, JSON.stringify({ endpoint: own.endpoint, pid: process.pid }));
      renameSync(tmp, ownerFile(dataDir));
      return own.endpoint;
    }
    throw new Error(`the store in ${dataDir} is locked by a process that does not serve it`);
  };
  endpoint = await resolveEndpoint();
  const { client, doc } = localClients(endpoint);
  let following: Promise<string> | undefined;
  client.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { hostname?: string; port?: number };
      const aim = () => {
        const url = new URL(endpoint);
        request.hostname = url.hostname;
        request.port = Number(url.port);
      };
      aim();
      try {
        return await next(args);
      } catch (err) {
        if (own || !isRefused(err)) throw err;
        // The owner went away: find the new one, or become it, and send the request again.
        following ??= resolveEndpoint().finally(() => {
          following = undefined;
        });
        endpoint = await following;
        aim();
        return next(args);
      }
    },
    { step: 'finalizeRequest', name: 'followStoreOwner', priority: 'low' },
  );
  return {
    client,
    doc,
    tableName,
    get endpoint() {
      return endpoint;
    },
    owner: () => !!own,
    close: async () => {
      client.destroy();
      if (!own) return;
      try {
        const current = JSON.parse(readFileSync(ownerFile(dataDir), 'utf8')) as { pid?: number };
        if (current.pid === process.pid) rmSync(ownerFile(dataDir), { force: true });
      } catch {
        // Already gone.
      }
      await own.close();
    },
  };
}

/** Opens the local store under a data directory for the length of `fn` (read-only: never creates one). */
export async function withLocalStore<T>(
  dataDir: string,
  fn: (
    store: import('../../domain/ports.js').IncidentStore,
    memory: import('../../domain/memory/port.js').IncidentMemory,
  ) => Promise<T>,
  opts: { create?: boolean } = {},
): Promise<T> {
  const { DynamoIncidentStore } = await import('../aws/store/dynamo-store.js');
  const { DynamoMemory } = await import('../aws/memory.js');
  const db = await openDataStore(dataDir, { create: opts.create ?? false });
  try {
    return await fn(new DynamoIncidentStore(db.doc, db.tableName), new DynamoMemory(db.doc, db.tableName));
  } finally {
    await db.close();
  }
}

/**
 * Creates the run's table and waits until dynalite reports it ACTIVE. dynalite finishes CreateTable
 * asynchronously, and a first write into a brand-new data directory can race it
 * (ResourceNotFoundException); a table made here is simply reopened by the run.
 */
export async function prepareStore(dataDir: string): Promise<void> {
  const db = await startEmbeddedDynamoDB({ path: join(dataDir, 'db') });
  try {
    for (let i = 0; i < 100; i++) {
      const out = await db.client
        .send(new DescribeTableCommand({ TableName: db.tableName }))
        .catch(() => undefined);
      if (out?.Table?.TableStatus === 'ACTIVE') return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  } finally {
    await db.close();
  }
}
