/**
 * Conformance against the real payloads in ../shared/payloads (public documentation and test
 * suites; never copied into this project). Each either normalizes, with sensible key fields, or —
 * for shapes Firebreak deliberately does not ingest — is refused with a reason naming it. Nothing
 * may throw anything else. Skipped, and says so, when the folder is absent.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoIncidentStore } from '../../../adapters/aws/store/dynamo-store.js';
import type { EmbeddedDynamoDB } from '../../../adapters/embedded/dynamodb.js';
import { verifyPagerDuty } from '../../../domain/alerts/signature.js';
import { systemClock } from '../../../domain/clock.js';
import { ValidationError } from '../../../domain/errors.js';
import { RecordingEngine } from '../../../domain/ingest/engine.js';
import { Ingestor } from '../../../domain/ingest/ingest.js';
import { MemoryMetrics } from '../../../domain/ingest/metrics.js';
import { parseIngestOptions } from '../../../domain/ingest/options.js';
import { ALERT_SOURCES, type AlertSource, type NormalizedAlert } from '../../../domain/model.js';
import { createIngestHandler } from '../../../lambdas/ingest/index.js';
import { readDelivery } from '../../../lambdas/ingest/read-body.js';
import { DeliveryRejected } from '../../../lambdas/ingest/rejection.js';
import { startTestStore } from '../../support/store.js';

const DIR = new URL('../../../../shared/payloads/', import.meta.url);
const present = existsSync(fileURLToPath(DIR));
const VECTOR = 'pagerduty-v3-signature-test-vector.json';

/** Shapes refused on purpose, and the words their refusal must use. */
const REFUSED: Array<[RegExp, RegExp]> = [
  [/^datadog-/, /Datadog/],
  [/^opsgenie-/, /Opsgenie/],
  [/config-change/, /configuration change is not an alert/],
  [/^pagerduty-v3-event-data-/, /without its webhook envelope/],
  [/^pagerduty-v3-webhook-service\./, /service event/],
  [/^pagerduty-v3-webhook-subscription-object/, /subscription object/],
  [/\.jsonc$/, /not valid JSON/],
];

/** The source the endpoint a payload is posted to would name (undefined: auto-detected). */
function routeSource(name: string): AlertSource | undefined {
  const routes: Array<[RegExp, AlertSource]> = [
    [/^alertmanager-webhook-/, 'alertmanager'],
    [/^grafana-/, 'grafana'],
    [/^pagerduty-v3-(webhook|body)-/, 'pagerduty-v3'],
    [/^cloudwatch-sns-/, 'cloudwatch-sns'],
    [/^cloudwatch-eventbridge-/, 'cloudwatch-eventbridge'],
    [/^cloudwatch-lambda-/, 'cloudwatch-lambda-action'],
  ];
  return routes.find(([re]) => re.test(name))?.[1];
}

/** The status a payload's own words call for. */
function expectedStatus(name: string, payload: unknown, index: number): NormalizedAlert['status'] {
  if (/suppressor-ALARM/.test(name)) return 'info';
  if (/INSUFFICIENT_DATA-from/.test(name)) return 'info';
  if (/OK-from|legacy-webhook-ok/.test(name)) return 'resolved';
  if (/-ALARM|contributor-state-change|legacy-webhook-alerting/.test(name)) return 'firing';
  if (/incident\.triggered/.test(name)) return 'firing';
  if (/incident\.resolved/.test(name)) return 'resolved';
  if (/^pagerduty-v3-/.test(name)) return 'info';
  // A CloudWatch alarm's Lambda action names the state it entered.
  const state = (payload as { alarmData?: { state?: { value?: string } } }).alarmData?.state?.value;
  if (/lambda-alarm-action/.test(name) && state === 'ALARM') return 'firing';
  const alerts = (payload as { alerts?: Array<{ status?: string }> }).alerts;
  const status = alerts?.[index]?.status as NormalizedAlert['status'] | undefined;
  // Every vector's alerts have a known status: a new vector without one fails here until it is named above.
  if (!status) throw new Error(`${name} alert ${index}: no expected status`);
  return status;
}

