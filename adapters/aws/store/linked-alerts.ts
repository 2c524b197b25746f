import { TransientError } from '../../../domain/errors.js';
import { Incident, NormalizedAlert } from '../../../domain/model.js';
import type { AlertLink, LinkedAlerts } from '../../../domain/ports.js';
import type { JoinKind } from '../../../domain/timeline.js';
import { type Item, keys, type StoreTable } from './table.js';

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

function fromLinkedAlertItem(item: Item): NormalizedAlert {
  const { rawJson, ...rest } = item;
  // Items written before the payload was kept as text hold it as a map under `raw`.
  return NormalizedAlert.parse(typeof rawJson === 'string' ? { ...rest, raw: JSON.parse(rawJson) } : rest);
}

/** The alerts that joined an incident (`linkJoined`), as its timeline shows them. */
export async function joinedAlerts(table: StoreTable, incidentId: string) {
  // Only what the timeline names: the raw payloads stay where they are.
  const items = await table.queryPrefix(`INC#${incidentId}`, 'ALERT#', [
    'joinedAs',
    'joinedAt',
    'source',
    'sourceEventId',
    'fingerprint',
    'status',
    'title',
    'startedAt',
  ]);
  return items
    .filter((item) => typeof item.joinedAt === 'string')
    .map((item) => ({
      at: item.joinedAt as string,
      kind: item.joinedAs as JoinKind,
      alert: JoinedAlert.parse(item),
    }));
}

const chunks = <T>(items: T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/** Waits before retrying unprocessed batch items; gives up after the attempts DynamoDB's guidance allows. */
const backoff = (what: string) => async (attempt: number, pending: number) => {
  if (attempt > 8) throw new TransientError(`${pending} ${what}`);
  await new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** attempt * (0.5 + Math.random()))));
};

/** Alerts linked to incidents: `INC#<id>` / `ALERT#<source>#<event id>`, one item per alert. */
export class DynamoLinkedAlerts implements LinkedAlerts {
  constructor(private readonly table: StoreTable) {}

  linkAlert(id: string, alert: NormalizedAlert): Promise<boolean> {
    return this.table.putIf({
      Item: linkedAlertItem(id, alert),
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  }

  async alerts(id: string): Promise<NormalizedAlert[]> {
    const items = await this.table.queryPrefix(`INC#${id}`, 'ALERT#');
    return items.map(fromLinkedAlertItem);
  }

  async countLinkedAlerts(id: string): Promise<number> {
    let count = 0;
    let start: Item | undefined;
    do {
      const page = await this.table.query({
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': `INC#${id}`, ':prefix': 'ALERT#' },
        Select: 'COUNT',
        ExclusiveStartKey: start,
        ConsistentRead: true,
      });
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
    const found = new Map<string, Item>();
    await Promise.all(
      chunks([...wanted.values()], 100).map(async (chunk) => {
        const items = await this.table.batchGet(chunk, backoff('keys stayed unprocessed'));
        for (const item of items) found.set(`${item.pk}|${item.sk}`, item);
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
    const items = new Map<string, Item>();
    for (const { incidentId, alert, kind, at } of joins) {
      const item = { ...linkedAlertItem(incidentId, alert), joinedAs: kind, joinedAt: at };
      // One request may not name an item twice; the same alert twice is the same item anyway.
      items.set(`${item.pk}|${item.sk}`, item);
    }
    await Promise.all(
      chunks([...items.values()], 25).map((chunk) =>
        this.table.batchWrite(
          chunk.map((Item) => ({ PutRequest: { Item } })),
          backoff('linked alerts stayed unprocessed'),
        ),
      ),
    );
  }
}
