import { randomBytes } from 'node:crypto';
import { ConflictError, NotFoundError } from '../../../domain/errors.js';
import {
  Incident,
  IncidentStatus,
  type IncidentStatus as Status,
  TimelineEvent,
} from '../../../domain/model.js';
import { type IncidentRecords, listPosition } from '../../../domain/ports.js';
import { withJoins } from '../../../domain/timeline.js';
import { joinedAlerts } from './linked-alerts.js';
import { keys, type StoreTable, TABLE } from './table.js';

let sequence = 0;
/** Orders events written in the same millisecond by one writer; the random tail separates writers. */
const nextSeq = () => `${String(sequence++ % 1_000_000).padStart(6, '0')}${randomBytes(2).toString('hex')}`;

/** Incidents (`INC#<id>` / `META`, listed through the status index) and their timeline (`EVT#…`). */
export class DynamoIncidentRecords implements IncidentRecords {
  constructor(private readonly table: StoreTable) {}

  async create(incident: Incident): Promise<void> {
    const created = await this.table.putIf({
      Item: {
        ...keys.incident(incident.id),
        [TABLE.statusIndexSortKey]: listPosition(incident),
        ...incident,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    if (!created) throw new ConflictError(`incident ${incident.id} already exists`);
  }

  async get(id: string): Promise<Incident | undefined> {
    const item = await this.table.get(keys.incident(id));
    return item ? Incident.parse(item) : undefined;
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
    if (!expression) return this.existing(id);
    const out = await this.table.updateIf({
      Key: keys.incident(id),
      UpdateExpression: expression,
      ConditionExpression: condition,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: Object.keys(values).length ? values : undefined,
      ReturnValues: 'ALL_NEW',
    });
    if (out) return Incident.parse(out.Attributes);
    const current = await this.existing(id);
    throw new ConflictError(`incident ${id} is ${current.status}, expected ${opts.expectStatus?.join('|')}`);
  }

  async appendEvent(id: string, event: TimelineEvent): Promise<void> {
    const parsed = TimelineEvent.parse(event);
    await this.table.put({
      Item: { ...keys.event(id, parsed.at, nextSeq()), ...parsed },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  }

  async timeline(id: string): Promise<TimelineEvent[]> {
    const [events, joins] = await Promise.all([
      this.table.queryPrefix(`INC#${id}`, 'EVT#'),
      joinedAlerts(this.table, id),
    ]);
    return withJoins(
      events.map((item) => TimelineEvent.parse(item)),
      joins,
    );
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

  private async existing(id: string): Promise<Incident> {
    const current = await this.get(id);
    if (!current) throw new NotFoundError(`incident ${id} not found`);
    return current;
  }

  /** Pages through one status partition of the index, newest first, until `limit` items. */
  private async newestInStatus(status: Status, limit: number, before?: string): Promise<Incident[]> {
    const found: Incident[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.table.query({
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
      });
      found.push(...(page.Items ?? []).map((item) => Incident.parse(item)));
      start = page.LastEvaluatedKey;
    } while (start && found.length < limit);
    return found;
  }
}
