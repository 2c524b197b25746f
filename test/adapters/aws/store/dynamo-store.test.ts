import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoIncidentStore } from '../../../../adapters/aws/store/dynamo-store.js';
import { keys, TABLE } from '../../../../adapters/aws/store/table.js';
import type { EmbeddedDynamoDB } from '../../../../adapters/embedded/dynamodb.js';
import { ConflictError, NotFoundError } from '../../../../domain/errors.js';
import type { NormalizedAlert } from '../../../../domain/model.js';
import { anIncident as incident } from '../../../support/incidents.js';
import { startTestStore } from '../../../support/store.js';

let db: EmbeddedDynamoDB;
let store: DynamoIncidentStore;

beforeAll(async () => {
  ({ db, store } = await startTestStore());
});
afterAll(async () => db.close());

const alert = (eventId: string): NormalizedAlert => ({
  source: 'cloudwatch-eventbridge',
  sourceEventId: eventId,
  fingerprint: 'cloudwatch:1:us-east-1:checkout-alb-5xx-high',
  status: 'firing',
  title: 'checkout-alb-5xx-high',
  description: '',
  resources: [],
  startedAt: '2026-11-20T10:04:00.000Z',
  links: [],
  labels: {},
  raw: { detail: { alarmName: 'checkout-alb-5xx-high', nested: [1, 2, { deep: true }] } },
});

