import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoMemory } from '../../../adapters/aws/memory.js';
import { type EmbeddedDynamoDB, startEmbeddedDynamoDB } from '../../../adapters/embedded/dynamodb.js';
import type { MemoryBounds } from '../../../domain/memory/port.js';
import { describeHistory, MAX_SERVICES, memoryKeys } from '../../../domain/memory/records.js';
import type { Incident } from '../../../domain/model.js';
import { anIncident, aRootCause } from '../../support/incidents.js';

let db: EmbeddedDynamoDB;
let memory: DynamoMemory;

beforeAll(async () => {
  db = await startEmbeddedDynamoDB();
  memory = new DynamoMemory(db.doc, db.tableName);
});
afterAll(async () => db.close());

let n = 0;
const DAY = 86_400_000;
const at = (daysAgo: number) =>
  new Date(Date.parse('2026-11-20T10:00:00.000Z') - daysAgo * DAY).toISOString();
const incident = (over: Partial<Incident> = {}): Incident =>
  anIncident({
    id: `inc-mem-${++n}`,
    status: 'RESOLVED',
    title: 'orders-5xx',
    service: 'orders',
    services: ['orders'],
    fingerprint: 'cw:orders-5xx',
    source: 'cloudwatch-eventbridge',
    detectedAt: at(0),
    updatedAt: at(0),
    ...over,
  });
const bounds: MemoryBounds = { horizonDays: 30, perPartition: 10, limit: 5 };

describe('DynamoMemory against dynalite', () => {
  it('finds past incidents by alarm and service within the horizon, newest first, never itself', async () => {
    const svc = `svc-a-${n}`;
    const fp = `cw:a-${n}`;
    const sameAlert = incident({
      service: svc,
      services: [svc],
      fingerprint: fp,
      detectedAt: at(3),
      resolvedAt: new Date(Date.parse(at(3)) + 6 * 60_000).toISOString(),
      rootCause: aRootCause({
        category: 'database',
        culprit: 'orders-db',
        summary: 'connection pool exhausted after a deploy',
      }),
      mitigation: {
        action: { kind: 'rollback', target: svc, params: {}, rationale: '' },
        status: 'applied',
        detail: '',
      },
    });
    const sameService = incident({
      service: svc,
      services: [svc],
      fingerprint: 'cw:other',
      detectedAt: at(10),
    });
    const tooOld = incident({ service: svc, services: [svc], fingerprint: fp, detectedAt: at(45) });
    const unrelated = incident({
      service: 'elsewhere',
      services: ['elsewhere'],
      fingerprint: 'cw:x',
      detectedAt: at(2),
    });
    for (const i of [sameAlert, sameService, tooOld, unrelated]) await memory.remember(i);
    const now = incident({ service: svc, services: [svc], fingerprint: fp, detectedAt: at(0) });
    await memory.remember(now);

    const result = await memory.similar(now, bounds);
    expect(result.matches.map((m) => m.record.id)).toEqual([sameAlert.id, sameService.id]);
    expect(result.matches[0]?.matchedOn).toEqual(['fingerprint', 'service']);
    expect(describeHistory(result)).toBe(
      `this alert seen once in 30 days; last time: ${sameAlert.id} on ${at(3).slice(0, 10)}: connection pool exhausted after a deploy; rollback ${svc} fixed it in 6 min`,
    );
    // A wider horizon reaches the older one.
    const wide = await memory.similar(now, { ...bounds, horizonDays: 60 });
    expect(wide.matches.map((m) => m.record.id)).toContain(tooOld.id);
  });

  it('reads a bounded number of items however many past incidents share a key', async () => {
    const svc = `svc-busy-${n}`;
    const fp = `cw:busy-${n}`;
    for (let i = 0; i < 60; i++)
      await memory.remember(
        incident({ service: svc, services: [svc], fingerprint: fp, detectedAt: at(1 + i / 10) }),
      );
    const now = incident({ service: svc, services: [svc], fingerprint: fp, detectedAt: at(0) });
    const result = await memory.similar(now, { horizonDays: 30, perPartition: 4, limit: 3 });
    // The newest three, found both ways.
    expect(result.matches.map((m) => m.record.detectedAt)).toEqual([at(1), at(1.1), at(1.2)]);
    expect(result.matches.every((m) => m.matchedOn.join() === 'fingerprint,service')).toBe(true);
    // Two partitions (the alarm, the one service), each read at most perPartition + 1 items, not 60.
    expect(result.itemsRead).toBe(2 * (4 + 1));
    expect(result.itemsRead).toBeLessThanOrEqual((2 + MAX_SERVICES) * 5);
  });

  it('moves an incident to its confirmed category and drops the stale index item', async () => {
    const svc = `svc-c-${n}`;
    const rootCause = {
      category: 'deployment' as const,
      culprit: 'v2',
      summary: 'bad deploy',
      causalChain: [],
      confidence: 0.7,
      evidence: [],
      ruledOut: [],
      mitigation: null,
      degraded: false,
    };
    const before = incident({ service: svc, services: [svc], fingerprint: `cw:c-${n}`, rootCause });
    await memory.remember(before);
    const after: Incident = {
      ...before,
      review: {
        verdict: 'wrong',
        by: 'alice',
        at: at(0),
        score: 0,
        confirmed: { category: 'database', culprit: 'orders-db', summary: 'lock wait on a migration' },
      },
    };
    await memory.remember(after, before);
    const sk = memoryKeys.sort(before.detectedAt, before.id);
    const items = async (pk: string) =>
      (
        await db.doc.send(
          new QueryCommand({
            TableName: db.tableName,
            KeyConditionExpression: 'pk = :pk AND sk = :sk',
            ExpressionAttributeValues: { ':pk': pk, ':sk': sk },
          }),
        )
      ).Items ?? [];
    expect(await items(memoryKeys.category('deployment'))).toHaveLength(0);
    const [moved] = await items(memoryKeys.category('database'));
    expect(moved).toMatchObject({ id: before.id, verdict: 'wrong', confirmed: { category: 'database' } });
  });
});
