import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoIncidentStore } from '../../../adapters/aws/store/dynamo-store.js';
import { keys } from '../../../adapters/aws/store/table.js';
import { type EmbeddedDynamoDB, localClients } from '../../../adapters/embedded/dynamodb.js';
import { normalizeDelivery } from '../../../domain/alerts/normalize.js';
import { ManualClock } from '../../../domain/clock.js';
import { type Engine, RecordingEngine } from '../../../domain/ingest/engine.js';
import { Ingestor } from '../../../domain/ingest/ingest.js';
import { parseIngestOptions } from '../../../domain/ingest/options.js';
import { planIngest } from '../../../domain/ingest/plan.js';
import { anIncident } from '../../support/incidents.js';
import { startTestStore } from '../../support/store.js';
import { alarmEvent, type Doc, fixture, pagerDutyEvent, variant } from './fixtures.js';

let db: EmbeddedDynamoDB;
let store: DynamoIncidentStore;

beforeAll(async () => {
  ({ db, store } = await startTestStore());
});
afterAll(async () => db.close());

/** Claims live on wall time (DynamoDB TTL), so the test clock starts now and is moved forward. */
const clock = new ManualClock(new Date());
const options = parseIngestOptions({ groupWindowMinutes: 15 });

/** One Ingestor per simulated Lambda container: they share only the store. */
function container(engine: Engine = new RecordingEngine(), over: Record<string, unknown> = {}) {
  return new Ingestor({ store, clock, engine, options: { ...options, ...over } });
}
const deliver = (ingestor: Ingestor, payload: Doc) =>
  ingestor.ingest(normalizeDelivery(payload, { receivedAt: clock.now().toISOString() }));

let n = 0;
/** A fresh alarm (and service) name per test, so tests sharing the table never meet. */
const fresh = (what: string) => `${what}-${++n}-${Date.now().toString(36)}`;
/** An alarm event of its own service unless one is given: grouping only where a test asks for it. */
const evt = (o: Parameters<typeof alarmEvent>[0]) => alarmEvent({ service: fresh('svc'), ...o });

async function snapshot(incidentId: string) {
  return {
    incident: await store.get(incidentId),
    timeline: await store.timeline(incidentId),
    alerts: await store.alerts(incidentId),
  };
}

