import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { IncidentMemory, MemoryBounds } from '../../domain/memory/port.js';
import {
  categoryOf,
  MemoryRecord,
  memoryKeys,
  partitionsOf,
  rankSimilar,
  recordOf,
  type SimilarResult,
  servicesOf,
} from '../../domain/memory/records.js';
import type { Incident } from '../../domain/model.js';
import { StoreTable, type WriteRequest } from './store/table.js';

const DAY_MS = 86_400_000;

/**
 * IncidentMemory on the incident table: one small item per index partition, queried by key and a
 * time range with a Limit, so a lookup costs the same with ten past incidents or ten thousand.
 */
export class DynamoMemory implements IncidentMemory {
  private readonly table: StoreTable;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.table = new StoreTable(db, tableName);
  }

  async remember(incident: Incident, before?: Incident): Promise<void> {
    const sk = memoryKeys.sort(incident.detectedAt, incident.id);
    const record = recordOf(incident);
    const partitions = partitionsOf(incident);
    const stale = before ? partitionsOf(before).filter((p) => !partitions.includes(p)) : [];
    const requests: WriteRequest[] = [
      ...partitions.map((pk) => ({ PutRequest: { Item: { pk, sk, ...record } } })),
      ...stale.map((pk) => ({
        DeleteRequest: { Key: { pk, sk: memoryKeys.sort(before!.detectedAt, before!.id) } },
      })),
    ];
    // At most 2 + MAX_SERVICES + stale (≤ 25): one batch. Unprocessed items are retried a few times.
    await this.table.batchWrite(requests, async (attempt, pending) => {
      if (attempt > 5) throw new Error(`memory index for ${incident.id}: ${pending} item(s) unwritten`);
      await new Promise((r) => setTimeout(r, 20 * 2 ** attempt));
    });
  }

  async similar(incident: Incident, bounds: MemoryBounds): Promise<SimilarResult> {
    const to = Date.parse(incident.detectedAt);
    const from = new Date(to - bounds.horizonDays * DAY_MS).toISOString();
    const category = categoryOf(incident);
    const partitions = [
      memoryKeys.fingerprint(incident.fingerprint),
      ...servicesOf(incident).map(memoryKeys.service),
      ...(category ? [memoryKeys.category(category)] : []),
    ];
    let itemsRead = 0;
    const pages = await Promise.all(
      partitions.map(async (pk) => {
        const out = await this.table.query({
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          // Up to this incident's own detection time, itself included (a replayed scenario gives its
          // incidents the same time): one item more than the bound leaves room for it, dropped below.
          ExpressionAttributeValues: { ':pk': pk, ':from': from, ':to': `${incident.detectedAt}#\uffff` },
          ScanIndexForward: false,
          Limit: bounds.perPartition + 1,
        });
        itemsRead += out.ScannedCount ?? out.Items?.length ?? 0;
        return (out.Items ?? []).flatMap((item) => {
          const parsed = MemoryRecord.safeParse(item);
          return parsed.success ? [{ record: parsed.data, partition: pk }] : [];
        });
      }),
    );
    return {
      matches: rankSimilar(incident, pages.flat(), bounds.limit),
      itemsRead,
      horizonDays: bounds.horizonDays,
    };
  }
}