function checkAlert(name: string, payload: unknown, a: NormalizedAlert, index: number) {
  expect(ALERT_SOURCES).toContain(a.source);
  expect(a.sourceEventId.length).toBeGreaterThan(0);
  expect(a.fingerprint).toMatch(/^(cloudwatch|pagerduty|alertmanager|grafana):.*[^:\s]$/);
  expect(a.title.trim().length).toBeGreaterThan(0);
  expect(Number.isNaN(Date.parse(a.startedAt))).toBe(false);
  expect(a.startedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  for (const link of a.links) expect(link).toMatch(/^https?:\/\//);
  expect(a.raw).toBeDefined();
  const status = expectedStatus(name, payload, index);
  expect(a.status, `${name} alert ${index}`).toBe(status);
}

if (!present) {
  describe('conformance with ../shared/payloads', () => {
    it.skip('skipped: ../shared/payloads is not present next to this checkout', () => undefined);
  });
} else {
  const files = readdirSync(DIR)
    .filter((f) => /\.jsonc?$/.test(f) && f !== VECTOR)
    .sort();
  const receivedAt = '2026-11-20T12:00:00.000Z';

  describe('conformance with ../shared/payloads', () => {
    it('has payloads to check', () => {
      expect(files.length).toBeGreaterThan(40);
    });

    it.each(files)('%s', (name) => {
      const text = readFileSync(new URL(name, DIR), 'utf8');
      const refusal = REFUSED.find(([re]) => re.test(name));
      for (const source of [routeSource(name), undefined]) {
        let read: ReturnType<typeof readDelivery> | undefined;
        try {
          read = readDelivery(text, source, receivedAt);
        } catch (err) {
          // Any other kind of error is a bug, and fails here with its stack.
          if (!(err instanceof ValidationError)) throw err;
          expect(err).toBeInstanceOf(DeliveryRejected);
          expect(refusal, `${name} was refused: ${err.message}`).toBeDefined();
          expect(err.message).toMatch(refusal?.[1] as RegExp);
          continue;
        }
        expect(refusal, `${name} should have been refused`).toBeUndefined();
        const { payload, delivery } = read;
        if (delivery.subscription) {
          expect(delivery.alerts).toEqual([]);
          expect(delivery.subscription.topicArn).toMatch(/^arn:aws:sns:/);
          continue;
        }
        expect(delivery.alerts.length).toBeGreaterThan(0);
        for (const [i, a] of delivery.alerts.entries()) checkAlert(name, payload, a, i);
      }
    });
  });

  describe('the PagerDuty signature test vector', () => {
    const vector = JSON.parse(readFileSync(new URL(VECTOR, DIR), 'utf8')) as {
      secret: string;
      raw_body: string;
      headers_valid: Record<string, string>;
      headers_mismatch: Record<string, string>;
    };
    const valid = vector.headers_valid['X-PagerDuty-Signature'];
    const mismatch = vector.headers_mismatch['X-PagerDuty-Signature'];

    it('verifies the valid signature, refuses the mismatched one, and accepts a list holding the valid one', () => {
      expect(verifyPagerDuty(vector.raw_body, valid, [vector.secret]).ok).toBe(true);
      expect(verifyPagerDuty(vector.raw_body, mismatch, [vector.secret])).toMatchObject({
        ok: false,
        reason: 'bad-signature',
      });
      expect(verifyPagerDuty(vector.raw_body, `${mismatch},${valid}`, [vector.secret]).ok).toBe(true);
      expect(verifyPagerDuty(`${vector.raw_body} `, valid, [vector.secret]).ok).toBe(false);
    });

    let db: EmbeddedDynamoDB;
    let store: DynamoIncidentStore;
    beforeAll(async () => {
      ({ db, store } = await startTestStore());
    });
    afterAll(async () => db?.close());

    it('is accepted by the webhook endpoint with the signature and refused without it', async () => {
      const options = parseIngestOptions({});
      const handle = createIngestHandler({
        ingestor: new Ingestor({ store, clock: systemClock, engine: new RecordingEngine(), options }),
        store,
        clock: systemClock,
        options,
        secrets: async () => ({ pagerduty: [vector.secret] }),
        metrics: new MemoryMetrics(),
        confirmSubscription: async () => 'unused',
        log: () => undefined,
      });
      const event = (signature: string) => ({
        version: '2.0',
        rawPath: '/webhooks/pagerduty',
        requestContext: { http: { method: 'POST' } },
        headers: { 'x-pagerduty-signature': signature },
        body: vector.raw_body,
      });
      const ok = (await handle(event(valid))) as { statusCode: number; body: string };
      expect(ok.statusCode).toBe(200);
      // incident.priority_updated about an incident nobody opened here: nothing to record it on.
      expect(JSON.parse(ok.body)).toMatchObject({
        decision: 'ignore',
        alerts: [{ source: 'pagerduty-v3', status: 'info' }],
      });
      const refused = (await handle(event(mismatch))) as { statusCode: number; body: string };
      expect(refused.statusCode).toBe(401);
      expect(JSON.parse(refused.body)).toMatchObject({ error: 'bad-signature' });
    });
  });
}
