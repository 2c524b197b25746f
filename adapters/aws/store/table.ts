/**
 * The single-table layout, shared by the store, the embedded local table and the CDK construct,
 * so the three cannot drift apart, and `StoreTable`, the one place the adapters reach the table
 * through: it holds the table name and the document client, and turns a failed condition into an
 * answer (`putIf`, `updateIf`, `deleteIf`) rather than an error every caller catches by hand.
 *
 *   pk                    sk                            what
 *   INC#<id>              META                          the incident (status, severity, times, root cause…)
 *   INC#<id>              EVT#<iso time>#<seq>          append-only timeline
 *   INC#<id>              ALERT#<source>#<event id>     every linked alert, raw payload kept
 *   INC#<id>              APPROVAL                      the pending approval (token hash, expiry, use)
 *   DEDUP#<fingerprint>   DEDUP                         the open incident for a fingerprint (TTL)
 *   DELIVERY#<src>#<id>   DELIVERY                      a webhook delivery's replay marker (TTL)
 *   RATE#<api>            SLOT#<epoch ms>               one call's turn under a shared rate limit (TTL)
 *   MEM#fp|svc|cat#<key>  <detectedAt>#<id>             a past incident, found by alarm, service or category
 *                                                       (domain/memory/records.ts)
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  BatchWriteCommand,
  type BatchWriteCommandOutput,
  DeleteCommand,
  type DeleteCommandInput,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  type PutCommandInput,
  type PutCommandOutput,
  QueryCommand,
  type QueryCommandInput,
  type QueryCommandOutput,
  UpdateCommand,
  type UpdateCommandInput,
  type UpdateCommandOutput,
} from '@aws-sdk/lib-dynamodb';

export const TABLE = {
  partitionKey: 'pk',
  sortKey: 'sk',
  statusIndex: 'byStatus',
  statusIndexPartitionKey: 'status',
  statusIndexSortKey: 'listedAt',
  ttlAttribute: 'expiresAt',
} as const;

export const keys = {
  incident: (id: string) => ({ pk: `INC#${id}`, sk: 'META' }),
  event: (id: string, at: string, seq: string) => ({ pk: `INC#${id}`, sk: `EVT#${at}#${seq}` }),
  alert: (id: string, source: string, eventId: string) => ({
    pk: `INC#${id}`,
    sk: `ALERT#${source}#${eventId}`,
  }),
  approval: (id: string) => ({ pk: `INC#${id}`, sk: 'APPROVAL' }),
  dedup: (fingerprint: string) => ({ pk: `DEDUP#${fingerprint}`, sk: 'DEDUP' }),
  delivery: (key: string) => ({ pk: `DELIVERY#${key}`, sk: 'DELIVERY' }),
  rateSlot: (api: string, slotMs: number) => ({ pk: `RATE#${api}`, sk: `SLOT#${slotMs}` }),
};

export type Key = Record<string, string>;
export type Item = Record<string, unknown>;
/** One request of a BatchWriteItem, as the document client takes it. */
export type WriteRequest = { PutRequest: { Item: Item } } | { DeleteRequest: { Key: Item } };
/** Called before each retry of what a batch left unprocessed (attempt 1, 2…): waits, or throws to give up. */
export type RetryUnprocessed = (attempt: number, pending: number) => Promise<void>;

type Without<T> = Omit<T, 'TableName'>;
type Conditional<T> = Without<T> & { ConditionExpression: string };

const isConditionFailure = (err: unknown) =>
  err instanceof ConditionalCheckFailedException ||
  (err as Error)?.name === 'ConditionalCheckFailedException';

/**
 * The incident table, reached through one document client. Every write is a single-item
 * (conditional) write: dynalite has no transactions, and a single-item condition is all that dedup,
 * deliveries and approval need.
 */
