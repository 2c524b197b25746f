import { randomBytes } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  BatchWriteCommand,
  type BatchWriteCommandOutput,
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { ConflictError, NotFoundError, TransientError } from '../../../domain/errors.js';
import {
  Incident,
  IncidentStatus,
  NormalizedAlert,
  type IncidentStatus as Status,
  TimelineEvent,
} from '../../../domain/model.js';
import {
  type AlertLink,
  type ApprovalTokenRecord,
  type DedupClaim,
  type IncidentStore,
  listPosition,
} from '../../../domain/ports.js';
import { type JoinKind, withJoins } from '../../../domain/timeline.js';
import { keys, TABLE } from './table.js';

/**
 * `DELIVERY#<source>#<delivery id>` / `DELIVERY`: a replay marker for a webhook delivery (TTL).
 * Kept here rather than in table.ts's `keys` because only this adapter writes it.
 */
const deliveryKey = (key: string) => ({ pk: `DELIVERY#${key}`, sk: 'DELIVERY' });

let sequence = 0;
/** Orders events written in the same millisecond by one writer; the random tail separates writers. */
const nextSeq = () => `${String(sequence++ % 1_000_000).padStart(6, '0')}${randomBytes(2).toString('hex')}`;

/** What the timeline reads of a linked alert that joined. */
const JoinedAlert = NormalizedAlert.pick({
  source: true,
  sourceEventId: true,
  fingerprint: true,
  status: true,
  title: true,
  startedAt: true,
});

/**
 * A linked alert as stored: the raw payload kept verbatim as JSON text. As a nested map it would cost
 * a marshalling pass per attribute on every write, and a payload nested deeper than DynamoDB's 32
 * levels could not be stored at all.
 */
function linkedAlertItem(incidentId: string, alert: NormalizedAlert) {
  const { raw, ...rest } = alert;
  return {
    ...keys.alert(incidentId, alert.source, alert.sourceEventId),
    ...rest,
    ...(raw === undefined ? {} : { rawJson: JSON.stringify(raw) }),
  };
}

function fromLinkedAlertItem(item: Record<string, unknown>): NormalizedAlert {
  const { rawJson, ...rest } = item;
  // Items written before the payload was kept as text hold it as a map under `raw`.
  return NormalizedAlert.parse(typeof rawJson === 'string' ? { ...rest, raw: JSON.parse(rawJson) } : rest);
}

const chunks = <T>(items: T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/** Waits before retrying unprocessed batch items; gives up after the attempts DynamoDB's guidance allows. */
async function backoff(attempt: number, what: string): Promise<void> {
  if (attempt > 8) throw new TransientError(what);
  await new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** attempt * (0.5 + Math.random()))));
}

/** How long an approval record is kept after the approval itself expires. */
const APPROVAL_KEPT_SECONDS = 7 * 86_400;

const isConditionFailure = (err: unknown) =>
  err instanceof ConditionalCheckFailedException ||
  (err as Error)?.name === 'ConditionalCheckFailedException';

/**
 * IncidentStore on the DynamoDB API: the same code runs against DynamoDB in AWS and dynalite locally.
 * Every write is a single-item (conditional) write: dynalite has no transactions, and a single-item
 * condition is all that dedup and approval need.
 *
 * @example
 * const store = new DynamoIncidentStore(DynamoDBDocumentClient.from(new DynamoDBClient({})), 'firebreak');
 */
