import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DynamoIncidentStore } from '../../../adapters/aws/store/dynamo-store.js';
import type { EmbeddedDynamoDB } from '../../../adapters/embedded/dynamodb.js';
import type { SnsHandshake } from '../../../domain/alerts/delivery.js';
import { systemClock } from '../../../domain/clock.js';
import { RecordingEngine } from '../../../domain/ingest/engine.js';
import { Ingestor } from '../../../domain/ingest/ingest.js';
import { MemoryMetrics } from '../../../domain/ingest/metrics.js';
import { parseIngestOptions } from '../../../domain/ingest/options.js';
import type { IncidentStore } from '../../../domain/ports.js';
import { createIngestHandler, type IngestHandlerDeps } from '../../../lambdas/ingest/index.js';
import { startTestStore } from '../../support/store.js';
import { alarmEvent, fixture, fixtureText, variant } from './fixtures.js';

const SECRETS = {
  pagerduty: ['pd-signing-secret-0123456789'],
  alertmanager: ['am-token-0123456789abcdef'],
  grafana: ['grafana-hmac-secret-0123456789'],
  sns: ['sns-basic-token-0123456789'],
};

let db: EmbeddedDynamoDB;
let store: DynamoIncidentStore;
beforeAll(async () => {
  ({ db, store } = await startTestStore());
});
afterAll(async () => db.close());

let metrics: MemoryMetrics;
let engine: RecordingEngine;
let handshakes: SnsHandshake[];
const clock = systemClock;

function deps(over: Partial<IngestHandlerDeps> = {}): IngestHandlerDeps {
  const options = parseIngestOptions({ snsTopicArns: ['arn:aws:sns:us-west-2:345678901234:ops-alarms'] });
  const s = (over.store ?? store) as IncidentStore;
  return {
    ingestor: new Ingestor({ store: s, clock, engine, options }),
    store: s,
    clock,
    options,
    secrets: async () => SECRETS,
    metrics,
    confirmSubscription: async (h) => {
      handshakes.push(h);
      return `confirmed ${h.topicArn}`;
    },
    log: () => undefined,
    ...over,
  };
}

beforeEach(() => {
  metrics = new MemoryMetrics();
  engine = new RecordingEngine();
  handshakes = [];
});

const hmac = (key: string, body: string) => createHmac('sha256', key).update(body).digest('hex');

/** A Lambda Function URL event (payload 2.0). */
function urlEvent(
  path: string,
  body: string,
  headers: Record<string, string> = {},
  over: Record<string, unknown> = {},
) {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
    headers: { 'content-type': 'application/json', ...headers },
    requestContext: { http: { method: 'POST', path }, requestId: 'r-1' },
    body,
    isBase64Encoded: false,
    ...over,
  };
}

let seq = 0;
/** The PagerDuty fixture as a fresh event about a fresh PagerDuty incident, as raw text. */
function pagerDutyBody(): string {
  seq++;
  return JSON.stringify(
    variant('pagerduty-triggered', (d) => {
      d.event.id = `01HZTEST${Date.now()}${seq}`;
      d.event.data.id = `QTEST${Date.now()}${seq}`;
      d.event.data.service.summary = `svc-pd-${seq}`;
    }),
  );
}
const pdSigned = (body: string, secret = SECRETS.pagerduty[0]) => ({
  'x-pagerduty-signature': `v1=${hmac(secret, body)}`,
});

type Answer = { statusCode: number; headers: Record<string, string>; body: string };
async function post(handle: (e: unknown) => Promise<unknown>, event: unknown) {
  const res = (await handle(event)) as Answer;
  return {
    status: res.statusCode,
    body: JSON.parse(res.body) as Record<string, unknown>,
    headers: res.headers,
  };
}

