/**
 * Alerts that fit the body limit but not DynamoDB's item or key limits are stored anyway (cut, with
 * the cut marked, or hashed), never answered 503 "retry" forever; one alert that cannot be stored
 * fails alone; an incident whose opening write or execution start failed does not hold its claims
 * for a response that never runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoIncidentStore } from '../../../adapters/aws/store/dynamo-store.js';
import type { EmbeddedDynamoDB } from '../../../adapters/embedded/dynamodb.js';
import { boundAlert, KEY_PART_CHARS, MAX_ALERT_BYTES } from '../../../domain/alerts/bound.js';
import { normalizeDelivery } from '../../../domain/alerts/normalize.js';
import { ManualClock } from '../../../domain/clock.js';
import { RecordingEngine } from '../../../domain/ingest/engine.js';
import { Ingestor } from '../../../domain/ingest/ingest.js';
import { MemoryMetrics } from '../../../domain/ingest/metrics.js';
import { parseIngestOptions } from '../../../domain/ingest/options.js';
import type { IncidentStore } from '../../../domain/ports.js';
import { createIngestHandler } from '../../../lambdas/ingest/index.js';
import { startTestStore } from '../../support/store.js';
import { alarmEvent, type Doc, variant } from './fixtures.js';

const TOKEN = 'am-token-0123456789abcdef';
let db: EmbeddedDynamoDB;
let store: DynamoIncidentStore;
beforeAll(async () => {
  ({ db, store } = await startTestStore());
});
afterAll(async () => db.close());

const clock = new ManualClock(new Date());
const options = parseIngestOptions({});
let n = 0;
const fresh = (what: string) => `${what}-${++n}-${Date.now().toString(36)}`;

function handler(s: IncidentStore = store, engine = new RecordingEngine()) {
  return createIngestHandler({
    ingestor: new Ingestor({ store: s, clock, engine, options }),
    store: s,
    clock,
    options,
    secrets: async () => ({ alertmanager: [TOKEN], grafana: [TOKEN] }),
    metrics: new MemoryMetrics(),
    confirmSubscription: async () => 'confirmed',
    log: () => undefined,
  });
}

const post = (path: string, body: string) => ({
  version: '2.0',
  routeKey: '$default',
  rawPath: path,
  rawQueryString: '',
  headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
  requestContext: { http: { method: 'POST', path }, requestId: 'r-1' },
  body,
  isBase64Encoded: false,
});

async function send(path: string, doc: Doc, h = handler()) {
  const res = (await h(post(path, JSON.stringify(doc)))) as { statusCode: number; body: string };
  return { status: res.statusCode, body: JSON.parse(res.body) };
}

// biome-ignore lint/suspicious/noExplicitAny: a test edits a fixture's nested fields freely.
type Editable = Record<string, any>;

const alertmanager = (edit: (d: Editable) => void) =>
  variant('alertmanager-group', (d) => {
    const service = fresh('svc');
    d.groupKey = fresh('group');
    for (const a of d.alerts) {
      a.labels.service = service;
      a.fingerprint = fresh('fp');
    }
    edit(d);
  });

describe('alerts within the body limit but beyond DynamoDB limits', () => {
  it('a 205 KB Alertmanager description: stored, cut with the cut marked', async () => {
    const long = 'x'.repeat(205 * 1024);
    const doc = alertmanager((d) => {
      d.alerts[0].annotations.description = long;
    });
    expect(Buffer.byteLength(JSON.stringify(doc))).toBeLessThan(256 * 1024);
    const res = await send('/webhooks/alertmanager', doc);
    expect(res.status).toBe(200);
    expect(res.body.decision).toBe('start');
    expect(res.body.alerts).toHaveLength((doc.alerts as unknown[]).length);
    const alerts = await store.alerts(res.body.incidentId);
    const cut = alerts.find((a) => a.description.includes('[cut:'));
    expect(cut?.description.length).toBeLessThanOrEqual(8_000);
    expect(JSON.stringify(cut?.raw)).toContain('"truncated":true');
  });

  it('a 240,000-character Grafana ruleUrl: stored, the link cut', async () => {
    const doc = {
      ruleId: fresh('rule'),
      ruleName: 'HugeRuleUrl',
      state: 'alerting',
      title: '[Alerting] HugeRuleUrl',
      ruleUrl: `https://grafana.example.com/${'a'.repeat(240_000)}`,
      evalMatches: [{ metric: 'x', value: 1, tags: { service: fresh('svc') } }],
    };
    const res = await send('/webhooks/grafana', doc);
    expect(res.status).toBe(200);
    const [alert] = await store.alerts(res.body.incidentId);
    expect(alert.links.join('').length).toBeLessThanOrEqual(8_000);
    expect(alert.links[0]).toContain('[cut: ');
  });

  it('a 3,000-character id and fingerprint: hashed into the key, and a repeat still joins', async () => {
    const id = `id-${fresh('x')}-${'k'.repeat(3_000)}`;
    const first = alertmanager((d) => {
      d.alerts = [d.alerts[0]];
      d.alerts[0].fingerprint = id;
    });
    const res = await send('/webhooks/alertmanager', first);
    expect(res.status).toBe(200);
    expect(res.body.decision).toBe('start');
    const again = structuredClone(first) as Editable;
    again.alerts[0].startsAt = '2026-11-20T11:00:00.000Z';
    const repeat = await send('/webhooks/alertmanager', again);
    expect(repeat.status).toBe(200);
    expect(repeat.body.incidentId).toBe(res.body.incidentId);
    const alerts = await store.alerts(res.body.incidentId);
    expect(alerts.every((a) => a.fingerprint.length < KEY_PART_CHARS)).toBe(true);
  });

  it('an alarm name with a lone UTF-16 surrogate: accepted, stored well-formed, and its repeat joins', async () => {
    const alarm = `${fresh('alarm')}-\ud83d-broken`;
    const h = handler();
    const first = (await h(alarmEvent({ id: fresh('evt'), alarm, service: fresh('svc') }))) as {
      decision: string;
      incidentId: string;
    };
    expect(first.decision).toBe('start');
    const incident = await store.get(first.incidentId);
    expect(incident?.title).toContain('\ufffd-broken');
    const second = (await h(alarmEvent({ id: fresh('evt'), alarm }))) as { incidentId: string };
    expect(second.incidentId).toBe(first.incidentId);
  });

  it('2,000 labels: the first are kept up to the cap, the rest counted', async () => {
    const res = await send(
      '/webhooks/alertmanager',
      alertmanager((d) => {
        d.alerts[0].labels = Object.fromEntries(
          Array.from({ length: 2_000 }, (_, i) => [`label_${i}`, 'v'.repeat(100)]),
        );
      }),
    );
    expect(res.status).toBe(200);
    const stored = await store.alerts(res.body.incidentId);
    const labelled = stored.find((a) => a.labels['firebreak.cut']);
    expect(labelled?.labels['firebreak.cut']).toMatch(/^\d+ more labels not kept$/);
  });

  it('every field at its cap, in 4-byte characters, still fits one item: the bound holds by construction', () => {
    const wide = '\u{1F525}'.repeat(200_000);
    const [alert] = normalizeDelivery(
      alertmanager(() => undefined),
      { source: 'alertmanager', receivedAt: new Date().toISOString() },
    ).alerts;
    const worst = {
      ...alert,
      sourceEventId: wide,
      fingerprint: wide,
      service: wide,
      title: wide,
      description: wide,
      resources: Array.from({ length: 100 }, () => wide.slice(0, 5_000)),
      links: Array.from({ length: 100 }, () => wide.slice(0, 5_000)),
      labels: Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`${i}${wide.slice(0, 500)}`, wide])),
      raw: { text: wide },
    };
    const bounded = boundAlert(worst);
    expect(Buffer.byteLength(JSON.stringify(bounded))).toBeLessThan(MAX_ALERT_BYTES);
    expect(Buffer.byteLength(bounded.fingerprint)).toBeLessThan(1024);
  });
});

describe('one bad alert in a batch', () => {
  it('fails alone: the other joins committed with it are linked', async () => {
    const alarm = fresh('alarm');
    const poisoned = new Set<string>();
    const picky = Object.create(store) as DynamoIncidentStore;
    picky.linkJoined = async (joins) => {
      if (joins.some((j) => poisoned.has(j.alert.sourceEventId)))
        throw Object.assign(new Error('Item size has exceeded the maximum allowed size'), {
          name: 'ValidationException',
        });
      return store.linkJoined(joins);
    };
    const ingestor = new Ingestor({ store: picky, clock, engine: new RecordingEngine(), options });
    const deliver = (doc: Doc) =>
      ingestor.ingest(normalizeDelivery(doc, { receivedAt: clock.now().toISOString() }));
    const opened = await deliver(alarmEvent({ id: fresh('evt'), alarm, service: fresh('svc') }));
    const ids = Array.from({ length: 8 }, () => fresh('evt'));
    poisoned.add(ids[3]);
    const results = await Promise.allSettled(ids.map((id) => deliver(alarmEvent({ id, alarm }))));
    expect(results.map((r) => r.status)).toEqual(ids.map((id) => (id === ids[3] ? 'rejected' : 'fulfilled')));
    expect(await store.countLinkedAlerts(opened.incidentId as string)).toBe(8);
  });
});

describe('an incident whose opening failed', () => {
  it('releases its claims when the incident record could not be written: the retry opens one', async () => {
    let fail = true;
    const flaky = Object.create(store) as DynamoIncidentStore;
    flaky.create = async (incident) => {
      if (fail) {
        fail = false;
        throw Object.assign(new Error('throttled'), { name: 'ProvisionedThroughputExceededException' });
      }
      return store.create(incident);
    };
    const alarm = fresh('alarm');
    const event = alarmEvent({ id: fresh('evt'), alarm, service: fresh('svc') });
    const h = handler(flaky);
    await expect(h(event)).rejects.toThrow('throttled');
    const [alert] = normalizeDelivery(event, { receivedAt: clock.now().toISOString() }).alerts;
    expect(await store.dedupClaim(alert.fingerprint)).toBeUndefined();
    const retried = (await h(event)) as { decision: string };
    expect(retried.decision).toBe('start');
  });

  it('is started by the next alert once its opener is past the lease, when its own start failed', async () => {
    const engine = new RecordingEngine();
    let fail = true;
    const broken = Object.create(engine) as RecordingEngine;
    broken.start = async (id) => {
      if (fail) {
        fail = false;
        throw Object.assign(new Error('Step Functions unavailable'), { name: 'ServiceUnavailable' });
      }
      return engine.start(id);
    };
    const h = handler(store, broken);
    const alarm = fresh('alarm');
    const event = alarmEvent({ id: fresh('evt'), alarm, service: fresh('svc') });
    await expect(h(event)).rejects.toThrow('unavailable');
    // The source never retries that event; a different alert of the same alarm arrives later.
    clock.advance(options.claimLeaseSeconds + 1);
    const later = (await h(alarmEvent({ id: fresh('evt'), alarm }))) as {
      decision: string;
      incidentId: string;
      executionArn: string | null;
    };
    expect(later.decision).toBe('join');
    expect(later.executionArn).toContain(later.incidentId);
    expect(engine.starts).toEqual([later.incidentId]);
    expect((await store.get(later.incidentId))?.executionArn).toBe(later.executionArn);
  });
});