describe('firing alerts: start, join, dedup', () => {
  it('starts an incident and its execution for the first ALARM, named after the incident', async () => {
    const engine = new RecordingEngine();
    const alarm = fresh('alarm');
    const result = await deliver(
      container(engine),
      evt({ id: fresh('evt'), alarm, service: 'checkout-api' }),
    );
    expect(result.decision).toBe('start');
    const id = result.incidentId as string;
    expect(engine.starts).toEqual([id]);
    expect(result.executionArn).toMatch(new RegExp(`:execution:firebreak-incident-response:${id}$`));
    const { incident, timeline, alerts } = await snapshot(id);
    expect(incident).toMatchObject({
      status: 'TRIAGE',
      title: alarm,
      service: 'checkout-api',
    });
    expect(incident?.executionArn).toBe(result.executionArn);
    expect(await store.countLinkedAlerts(id)).toBe(1);
    expect(timeline.map((e) => e.type)).toEqual(['detected']);
    expect(alerts).toHaveLength(1);
  });

  it('joins a repeat of the same alarm to the open incident and records it on the timeline', async () => {
    const engine = new RecordingEngine();
    const ingestor = container(engine);
    const alarm = fresh('alarm');
    const first = await deliver(ingestor, evt({ id: fresh('evt'), alarm }));
    const repeat = await deliver(ingestor, evt({ id: fresh('evt'), alarm }));
    expect(repeat).toMatchObject({ decision: 'join', incidentId: first.incidentId });
    expect(engine.starts).toHaveLength(1);
    const { timeline, alerts } = await snapshot(first.incidentId as string);
    expect(await store.countLinkedAlerts(first.incidentId as string)).toBe(2);
    expect(alerts).toHaveLength(2);
    expect(timeline.map((e) => e.type)).toEqual(['detected', 'alert-repeat']);
    expect(timeline[1].data).toMatchObject({
      alerts: [{ source: 'cloudwatch-eventbridge', fingerprint: expect.any(String) }],
    });
  });

  it('treats a redelivery of the same event id as a no-op, in this container and in another', async () => {
    const alarm = fresh('alarm');
    const event = evt({ id: fresh('evt'), alarm });
    const first = await deliver(container(), event);
    const before = await snapshot(first.incidentId as string);
    const again = await deliver(container(), event);
    expect(again).toMatchObject({ decision: 'ignore', incidentId: first.incidentId });
    expect(again.reason).toMatch(/redelivery/);
    expect(await snapshot(first.incidentId as string)).toEqual(before);
  });

  it('opens exactly one incident when two deliveries of the same alert race', async () => {
    const engines = [new RecordingEngine(), new RecordingEngine()];
    const event = evt({ id: fresh('evt'), alarm: fresh('alarm') });
    const results = await Promise.all(engines.map((e) => deliver(container(e), event)));
    expect(results.map((r) => r.decision).sort()).toEqual(['ignore', 'start']);
    expect(new Set(results.map((r) => r.incidentId)).size).toBe(1);
    expect(engines.flatMap((e) => e.starts)).toHaveLength(1);
    const { alerts, timeline } = await snapshot(results[0].incidentId as string);
    expect(alerts).toHaveLength(1);
    expect(await store.countLinkedAlerts(results[0].incidentId as string)).toBe(1);
    expect(timeline.map((e) => e.type)).toEqual(['detected']);
  });

  it('opens exactly one incident when many different deliveries of one alarm race across containers', async () => {
    const alarm = fresh('alarm');
    const engines = Array.from({ length: 4 }, () => new RecordingEngine());
    const ingestors = engines.map((e) => container(e));
    const events = Array.from({ length: 24 }, () => evt({ id: fresh('evt'), alarm }));
    const results = await Promise.all(events.map((e, i) => deliver(ingestors[i % 4], e)));
    const ids = new Set(results.map((r) => r.incidentId));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => r.decision === 'start')).toHaveLength(1);
    expect(engines.flatMap((e) => e.starts)).toHaveLength(1);
    const { alerts, timeline } = await snapshot([...ids][0] as string);
    expect(alerts).toHaveLength(24);
    expect(await store.countLinkedAlerts([...ids][0] as string)).toBe(24);
    // Joins that raced share timeline entries; every joined alert is named in one of them.
    const named = timeline.flatMap((e) => ((e.data as { alerts?: unknown[] })?.alerts ?? []) as unknown[]);
    expect(named).toHaveLength(23);
  });
});