describe('HTTP webhooks', () => {
  it('ingests a signed PagerDuty delivery and refuses its replay without writing anything', async () => {
    const handle = createIngestHandler(deps());
    const body = pagerDutyBody();
    const first = await post(handle, urlEvent('/webhooks/pagerduty', body, pdSigned(body)));
    expect(first).toMatchObject({ status: 200, body: { decision: 'start' } });
    const incidentId = first.body.incidentId as string;
    const before = { incident: await store.get(incidentId), timeline: await store.timeline(incidentId) };
    const replay = await post(handle, urlEvent('/webhooks/pagerduty', body, pdSigned(body)));
    expect(replay.status).toBe(200);
    expect(replay.body).toMatchObject({ decision: 'ignore' });
    expect(replay.body.reason).toMatch(/^replay: pagerduty-v3 delivery .* already processed/);
    expect({ incident: await store.get(incidentId), timeline: await store.timeline(incidentId) }).toEqual(
      before,
    );
    expect(metrics.counts).toMatchObject({ 'decided.start': 1, 'rejected.replay': 1 });
    expect(engine.starts).toEqual([incidentId]);
  });

  it('refuses a wrong, missing or unconfigured signature with 401, writing nothing', async () => {
    const handle = createIngestHandler(deps());
    const body = pagerDutyBody();
    const pd = JSON.parse(body).event.data.id as string;
    const wrong = await post(
      handle,
      urlEvent('/webhooks/pagerduty', body, pdSigned(body, 'not-the-secret-000000')),
    );
    expect(wrong).toMatchObject({ status: 401, body: { error: 'bad-signature' } });
    const missing = await post(handle, urlEvent('/webhooks/pagerduty', body));
    expect(missing).toMatchObject({ status: 401, body: { error: 'missing-signature' } });
    const unconfigured = await post(
      createIngestHandler(deps({ secrets: async () => ({}) })),
      urlEvent('/webhooks/pagerduty', body, pdSigned(body)),
    );
    expect(unconfigured).toMatchObject({ status: 401, body: { error: 'not-configured' } });
    expect(await store.dedupClaim(`pagerduty:${pd}`)).toBeUndefined();
    expect(metrics.counts).toMatchObject({
      'rejected.bad-signature': 1,
      'rejected.missing-signature': 1,
      'rejected.not-configured': 1,
    });
  });

  it('answers 413 for a body over 256 KB before looking at anything else', async () => {
    const big = JSON.stringify({ padding: 'x'.repeat(256 * 1024) });
    const res = await post(createIngestHandler(deps()), urlEvent('/webhooks/pagerduty', big));
    expect(res).toMatchObject({ status: 413, body: { error: 'body-too-large' } });
    expect(String(res.body.reason)).toMatch(/limit is 262144/);
  });

  it('answers 400 for invalid JSON and for shapes it does not ingest, naming the reason', async () => {
    const handle = createIngestHandler(deps());
    const notJson = '{"event": ';
    const bad = await post(handle, urlEvent('/webhooks/pagerduty', notJson, pdSigned(notJson)));
    expect(bad).toMatchObject({ status: 400, body: { error: 'invalid-json' } });
    const service = fixtureText('pagerduty-service-updated');
    const refused = await post(handle, urlEvent('/webhooks/pagerduty', service, pdSigned(service)));
    expect(refused).toMatchObject({ status: 400, body: { error: 'invalid-payload' } });
    expect(String(refused.body.reason)).toMatch(/service event/);
    const token = { authorization: `Bearer ${SECRETS.alertmanager[0]}` };
    const empty = await post(
      handle,
      urlEvent('/webhooks/alertmanager', '{"version":"4","alerts":[]}', token),
    );
    expect(empty).toMatchObject({ status: 400, body: { error: 'invalid-payload' } });
  });

  it('answers 404 and 405 for addresses and methods that are not webhooks', async () => {
    const handle = createIngestHandler(deps());
    expect(await post(handle, urlEvent('/webhooks/nagios', '{}'))).toMatchObject({
      status: 404,
      body: { error: 'not-found' },
    });
    const get = await post(
      handle,
      urlEvent('/webhooks/pagerduty', '', {}, { requestContext: { http: { method: 'GET' } } }),
    );
    expect(get).toMatchObject({
      status: 405,
      body: { error: 'method-not-allowed' },
      headers: { allow: 'POST' },
    });
  });

  it('authenticates Alertmanager by bearer or basic token and ingests the group', async () => {
    const handle = createIngestHandler(deps());
    const body = JSON.stringify(
      variant('alertmanager-group', (d) => {
        for (const a of d.alerts) a.fingerprint = `fp${Date.now()}${a.fingerprint}`;
        for (const a of d.alerts) a.labels.service = `svc-am-${Date.now()}`;
      }),
    );
    const basic = `Basic ${Buffer.from(`alertmanager:${SECRETS.alertmanager[0]}`).toString('base64')}`;
    const ok = await post(handle, urlEvent('/webhooks/alertmanager', body, { authorization: basic }));
    expect(ok).toMatchObject({ status: 200, body: { decision: 'start' } });
    expect((ok.body.alerts as unknown[]).length).toBe(3);
    expect(ok.body.notes).toEqual([expect.stringMatching(/truncated/)]);
    const wrong = await post(
      handle,
      urlEvent('/webhooks/alertmanager', body, { authorization: 'Bearer nope-nope-nope-nope' }),
    );
    expect(wrong).toMatchObject({ status: 401, body: { error: 'bad-token' } });
  });

  it('authenticates Grafana by HMAC, and reads a base64-encoded body', async () => {
    const body = JSON.stringify(
      variant('grafana-unified', (d) => {
        d.alerts[0].fingerprint = `g${Date.now()}`;
        d.alerts[0].labels.service = `svc-g-${Date.now()}`;
      }),
    );
    const event = urlEvent(
      '/webhooks/grafana',
      Buffer.from(body).toString('base64'),
      { 'x-grafana-alerting-signature': hmac(SECRETS.grafana[0], body) },
      { isBase64Encoded: true },
    );
    expect(await post(createIngestHandler(deps()), event)).toMatchObject({
      status: 200,
      body: { decision: 'start' },
    });
  });

  it('confirms an SNS subscription for an allowed topic through the port, and refuses other topics', async () => {
    const handle = createIngestHandler(deps());
    const auth = { authorization: `Basic ${Buffer.from(`sns:${SECRETS.sns[0]}`).toString('base64')}` };
    const res = await post(
      handle,
      urlEvent('/webhooks/sns', fixtureText('sns-subscription-confirmation'), auth),
    );
    expect(res).toMatchObject({
      status: 200,
      body: { decision: 'ignore', reason: expect.stringMatching(/^confirmed/) },
    });
    expect(handshakes).toEqual([
      expect.objectContaining({ type: 'SubscriptionConfirmation', token: expect.any(String) }),
    ]);
    const stranger = JSON.stringify(
      variant(
        'sns-subscription-confirmation',
        (d) => (d.TopicArn = 'arn:aws:sns:us-west-2:999999999999:evil'),
      ),
    );
    expect(await post(handle, urlEvent('/webhooks/sns', stranger, auth))).toMatchObject({
      status: 400,
      body: { error: 'topic-not-allowed' },
    });
    expect(handshakes).toHaveLength(1);
  });

  it('serves API Gateway REST (1.0) events the same way', async () => {
    const body = pagerDutyBody();
    const rest = {
      httpMethod: 'POST',
      path: '/prod/webhooks/pagerduty',
      headers: { 'X-PagerDuty-Signature': pdSigned(body)['x-pagerduty-signature'] },
      body,
      isBase64Encoded: false,
    };
    expect(await post(createIngestHandler(deps()), rest)).toMatchObject({
      status: 200,
      body: { decision: 'start' },
    });
  });

  it('answers 503, not 500, when the store fails, and lets PagerDuty retry the delivery', async () => {
    const broken = new Proxy(store, {
      get: (target, prop) =>
        prop === 'dedupClaim'
          ? async () => {
              throw Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
            }
          : Reflect.get(target, prop, target).bind(target),
    }) as DynamoIncidentStore;
    const body = pagerDutyBody();
    const res = await post(
      createIngestHandler(deps({ store: broken })),
      urlEvent('/webhooks/pagerduty', body, pdSigned(body)),
    );
    expect(res).toMatchObject({ status: 503, body: { error: 'unavailable' } });
    // The replay marker was abandoned: the retry is processed, not refused as a replay.
    const retry = await post(
      createIngestHandler(deps()),
      urlEvent('/webhooks/pagerduty', body, pdSigned(body)),
    );
    expect(retry).toMatchObject({ status: 200, body: { decision: 'start' } });
  });

  it('asks PagerDuty to retry later (503) while another attempt holds the same delivery', async () => {
    const body = pagerDutyBody();
    const eventId = JSON.parse(body).event.id as string;
    expect(await store.beginDelivery(`pagerduty-v3#${eventId}`, { now: new Date(), leaseSeconds: 60 })).toBe(
      'new',
    );
    const res = await post(
      createIngestHandler(deps()),
      urlEvent('/webhooks/pagerduty', body, pdSigned(body)),
    );
    expect(res).toMatchObject({ status: 503, body: { error: 'in-flight' }, headers: { 'retry-after': '5' } });
  });

  it('answers a concurrent copy once the first copy is done: as a replay, not a 503', async () => {
    const body = pagerDutyBody();
    const key = `pagerduty-v3#${JSON.parse(body).event.id as string}`;
    expect(await store.beginDelivery(key, { now: new Date(), leaseSeconds: 60 })).toBe('new');
    const copy = post(createIngestHandler(deps()), urlEvent('/webhooks/pagerduty', body, pdSigned(body)));
    await new Promise((r) => setTimeout(r, 300));
    await store.finishDelivery(key, { now: new Date(), keepHours: 1 });
    expect(await copy).toMatchObject({ status: 200, body: { decision: 'ignore', reason: /^replay/ } });
  });

  it('processes a concurrent copy itself when the first copy gives up while it waits', async () => {
    const body = pagerDutyBody();
    const key = `pagerduty-v3#${JSON.parse(body).event.id as string}`;
    expect(await store.beginDelivery(key, { now: new Date(), leaseSeconds: 60 })).toBe('new');
    const copy = post(createIngestHandler(deps()), urlEvent('/webhooks/pagerduty', body, pdSigned(body)));
    await new Promise((r) => setTimeout(r, 300));
    await store.abandonDelivery(key);
    expect(await copy).toMatchObject({ status: 200, body: { decision: 'start' } });
  });

  it('never answers 5xx nor throws for garbage', async () => {
    const handle = createIngestHandler(deps({ insecure: true }));
    const garbage = [
      '',
      'null',
      '[]',
      '"text"',
      '42',
      '{"alerts":{}}',
      '{"event":null}',
      '\u0000\u00ff',
      '{"Records":[1]}',
      '{'.repeat(5000),
    ];
    for (const path of [
      '/webhooks/pagerduty',
      '/webhooks/alertmanager',
      '/webhooks/grafana',
      '/webhooks/sns',
    ]) {
      for (const body of garbage) {
        const res = await post(handle, urlEvent(path, body));
        expect(res.status, `${path} ${body.slice(0, 20)}`).toBe(400);
        expect(res.body).toEqual({ error: expect.any(String), reason: expect.any(String) });
      }
    }
  });
});