export class StoreTable {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    readonly name: string,
  ) {}

  async get(key: Key, opts: { consistent?: boolean } = {}): Promise<Item | undefined> {
    const out = await this.doc.send(
      new GetCommand({
        TableName: this.name,
        Key: key,
        ...(opts.consistent ? { ConsistentRead: true } : {}),
      }),
    );
    return out.Item;
  }

  put(input: Without<PutCommandInput>): Promise<PutCommandOutput> {
    return this.doc.send(new PutCommand({ TableName: this.name, ...input }));
  }

  update(input: Without<UpdateCommandInput>): Promise<UpdateCommandOutput> {
    return this.doc.send(new UpdateCommand({ TableName: this.name, ...input }));
  }

  /** A conditional put: true when written, false when its condition did not hold. */
  async putIf(input: Conditional<PutCommandInput>): Promise<boolean> {
    return (await unlessConditionFails(this.put(input))) !== undefined;
  }

  /** A conditional update: its output, or undefined when its condition did not hold. */
  updateIf(input: Conditional<UpdateCommandInput>): Promise<UpdateCommandOutput | undefined> {
    return unlessConditionFails(this.update(input));
  }

  /** A conditional delete: true when deleted, false when its condition did not hold. */
  async deleteIf(input: Conditional<DeleteCommandInput>): Promise<boolean> {
    const deleted = this.doc.send(new DeleteCommand({ TableName: this.name, ...input }));
    return (await unlessConditionFails(deleted)) !== undefined;
  }

  /** One page of a query. */
  query(input: Without<QueryCommandInput>): Promise<QueryCommandOutput> {
    return this.doc.send(new QueryCommand({ TableName: this.name, ...input }));
  }

  /**
   * Every item of a partition whose sort key starts with `prefix`, page after page, read
   * consistently; only the named `attributes` when given.
   */
  async queryPrefix(pk: string, prefix: string, attributes?: string[]): Promise<Item[]> {
    // Every name through a placeholder: several (`status`, for one) are DynamoDB reserved words.
    const projection = attributes && {
      ProjectionExpression: attributes.map((_, i) => `#a${i}`).join(', '),
      ExpressionAttributeNames: Object.fromEntries(attributes.map((a, i) => [`#a${i}`, a])),
    };
    const items: Item[] = [];
    let start: Item | undefined;
    do {
      const page = await this.query({
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix },
        ExclusiveStartKey: start,
        ConsistentRead: true,
        ...projection,
      });
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }

  /**
   * Reads up to 100 keys in one consistent BatchGetItem. Like BatchWriteItem, BatchGetItem may leave
   * keys unprocessed under load: those are asked for again after `retry`.
   */
  async batchGet(wanted: Item[], retry: RetryUnprocessed): Promise<Item[]> {
    const found: Item[] = [];
    let pending: Item[] | undefined = wanted;
    for (let attempt = 0; pending?.length; attempt++) {
      if (attempt > 0) await retry(attempt, pending.length);
      const out: BatchGetCommandOutput = await this.doc.send(
        new BatchGetCommand({ RequestItems: { [this.name]: { Keys: pending, ConsistentRead: true } } }),
      );
      found.push(...(out.Responses?.[this.name] ?? []));
      pending = out.UnprocessedKeys?.[this.name]?.Keys;
    }
    return found;
  }

  /** Writes up to 25 requests in one BatchWriteItem, sending what DynamoDB left unprocessed again after `retry`. */
  async batchWrite(requests: WriteRequest[], retry: RetryUnprocessed): Promise<void> {
    let pending: WriteRequest[] | undefined = requests;
    for (let attempt = 0; pending?.length; attempt++) {
      if (attempt > 0) await retry(attempt, pending.length);
      const out: BatchWriteCommandOutput = await this.doc.send(
        new BatchWriteCommand({ RequestItems: { [this.name]: pending } }),
      );
      pending = out.UnprocessedItems?.[this.name] as WriteRequest[] | undefined;
    }
  }
}

/** The write's output, or undefined when DynamoDB refused it for its condition; any other failure is thrown. */
async function unlessConditionFails<T>(write: Promise<T>): Promise<T | undefined> {
  try {
    return await write;
  } catch (err) {
    if (isConditionFailure(err)) return undefined;
    throw err;
  }
}