export class DynamoIncidentStore implements IncidentStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(incident: Incident): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.incident(incident.id), ...this.indexFields(incident), ...incident },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (err) {
      if (isConditionFailure(err)) throw new ConflictError(`incident ${incident.id} already exists`);
      throw err;
    }
  }

  async get(id: string): Promise<Incident | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.incident(id) }));
    return out.Item ? Incident.parse(out.Item) : undefined;
  }

  async update(
    id: string,
    patch: Partial<Omit<Incident, 'id'>>,
    opts: { expectStatus?: Status[] } = {},
  ): Promise<Incident> {
    const names: Record<string, string> = { '#pk': 'pk' };
    const values: Record<string, unknown> = {};
    const sets: string[] = [];
    const removes: string[] = [];
    Object.entries(patch).forEach(([field, value], i) => {
      names[`#f${i}`] = field;
      if (value === undefined) removes.push(`#f${i}`);
      else {
        values[`:v${i}`] = value;
        sets.push(`#f${i} = :v${i}`);
      }
    });
    let condition = 'attribute_exists(#pk)';
    if (opts.expectStatus?.length) {
      names['#status'] = 'status';
      const placeholders = opts.expectStatus.map((s, i) => {
        values[`:s${i}`] = s;
        return `:s${i}`;
      });
      condition += ` AND #status IN (${placeholders.join(', ')})`;
    }
    const expression = [
      sets.length ? `SET ${sets.join(', ')}` : '',
      removes.length ? `REMOVE ${removes.join(', ')}` : '',
    ]
      .filter(Boolean)
      .join(' ');
    if (!expression) {
      const current = await this.get(id);
      if (!current) throw new NotFoundError(`incident ${id} not found`);
      return current;
    }
    try {
      const out = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.incident(id),
          UpdateExpression: expression,
          ConditionExpression: condition,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: Object.keys(values).length ? values : undefined,
          ReturnValues: 'ALL_NEW',
        }),
      );
      return Incident.parse(out.Attributes);
    } catch (err) {
      if (isConditionFailure(err)) {
        const current = await this.get(id);
        if (!current) throw new NotFoundError(`incident ${id} not found`);
        throw new ConflictError(
          `incident ${id} is ${current.status}, expected ${opts.expectStatus?.join('|')}`,
        );
      }
      throw err;
    }
  }

  async appendEvent(id: string, event: TimelineEvent): Promise<void> {
    const parsed = TimelineEvent.parse(event);
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.event(id, parsed.at, nextSeq()), ...parsed },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async timeline(id: string): Promise<TimelineEvent[]> {
    const [events, joined] = await Promise.all([
      this.queryPrefix(`INC#${id}`, 'EVT#'),
      // Only what the timeline names: the raw payloads stay where they are.
      this.queryPrefix(`INC#${id}`, 'ALERT#', [
        'joinedAs',
        'joinedAt',
        'source',
        'sourceEventId',
        'fingerprint',
        'status',
        'title',
        'startedAt',
      ]),
    ]);
    const joins = joined
      .filter((item) => typeof item.joinedAt === 'string')
      .map((item) => ({
        at: item.joinedAt as string,
        kind: item.joinedAs as JoinKind,
        alert: JoinedAlert.parse(item),
      }));
    return withJoins(
      events.map((item) => TimelineEvent.parse(item)),
      joins,
    );
  }

  async linkAlert(id: string, alert: NormalizedAlert): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: linkedAlertItem(id, alert),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  async alerts(id: string): Promise<NormalizedAlert[]> {
    const items = await this.queryPrefix(`INC#${id}`, 'ALERT#');
    return items.map(fromLinkedAlertItem);
  }

  async list(opts: { statuses?: Status[]; limit?: number; before?: string } = {}): Promise<Incident[]> {
    const statuses = opts.statuses ?? IncidentStatus.options;
    const limit = opts.limit ?? 100;
    const perStatus = await Promise.all(
      statuses.map((status) => this.newestInStatus(status, limit, opts.before)),
    );
    return perStatus
      .flat()
      .sort((a, b) => b.detectedAt.localeCompare(a.detectedAt) || b.id.localeCompare(a.id))
      .slice(0, limit);
  }

  /** Pages through one status partition of the index, newest first, until `limit` items. */
  private async newestInStatus(status: Status, limit: number, before?: string): Promise<Incident[]> {
    const found: Incident[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: TABLE.statusIndex,
          KeyConditionExpression: `#status = :status${before ? ' AND #listed < :before' : ''}`,
          ExpressionAttributeNames: {
            '#status': TABLE.statusIndexPartitionKey,
            ...(before ? { '#listed': TABLE.statusIndexSortKey } : {}),
          },
          ExpressionAttributeValues: { ':status': status, ...(before ? { ':before': before } : {}) },
          ScanIndexForward: false,
          Limit: limit - found.length,
          ExclusiveStartKey: start,
        }),
      );
      found.push(...(page.Items ?? []).map((item) => Incident.parse(item)));
      start = page.LastEvaluatedKey;
    } while (start && found.length < limit);
    return found;
  }

  async claimFingerprint(
    fingerprint: string,
    incidentId: string,
    expiresAt: Date,
  ): Promise<{ claimed: true } | { claimed: false; incidentId: string }> {
    const nowEpoch = Math.floor(Date.now() / 1000);
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...keys.dedup(fingerprint),
            incidentId,
            claimedAt: new Date().toISOString(),
            [TABLE.ttlAttribute]: Math.floor(expiresAt.getTime() / 1000),
          },
          // An expired claim that TTL has not swept yet does not block a new incident.
          ConditionExpression: 'attribute_not_exists(pk) OR #ttl < :now',
          ExpressionAttributeNames: { '#ttl': TABLE.ttlAttribute },
          ExpressionAttributeValues: { ':now': nowEpoch },
        }),
      );
      return { claimed: true };
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
      const out = await this.db.send(
        new GetCommand({ TableName: this.tableName, Key: keys.dedup(fingerprint), ConsistentRead: true }),
      );
      return { claimed: false, incidentId: String(out.Item?.incidentId ?? '') };
    }
  }

  async releaseFingerprint(fingerprint: string, incidentId: string): Promise<void> {
    try {
      await this.db.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: keys.dedup(fingerprint),
          ConditionExpression: 'incidentId = :id',
          ExpressionAttributeValues: { ':id': incidentId },
        }),
      );
    } catch (err) {
      // Someone else's claim (or none): nothing of ours to release.
      if (!isConditionFailure(err)) throw err;
    }
  }

  async dedupClaim(key: string): Promise<DedupClaim | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.dedup(key), ConsistentRead: true }),
    );
    if (!out.Item?.incidentId) return undefined;
    const ttl = out.Item[TABLE.ttlAttribute];
    return {
      incidentId: String(out.Item.incidentId),
      ...(typeof out.Item.claimedAt === 'string' ? { claimedAt: out.Item.claimedAt } : {}),
      ...(typeof ttl === 'number' ? { expiresAt: new Date(ttl * 1000).toISOString() } : {}),
    };
  }

  async claimServiceWindow(
    service: string,
    incidentId: string,
    window: { now: Date; until: Date },
  ): Promise<{ claimed: true } | ({ claimed: false } & DedupClaim)> {
    const key = keys.dedup(`svc:${service}`);
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...key,
            incidentId,
            // Wall time of the write (for the takeover lease); the window itself runs on the caller's clock.
            claimedAt: new Date().toISOString(),
            windowEndsAt: window.until.toISOString(),
            [TABLE.ttlAttribute]: Math.floor(window.until.getTime() / 1000),
          },
          // ISO strings compare in time order: an ended window is free, and the holder may extend its own.
          ConditionExpression: 'attribute_not_exists(pk) OR windowEndsAt <= :now OR incidentId = :id',
          ExpressionAttributeValues: { ':now': window.now.toISOString(), ':id': incidentId },
        }),
      );
      return { claimed: true };
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
      const holder = await this.dedupClaim(`svc:${service}`);
      // Released between our write and our read: the caller retries and may win the window.
      return { claimed: false, ...(holder ?? { incidentId: '' }) };
    }
  }

  async releaseServiceWindow(service: string, incidentId: string): Promise<void> {
    await this.releaseFingerprint(`svc:${service}`, incidentId);
  }

  async countLinkedAlerts(id: string): Promise<number> {
    let count = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': `INC#${id}`, ':prefix': 'ALERT#' },
          Select: 'COUNT',
          ExclusiveStartKey: start,
          ConsistentRead: true,
        }),
      );
      count += page.Count ?? 0;
      start = page.LastEvaluatedKey;
    } while (start);
    return count;
  }

  async joinState(joins: AlertLink[]): Promise<{ incidents: Map<string, Incident>; linked: boolean[] }> {
    const linkKeys = joins.map(({ incidentId, alert }) =>
      keys.alert(incidentId, alert.source, alert.sourceEventId),
    );
    const wanted = new Map<string, Record<string, string>>();
    for (const key of [...new Set(joins.map((j) => j.incidentId))].map(keys.incident).concat(linkKeys))
      wanted.set(`${key.pk}|${key.sk}`, key);
    const found = new Map<string, Record<string, unknown>>();
    const all = [...wanted.values()];
    await Promise.all(
      chunks(all, 100).map(async (chunk) => {
        let pending: Record<string, unknown>[] | undefined = chunk;
        // Like BatchWriteItem, BatchGetItem may leave keys unprocessed under load: ask again for those.
        for (let attempt = 0; pending?.length; attempt++) {
          if (attempt > 0) await backoff(attempt, `${pending.length} keys stayed unprocessed`);
          const out: BatchGetCommandOutput = await this.db.send(
            new BatchGetCommand({
              RequestItems: { [this.tableName]: { Keys: pending, ConsistentRead: true } },
            }),
          );
          for (const item of out.Responses?.[this.tableName] ?? []) found.set(`${item.pk}|${item.sk}`, item);
          pending = out.UnprocessedKeys?.[this.tableName]?.Keys;
        }
      }),
    );
    const incidents = new Map<string, Incident>();
    for (const { incidentId } of joins) {
      const item = found.get(`INC#${incidentId}|META`);
      if (item && !incidents.has(incidentId)) incidents.set(incidentId, Incident.parse(item));
    }
    return { incidents, linked: linkKeys.map((k) => found.has(`${k.pk}|${k.sk}`)) };
  }

  async linkJoined(joins: Array<AlertLink & { kind: JoinKind; at: string }>): Promise<void> {
    const items = new Map<string, Record<string, unknown>>();
    for (const { incidentId, alert, kind, at } of joins) {
      const item = { ...linkedAlertItem(incidentId, alert), joinedAs: kind, joinedAt: at };
      // One request may not name an item twice; the same alert twice is the same item anyway.
      items.set(`${item.pk}|${item.sk}`, item);
    }
    await Promise.all(
      chunks([...items.values()], 25).map(async (chunk) => {
        let pending: Array<{ PutRequest: { Item: Record<string, unknown> } }> | undefined = chunk.map(
          (Item) => ({ PutRequest: { Item } }),
        );
        // DynamoDB may leave some of a batch unprocessed under load: retry those, backing off.
        for (let attempt = 0; pending?.length; attempt++) {
          if (attempt > 0) await backoff(attempt, `${pending.length} linked alerts stayed unprocessed`);
          const out: BatchWriteCommandOutput = await this.db.send(
            new BatchWriteCommand({ RequestItems: { [this.tableName]: pending } }),
          );
          pending = out.UnprocessedItems?.[this.tableName] as typeof pending;
        }
      }),
    );
  }

  async beginDelivery(
    key: string,
    opts: { now: Date; leaseSeconds: number },
  ): Promise<'new' | 'in-flight' | 'done'> {
    const now = opts.now.getTime();
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...deliveryKey(key),
            state: 'processing',
            leaseEndsAt: now + opts.leaseSeconds * 1000,
            [TABLE.ttlAttribute]: Math.floor(now / 1000) + Math.max(opts.leaseSeconds, 3600),
          },
          // A lease left behind by a crashed attempt lapses, so the sender's retry is processed.
          ConditionExpression: 'attribute_not_exists(pk) OR (#state = :processing AND leaseEndsAt < :now)',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':processing': 'processing', ':now': now },
        }),
      );
      return 'new';
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
      const out = await this.db.send(
        new GetCommand({ TableName: this.tableName, Key: deliveryKey(key), ConsistentRead: true }),
      );
      return out.Item?.state === 'done' ? 'done' : 'in-flight';
    }
  }

  async finishDelivery(key: string, opts: { now: Date; keepHours: number }): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...deliveryKey(key),
          state: 'done',
          doneAt: opts.now.toISOString(),
          [TABLE.ttlAttribute]: Math.floor(opts.now.getTime() / 1000) + opts.keepHours * 3600,
        },
      }),
    );
  }

  async abandonDelivery(key: string): Promise<void> {
    await this.db
      .send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: deliveryKey(key),
          ConditionExpression: '#state = :processing',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':processing': 'processing' },
        }),
      )
      .catch((err) => {
        if (!isConditionFailure(err)) throw err;
      });
  }

  async putApprovalToken(incidentId: string, record: ApprovalTokenRecord): Promise<void> {
    const { expiresAt, ...rest } = record;
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keys.approval(incidentId),
          ...rest,
          approvalExpiresAt: expiresAt,
          // The TTL attribute must be a Number of epoch seconds: DynamoDB TTL skips an item whose
          // attribute is any other type (DynamoDB developer guide, "Using time to live"). The record
          // (with its task token) outlives the approval by a week, for whoever asks why it expired.
          [TABLE.ttlAttribute]: Math.floor(Date.parse(expiresAt) / 1000) + APPROVAL_KEPT_SECONDS,
        },
      }),
    );
  }

  async getApprovalToken(incidentId: string): Promise<ApprovalTokenRecord | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.approval(incidentId), ConsistentRead: true }),
    );
    if (!out.Item) return undefined;
    const { pk: _pk, sk: _sk, approvalExpiresAt, expiresAt, ...record } = out.Item;
    // Records written before the TTL became numeric hold the ISO expiry in the TTL attribute.
    return { ...record, expiresAt: approvalExpiresAt ?? expiresAt } as ApprovalTokenRecord;
  }

  async consumeApprovalToken(incidentId: string, tokenHash: string, usedAt: string): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.approval(incidentId),
          UpdateExpression: 'SET usedAt = :usedAt',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(usedAt) AND tokenHash = :hash',
          ExpressionAttributeValues: { ':usedAt': usedAt, ':hash': tokenHash },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  private indexFields(incident: Incident) {
    return { [TABLE.statusIndexSortKey]: listPosition(incident) };
  }

  private async queryPrefix(
    pk: string,
    prefix: string,
    attributes?: string[],
  ): Promise<Record<string, unknown>[]> {
    // Every name through a placeholder: several (`status`, for one) are DynamoDB reserved words.
    const projection = attributes && {
      ProjectionExpression: attributes.map((_, i) => `#a${i}`).join(', '),
      ExpressionAttributeNames: Object.fromEntries(attributes.map((a, i) => [`#a${i}`, a])),
    };
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix },
          ExclusiveStartKey: start,
          ConsistentRead: true,
          ...projection,
        }),
      );
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }
}