describe('event sources', () => {
  it('ingests an EventBridge alarm event and an SNS trigger event', async () => {
    const handle = createIngestHandler(deps());
    const eb = (await handle(
      alarmEvent({
        id: `eb-${Date.now()}`,
        alarm: `eb-alarm-${Date.now()}`,
        service: `svc-eb-${Date.now()}`,
      }),
    )) as Record<string, unknown>;
    expect(eb).toMatchObject({
      decision: 'start',
      alerts: [{ source: 'cloudwatch-eventbridge', status: 'firing' }],
    });
    const sns = (await handle(
      variant('sns-lambda-records', (d) => {
        const message = JSON.parse(d.Records[0].Sns.Message);
        message.AlarmName = `db-cpu-${Date.now()}`;
        message.Trigger.Dimensions[0].value = `db-${Date.now()}`;
        d.Records[0].Sns.MessageId = `m-${Date.now()}`;
        d.Records[0].Sns.Message = JSON.stringify(message);
      }),
    )) as Record<string, unknown>;
    expect(sns).toMatchObject({ decision: 'start', alerts: [{ source: 'cloudwatch-sns' }] });
    expect(metrics.counts['decided.start.cloudwatch-eventbridge']).toBe(1);
  });

  it('returns a rejection instead of throwing for events it does not ingest, counting them', async () => {
    const handle = createIngestHandler(deps());
    expect(await handle(fixture('eventbridge-config-change'))).toMatchObject({
      decision: 'reject',
      error: 'invalid-payload',
      reason: expect.stringMatching(/configuration change/),
    });
    expect(await handle({ hello: 'world' })).toMatchObject({ decision: 'reject' });
    expect(await handle(null)).toMatchObject({ decision: 'reject' });
    expect(metrics.counts['rejected.invalid-payload']).toBe(3);
  });

  it('throws for a store fault so the event source retries and dead-letters it', async () => {
    const broken = new Proxy(store, {
      get: (target, prop) =>
        prop === 'dedupClaim'
          ? async () => {
              throw new Error('ProvisionedThroughputExceeded');
            }
          : Reflect.get(target, prop, target).bind(target),
    }) as DynamoIncidentStore;
    const handle = createIngestHandler(deps({ store: broken }));
    await expect(handle(alarmEvent({ id: `eb-${Date.now()}`, alarm: `x-${Date.now()}` }))).rejects.toThrow(
      'ProvisionedThroughputExceeded',
    );
  });
});