describe('joins in group commits', () => {
  /** A store on its own client, counting the requests it sends. */
  function countingStore() {
    const { doc } = localClients(db.endpoint);
    const sent: string[] = [];
    doc.middlewareStack.add(
      (next, context) => (args) => {
        sent.push(context.commandName as string);
        return next(args);
      },
      { step: 'initialize', name: 'countRequests' },
    );
    return { store: new DynamoIncidentStore(doc, db.tableName), sent };
  }

  it('costs one batch read and one batch write for a lone join, as in a Lambda', async () => {
    const counted = countingStore();
    const ingestor = new Ingestor({ store: counted.store, clock, engine: new RecordingEngine(), options });
    const alarm = fresh('alarm');
    await deliver(ingestor, evt({ id: fresh('evt'), alarm }));
    counted.sent.length = 0;
    const repeat = await deliver(ingestor, evt({ id: fresh('evt'), alarm }));
    expect(repeat.decision).toBe('join');
    expect(counted.sent).toEqual(['BatchGetItemCommand', 'BatchWriteItemCommand']);
  });

  it('carries many concurrent joins to many incidents in a few requests, each alert linked once', async () => {
    const counted = countingStore();
    const ingestor = new Ingestor({ store: counted.store, clock, engine: new RecordingEngine(), options });
    const alarms = Array.from({ length: 10 }, () => fresh('alarm'));
    const opened = await Promise.all(
      alarms.map((alarm) => deliver(ingestor, evt({ id: fresh('evt'), alarm }))),
    );
    counted.sent.length = 0;
    const events = alarms.flatMap((alarm) =>
      Array.from({ length: 8 }, () => evt({ id: fresh('evt'), alarm })),
    );
    // Every event twice at once: the second of each pair is a redelivery, answered without a write.
    const results = await Promise.all([...events, ...events].map((e) => deliver(ingestor, e)));
    expect(results.filter((r) => r.decision === 'join')).toHaveLength(80);
    expect(results.filter((r) => r.decision === 'ignore')).toHaveLength(80);
    expect(counted.sent.length).toBeLessThanOrEqual(12);
    for (const o of opened) {
      const id = o.incidentId as string;
      expect(await store.countLinkedAlerts(id)).toBe(9);
      const named = (await store.timeline(id)).flatMap(
        (e) => ((e.data as { alerts?: unknown[] })?.alerts ?? []) as unknown[],
      );
      expect(named).toHaveLength(8);
    }
  });

  it('fails every delivery of a commit the store refused, and their retries link each alert once', async () => {
    let failures = 1;
    const flaky = Object.create(store) as DynamoIncidentStore;
    flaky.linkJoined = async (joins) => {
      if (failures-- > 0)
        throw Object.assign(new Error('throttled'), { name: 'ProvisionedThroughputExceededException' });
      return store.linkJoined(joins);
    };
    const ingestor = new Ingestor({ store: flaky, clock, engine: new RecordingEngine(), options });
    const alarm = fresh('alarm');
    const opened = await deliver(ingestor, evt({ id: fresh('evt'), alarm }));
    const events = Array.from({ length: 3 }, () => evt({ id: fresh('evt'), alarm }));
    const first = await Promise.allSettled(events.map((e) => deliver(ingestor, e)));
    expect(first.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    const id = opened.incidentId as string;
    expect(await store.countLinkedAlerts(id)).toBe(1);
    const retried = await Promise.all(events.map((e) => deliver(ingestor, e)));
    expect(retried.map((r) => r.decision)).toEqual(['join', 'join', 'join']);
    expect(await store.countLinkedAlerts(id)).toBe(4);
  });

  it('links a redelivery racing its original in another container once, named once on the timeline', async () => {
    const alarm = fresh('alarm');
    const opened = await deliver(container(), evt({ id: fresh('evt'), alarm }));
    const event = evt({ id: fresh('evt'), alarm });
    const raced = await Promise.all([deliver(container(), event), deliver(container(), event)]);
    // Both may say "join" (neither saw the other's write), but the store holds one linked alert.
    for (const r of raced) expect(r).toMatchObject({ incidentId: opened.incidentId });
    const id = opened.incidentId as string;
    expect(await store.countLinkedAlerts(id)).toBe(2);
    const named = (await store.timeline(id)).flatMap(
      (e) => ((e.data as { alerts?: unknown[] })?.alerts ?? []) as unknown[],
    );
    expect(named).toHaveLength(1);
  });
});

describe('grouping by service within the window', () => {
  it('joins a different alarm of the same service within the window, and starts anew after it', async () => {
    const service = fresh('svc');
    const ingestor = container();
    const first = await deliver(ingestor, evt({ id: fresh('evt'), alarm: fresh('a'), service }));
    clock.advance(10 * 60);
    const related = await deliver(ingestor, evt({ id: fresh('evt'), alarm: fresh('b'), service }));
    expect(related).toMatchObject({ decision: 'join', incidentId: first.incidentId });
    expect(related.reason).toMatch(/within the 15-minute window/);
    const other = await deliver(
      ingestor,
      evt({ id: fresh('evt'), alarm: fresh('c'), service: fresh('svc') }),
    );
    expect(other.decision).toBe('start');
    // The window slid with the grouped alert: 16 minutes after the first, 6 after the last.
    clock.advance(6 * 60);
    const stillRelated = await deliver(container(), evt({ id: fresh('evt'), alarm: fresh('d'), service }));
    expect(stillRelated).toMatchObject({ decision: 'join', incidentId: first.incidentId });
    clock.advance(16 * 60);
    const later = await deliver(container(), evt({ id: fresh('evt'), alarm: fresh('e'), service }));
    expect(later.decision).toBe('start');
    expect(later.incidentId).not.toBe(first.incidentId);
    const { timeline } = await snapshot(first.incidentId as string);
    expect(timeline.filter((e) => e.type === 'alert-grouped')).toHaveLength(2);
    expect(await store.countLinkedAlerts(first.incidentId as string)).toBe(3);
  });

  it('keeps the alerts of one Alertmanager group together and ignores its resolved alert', async () => {
    const group = variant('alertmanager-group', (d) => {
      for (const a of d.alerts) a.fingerprint = fresh('fp');
      for (const a of d.alerts) a.labels.service = fresh('svc');
    });
    const result = await deliver(container(), group);
    expect(result.outcomes.map((o) => o.decision)).toEqual(['start', 'join', 'ignore']);
    expect(result.outcomes[1].reason).toMatch(/same delivery/);
    expect(result.decision).toBe('start');
    expect(result.notes[0]).toMatch(/truncated/);
    const { alerts } = await snapshot(result.incidentId as string);
    expect(alerts).toHaveLength(2);
  });
});

describe('resolutions, acknowledgements and notes', () => {
  it('resolves when the alarm returns to OK, releases the fingerprint, and a new ALARM opens a new incident', async () => {
    const alarm = fresh('alarm');
    const ingestor = container();
    const opened = await deliver(ingestor, evt({ id: fresh('evt'), alarm, service: fresh('svc') }));
    clock.advance(60);
    const ok = await deliver(
      ingestor,
      evt({ id: fresh('evt'), alarm, state: 'OK', at: clock.now().toISOString() }),
    );
    expect(ok).toMatchObject({ decision: 'resolve', incidentId: opened.incidentId });
    const { incident, timeline } = await snapshot(opened.incidentId as string);
    expect(incident?.status).toBe('RESOLVED');
    expect(await store.countLinkedAlerts(opened.incidentId as string)).toBe(2);
    expect(timeline.at(-1)?.type).toBe('resolved');
    expect(await store.dedupClaim(`cloudwatch:210987654321:eu-west-1:${alarm}`)).toBeUndefined();
    const again = await deliver(ingestor, evt({ id: fresh('evt'), alarm, service: fresh('svc') }));
    expect(again.decision).toBe('start');
    expect(again.incidentId).not.toBe(opened.incidentId);
  });

  it('never lets a late redelivery of the event that opened a closed incident open another', async () => {
    const alarm = fresh('alarm');
    const service = fresh('svc');
    const first = evt({ id: fresh('evt'), alarm, service });
    const opened = await deliver(container(), first);
    await deliver(container(), evt({ id: fresh('evt'), alarm, state: 'OK', at: clock.now().toISOString() }));
    expect((await store.get(opened.incidentId as string))?.status).toBe('RESOLVED');
    const late = await deliver(container(), first);
    expect(late).toMatchObject({ decision: 'ignore', incidentId: opened.incidentId });
    expect(await store.dedupClaim(`cloudwatch:210987654321:eu-west-1:${alarm}`)).toBeUndefined();
    expect(await store.dedupClaim(`svc:${service}`)).toBeUndefined();
  });

  it('only records a recovery while other alerts of the incident still fire', async () => {
    const service = fresh('svc');
    const [a, b] = [fresh('a'), fresh('b')];
    const ingestor = container();
    const opened = await deliver(ingestor, evt({ id: fresh('evt'), alarm: a, service }));
    await deliver(ingestor, evt({ id: fresh('evt'), alarm: b, service }));
    clock.advance(60);
    const okA = await deliver(
      ingestor,
      evt({ id: fresh('evt'), alarm: a, state: 'OK', at: clock.now().toISOString() }),
    );
    expect(okA).toMatchObject({ decision: 'record', incidentId: opened.incidentId });
    expect((await store.get(opened.incidentId as string))?.status).toBe('TRIAGE');
    const okB = await deliver(
      ingestor,
      evt({ id: fresh('evt'), alarm: b, state: 'OK', at: clock.now().toISOString() }),
    );
    expect(okB.decision).toBe('resolve');
    expect((await store.get(opened.incidentId as string))?.status).toBe('RESOLVED');
  });

  it('leaves the all-clear to a running execution', async () => {
    const recording = new RecordingEngine();
    const running: Engine = { start: (id) => recording.start(id), running: async () => true };
    const alarm = fresh('alarm');
    const ingestor = container(running);
    const opened = await deliver(ingestor, evt({ id: fresh('evt'), alarm }));
    const ok = await deliver(
      ingestor,
      evt({ id: fresh('evt'), alarm, state: 'OK', at: clock.now().toISOString() }),
    );
    expect(ok.decision).toBe('resolve');
    expect(ok.reason).toMatch(/running execution confirms/);
    const { incident, timeline } = await snapshot(opened.incidentId as string);
    expect(incident?.status).toBe('TRIAGE');
    expect(timeline.at(-1)?.type).toBe('alert-resolved');
  });

  it('records INSUFFICIENT_DATA on the open incident and ignores it when none is open', async () => {
    const alarm = fresh('alarm');
    const lonely = await deliver(container(), evt({ id: fresh('evt'), alarm, state: 'INSUFFICIENT_DATA' }));
    expect(lonely.decision).toBe('ignore');
    expect(lonely.reason).toMatch(/INSUFFICIENT_DATA is recorded, not paged; no open incident/);
    const opened = await deliver(container(), evt({ id: fresh('evt'), alarm }));
    const noted = await deliver(container(), evt({ id: fresh('evt'), alarm, state: 'INSUFFICIENT_DATA' }));
    expect(noted).toMatchObject({ decision: 'record', incidentId: opened.incidentId });
    const { timeline, incident } = await snapshot(opened.incidentId as string);
    expect(timeline.at(-1)).toMatchObject({
      type: 'alert-note',
      text: expect.stringContaining('INSUFFICIENT_DATA'),
    });
    expect(incident?.status).toBe('TRIAGE');
  });

  it('follows a PagerDuty incident: triggered starts, acknowledged stamps, notes record, resolved resolves', async () => {
    const pd = fresh('Q');
    const withIncident = (doc: Doc) => {
      const d = doc as { event: { data: { id?: string; incident?: { id: string } } } };
      if (d.event.data.incident) d.event.data.incident.id = pd;
      else d.event.data.id = pd;
      return doc;
    };
    const ingestor = container();
    const triggered = await deliver(ingestor, withIncident(pagerDutyEvent('incident.triggered', fresh('E'))));
    expect(triggered.decision).toBe('start');
    const ack = await deliver(ingestor, withIncident(pagerDutyEvent('incident.acknowledged', fresh('E'))));
    expect(ack).toMatchObject({ decision: 'record', incidentId: triggered.incidentId });
    expect((await store.get(triggered.incidentId as string))?.acknowledgedAt).toBe(
      '2026-11-20T10:07:00.000Z',
    );
    const note = await deliver(ingestor, withIncident(fixture('pagerduty-note')));
    expect(note.decision).toBe('record');
    const resolved = await deliver(ingestor, withIncident(pagerDutyEvent('incident.resolved', fresh('E'))));
    expect(resolved.decision).toBe('resolve');
    const { incident, timeline } = await snapshot(triggered.incidentId as string);
    expect(incident?.status).toBe('RESOLVED');
    expect(timeline.map((e) => e.type)).toEqual(['detected', 'acknowledged', 'alert-note', 'resolved']);
  });
});

describe('failures and abandoned claims', () => {
  it('routes a repeat afresh when its cached incident was closed by another process', async () => {
    const alarm = fresh('alarm');
    const ingestor = container(); // caches its routing for routeCacheMs
    const opened = await deliver(ingestor, evt({ id: fresh('evt'), alarm }));
    // The flow's Resolve phase, in another Lambda: resolve, release the fingerprint.
    await store.update(opened.incidentId as string, {
      status: 'RESOLVED',
      resolvedAt: clock.now().toISOString(),
    });
    await store.releaseFingerprint(`cloudwatch:210987654321:eu-west-1:${alarm}`, opened.incidentId as string);
    const repeat = await deliver(ingestor, evt({ id: fresh('evt'), alarm }));
    expect(repeat.decision).toBe('start');
    expect(repeat.incidentId).not.toBe(opened.incidentId);
    // The closed incident keeps only its own alert; the repeat went to the new one.
    expect(await store.countLinkedAlerts(opened.incidentId as string)).toBe(1);
    expect(await store.countLinkedAlerts(repeat.incidentId as string)).toBe(1);
  });

  it('starts the execution on the source retry when the first start failed', async () => {
    let calls = 0;
    const flaky: Engine = {
      start: async (id) => {
        calls++;
        if (calls === 1) throw Object.assign(new Error('throttled'), { name: 'ThrottlingException' });
        return { executionArn: `arn:aws:states:eu-west-1:1:execution:sm:${id}`, started: true };
      },
      running: async () => false,
    };
    const event = evt({ id: fresh('evt'), alarm: fresh('alarm') });
    const warm = container(flaky); // the retry lands on the same warm container
    await expect(deliver(warm, event)).rejects.toThrow('throttled');
    const retry = await deliver(warm, event);
    expect(retry.decision).toBe('ignore');
    expect(calls).toBe(2);
    expect((await store.get(retry.incidentId as string))?.executionArn).toMatch(/:execution:sm:inc-/);
  });

  it('takes over a claim whose incident was never written once the claim is older than the lease', async () => {
    const alarm = fresh('alarm');
    const fingerprint = `cloudwatch:210987654321:eu-west-1:${alarm}`;
    await db.doc.send(
      new PutCommand({
        TableName: db.tableName,
        Item: {
          ...keys.dedup(fingerprint),
          incidentId: 'inc-ghost',
          claimedAt: new Date(Date.now() - 120_000).toISOString(),
          expiresAt: Math.floor(Date.now() / 1000) + 3600,
        },
      }),
    );
    const result = await deliver(container(), evt({ id: fresh('evt'), alarm }));
    expect(result.decision).toBe('start');
    expect((await store.dedupClaim(fingerprint))?.incidentId).toBe(result.incidentId);
  });

  it('waits for an incident whose claim was just made instead of taking it over', async () => {
    const alarm = fresh('alarm');
    const fingerprint = `cloudwatch:210987654321:eu-west-1:${alarm}`;
    const id = `inc-${fresh('soon')}`;
    // Another container has claimed the fingerprint and is about to write the incident.
    expect((await store.claimFingerprint(fingerprint, id, new Date(Date.now() + 3_600_000))).claimed).toBe(
      true,
    );
    const repeat = deliver(container(), evt({ id: fresh('evt'), alarm }));
    await new Promise((r) => setTimeout(r, 60));
    await store.create(
      anIncident({
        id,
        title: alarm,
        service: undefined,
        services: [],
        fingerprint,
        source: 'cloudwatch-eventbridge',
        detectedAt: clock.now().toISOString(),
        updatedAt: clock.now().toISOString(),
      }),
    );
    expect(await repeat).toMatchObject({ decision: 'join', incidentId: id });
    expect(await store.countLinkedAlerts(id)).toBe(1);
  });
});

describe('dry run', () => {
  it('plans the same decisions from reads alone and writes nothing', async () => {
    const alarm = fresh('alarm');
    const now = clock.now();
    const plan = (payload: Doc) =>
      planIngest({ store, now, options }, normalizeDelivery(payload, { receivedAt: now.toISOString() }));
    const event = evt({ id: fresh('evt'), alarm });
    expect((await plan(event)).decision).toBe('start');
    expect(await store.dedupClaim(`cloudwatch:210987654321:eu-west-1:${alarm}`)).toBeUndefined();
    const opened = await deliver(container(), event);
    expect(await plan(event)).toMatchObject({ decision: 'ignore' });
    expect(await plan(evt({ id: fresh('evt'), alarm }))).toMatchObject({
      decision: 'join',
      incidentId: opened.incidentId,
    });
    expect((await plan(evt({ id: fresh('evt'), alarm, state: 'OK' }))).decision).toBe('resolve');
    const before = await snapshot(opened.incidentId as string);
    await plan(evt({ id: fresh('evt'), alarm, state: 'INSUFFICIENT_DATA' }));
    expect(await snapshot(opened.incidentId as string)).toEqual(before);
  });
});