describe('DynamoIncidentStore on dynalite', () => {
  it('creates an incident once and reads it back whole', async () => {
    const i = incident();
    await store.create(i);
    expect(await store.get(i.id)).toEqual(i);
    await expect(store.create(i)).rejects.toBeInstanceOf(ConflictError);
    expect(await store.get('inc-missing')).toBeUndefined();
  });

  it('updates fields, removes undefined ones, and guards on the expected status', async () => {
    const i = incident({ severity: 'SEV3' });
    await store.create(i);
    const updated = await store.update(i.id, {
      status: 'ACTIVE',
      severity: 'SEV2',
      declaredAt: '2026-11-20T10:05:00.000Z',
    });
    expect(updated).toMatchObject({
      status: 'ACTIVE',
      severity: 'SEV2',
      declaredAt: '2026-11-20T10:05:00.000Z',
    });
    const cleared = await store.update(i.id, { declaredAt: undefined });
    expect(cleared.declaredAt).toBeUndefined();
    await expect(
      store.update(i.id, { status: 'RESOLVED' }, { expectStatus: ['TRIAGE'] }),
    ).rejects.toBeInstanceOf(ConflictError);
    expect((await store.get(i.id))?.status).toBe('ACTIVE');
    await expect(store.update('inc-nope', { status: 'ACTIVE' })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('keeps the timeline in time order, with same-millisecond events all kept', async () => {
    const i = incident();
    await store.create(i);
    const at = '2026-11-20T10:04:00.000Z';
    await Promise.all(
      Array.from({ length: 20 }, (_, k) =>
        store.appendEvent(i.id, { at, type: 'state', actor: 'engine', text: `e${k}` }),
      ),
    );
    await store.appendEvent(i.id, {
      at: '2026-11-20T10:03:00.000Z',
      type: 'detected',
      actor: 'x',
      text: 'first',
    });
    const timeline = await store.timeline(i.id);
    expect(timeline).toHaveLength(21);
    expect(timeline[0].text).toBe('first');
    expect(new Set(timeline.map((e) => e.text)).size).toBe(21);
  });

  it('links an alert once, keeping the raw payload', async () => {
    const i = incident();
    await store.create(i);
    expect(await store.linkAlert(i.id, alert('evt-1'))).toBe(true);
    expect(await store.linkAlert(i.id, alert('evt-1'))).toBe(false);
    expect(await store.linkAlert(i.id, alert('evt-2'))).toBe(true);
    const alerts = await store.alerts(i.id);
    expect(alerts.map((a) => a.sourceEventId).sort()).toEqual(['evt-1', 'evt-2']);
    expect(alerts[0].raw).toEqual(alert('x').raw);
  });

  it('keeps a raw payload deeper than DynamoDB nests maps, and reads payloads stored as maps before', async () => {
    const i = incident();
    await store.create(i);
    let deep: unknown = { bottom: true };
    for (let level = 0; level < 40; level++) deep = { level, inner: deep };
    expect(await store.linkAlert(i.id, { ...alert('evt-deep'), raw: deep })).toBe(true);
    // An item from before payloads were kept as text: the payload is a map under `raw`.
    await db.doc.send(
      new PutCommand({
        TableName: db.tableName,
        Item: { ...keys.alert(i.id, 'cloudwatch-eventbridge', 'evt-old'), ...alert('evt-old') },
      }),
    );
    const byId = Object.fromEntries((await store.alerts(i.id)).map((a) => [a.sourceEventId, a.raw]));
    expect(byId['evt-deep']).toEqual(deep);
    expect(byId['evt-old']).toEqual(alert('evt-old').raw);
  });

  it('reads which incidents are open and which alerts are linked in one batch read, past 100 keys', async () => {
    const open = incident();
    const closed = incident({ status: 'RESOLVED' });
    await Promise.all([store.create(open), store.create(closed)]);
    await store.linkAlert(open.id, alert('evt-linked'));
    const joins = [
      { incidentId: open.id, alert: alert('evt-linked') },
      { incidentId: open.id, alert: alert('evt-linked') }, // the same key twice in one read
      { incidentId: closed.id, alert: alert('evt-new') },
      { incidentId: 'inc-missing', alert: alert('evt-new') },
      ...Array.from({ length: 120 }, (_, k) => ({ incidentId: open.id, alert: alert(`evt-more-${k}`) })),
    ];
    const state = await store.joinState(joins);
    expect(state.linked.slice(0, 4)).toEqual([true, true, false, false]);
    expect(state.linked.slice(4).every((l) => !l)).toBe(true);
    expect(state.incidents.get(open.id)?.status).toBe('TRIAGE');
    expect(state.incidents.get(closed.id)?.status).toBe('RESOLVED');
    expect(state.incidents.has('inc-missing')).toBe(false);
  });

  it('links joined alerts in batches, once per alert however often written, and shows them on the timeline', async () => {
    const i = incident();
    await store.create(i);
    await store.appendEvent(i.id, {
      at: '2026-11-20T10:04:00.000Z',
      type: 'detected',
      actor: 'ingest',
      text: 'alarm',
    });
    const at1 = '2026-11-20T10:05:00.000Z';
    const at2 = '2026-11-20T10:06:00.000Z';
    const first = Array.from({ length: 30 }, (_, k) => ({
      incidentId: i.id,
      alert: alert(`evt-${k}`),
      kind: 'repeat' as const,
      at: at1,
    }));
    await store.linkJoined([...first, first[0]]);
    // A redelivery written again in another process: the same item, now joined later.
    await store.linkJoined([
      { ...first[1], at: at2 },
      {
        incidentId: i.id,
        alert: { ...alert('evt-grp'), title: 'checkout-latency' },
        kind: 'grouped',
        at: at2,
      },
    ]);
    expect(await store.countLinkedAlerts(i.id)).toBe(31);
    expect((await store.alerts(i.id)).find((a) => a.sourceEventId === 'evt-0')?.raw).toEqual(
      alert('evt-0').raw,
    );
    const timeline = await store.timeline(i.id);
    expect(timeline.map((e) => [e.at, e.type])).toEqual([
      ['2026-11-20T10:04:00.000Z', 'detected'],
      [at1, 'alert-repeat'],
      [at2, 'alert-grouped'],
      [at2, 'alert-repeat'],
    ]);
    const named = timeline.flatMap(
      (e) => (e.data as { alerts?: Array<{ sourceEventId: string }> })?.alerts ?? [],
    );
    expect(named.map((a) => a.sourceEventId).sort()).toEqual(
      [...first.map((f) => f.alert.sourceEventId), 'evt-grp'].sort(),
    );
    expect(timeline[1].text).toBe('29 repeat alerts: checkout-alb-5xx-high');
    // The timeline names alerts; the raw payloads stay on the linked alert items.
    expect(JSON.stringify(timeline)).not.toContain('nested');
  });

  it('lists incidents newest first through the status index', async () => {
    const a = incident({ status: 'RESOLVED', detectedAt: '2026-11-21T08:00:00.000Z' });
    const b = incident({ status: 'ACTIVE', detectedAt: '2026-11-21T09:00:00.000Z' });
    await store.create(a);
    await store.create(b);
    const all = await store.list();
    expect(all.findIndex((x) => x.id === b.id)).toBeLessThan(all.findIndex((x) => x.id === a.id));
    const resolved = await store.list({ statuses: ['RESOLVED'] });
    expect(resolved.map((x) => x.id)).toContain(a.id);
    expect(resolved.every((x) => x.status === 'RESOLVED')).toBe(true);
  });

  it('pages through the index to honour the limit, newest first', async () => {
    const ids: string[] = [];
    for (let k = 0; k < 7; k++) {
      const i = incident({ status: 'CANCELLED', detectedAt: `2026-11-22T0${k}:00:00.000Z` });
      ids.push(i.id);
      await store.create(i);
    }
    const newest = await store.list({ statuses: ['CANCELLED'], limit: 5 });
    expect(newest.map((i) => i.id)).toEqual(ids.slice(2).reverse());
  });

  it('lets exactly one of many concurrent claims hold a fingerprint, until released', async () => {
    const expires = new Date(Date.now() + 3_600_000);
    const claims = await Promise.all(
      Array.from({ length: 25 }, (_, k) => store.claimFingerprint('fp-race', `inc-race-${k}`, expires)),
    );
    const winners = claims.filter((c) => c.claimed);
    expect(winners).toHaveLength(1);
    const holder = claims.find((c) => !c.claimed) as { incidentId: string };
    const winnerId = `inc-race-${claims.findIndex((c) => c.claimed)}`;
    expect(holder.incidentId).toBe(winnerId);
    await store.releaseFingerprint('fp-race', 'inc-someone-else');
    expect((await store.claimFingerprint('fp-race', 'inc-late', expires)).claimed).toBe(false);
    await store.releaseFingerprint('fp-race', winnerId);
    expect((await store.claimFingerprint('fp-race', 'inc-late', expires)).claimed).toBe(true);
  });

  it('treats an expired claim as free', async () => {
    const past = new Date(Date.now() - 1000);
    expect((await store.claimFingerprint('fp-old', 'inc-a', past)).claimed).toBe(true);
    expect((await store.claimFingerprint('fp-old', 'inc-b', new Date(Date.now() + 60_000))).claimed).toBe(
      true,
    );
  });

  it('consumes an approval token exactly once', async () => {
    const action = {
      kind: 'rollback' as const,
      target: 'checkout',
      params: { toVersion: 'v141' },
      rationale: '',
    };
    await store.putApprovalToken('inc-appr', {
      tokenHash: 'h1',
      taskToken: 'tt',
      action,
      expiresAt: '2030-01-01T00:00:00Z',
    });
    expect(await store.consumeApprovalToken('inc-appr', 'wrong', '2026-11-20T10:00:00Z')).toBe(false);
    const results = await Promise.all(
      [1, 2, 3].map(() => store.consumeApprovalToken('inc-appr', 'h1', '2026-11-20T10:00:00Z')),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect((await store.getApprovalToken('inc-appr'))?.usedAt).toBe('2026-11-20T10:00:00Z');
  });

  it('stores the approval record’s TTL as epoch seconds, so DynamoDB TTL can expire it', async () => {
    // DynamoDB TTL deletes only items whose TTL attribute is a Number (DynamoDB developer guide,
    // "Using time to live"): an ISO string there means the record is never removed.
    await store.putApprovalToken('inc-appr-ttl', {
      tokenHash: 'h2',
      taskToken: 'tt2',
      action: { kind: 'rollback', target: 'checkout', params: {}, rationale: '' },
      expiresAt: '2026-11-20T10:15:00.000Z',
    });
    const raw = await db.doc.send(
      new GetCommand({ TableName: db.tableName, Key: keys.approval('inc-appr-ttl') }),
    );
    const ttl = raw.Item?.[TABLE.ttlAttribute];
    expect(typeof ttl).toBe('number');
    // A week after the approval itself expires.
    expect(ttl).toBe(Date.parse('2026-11-20T10:15:00.000Z') / 1000 + 7 * 86_400);
    expect((await store.getApprovalToken('inc-appr-ttl'))?.expiresAt).toBe('2026-11-20T10:15:00.000Z');
  });
});
