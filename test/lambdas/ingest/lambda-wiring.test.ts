import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoIncidentStore } from '../../../adapters/aws/store/dynamo-store.js';
import type { EmbeddedDynamoDB } from '../../../adapters/embedded/dynamodb.js';
import { systemClock } from '../../../domain/clock.js';
import { RecordingEngine } from '../../../domain/ingest/engine.js';
import { Ingestor } from '../../../domain/ingest/ingest.js';
import { MemoryMetrics } from '../../../domain/ingest/metrics.js';
import { parseIngestOptions } from '../../../domain/ingest/options.js';
import { makeHandler } from '../../../lambdas/ingest/handler.js';
import type { IngestHandlerDeps } from '../../../lambdas/ingest/index.js';
import { startTestStore } from '../../support/store.js';
import { alarmEvent, fixture } from './fixtures.js';

let db: EmbeddedDynamoDB;
let store: DynamoIncidentStore;
beforeAll(async () => {
  ({ db, store } = await startTestStore());
});
afterAll(async () => db.close());

const context = {
  functionName: 'firebreak-ingest',
  awsRequestId: 'req-1',
  getRemainingTimeInMillis: () => 5000,
} as unknown as Context;

describe('the ingest Lambda (middy, Powertools) around the one handler', () => {
  it('wires once, then serves EventBridge events and HTTP requests alike', async () => {
    let wired = 0;
    const engine = new RecordingEngine();
    const metrics = new MemoryMetrics();
    const handler = makeHandler((): IngestHandlerDeps => {
      wired++;
      const options = parseIngestOptions({});
      return {
        ingestor: new Ingestor({ store, clock: systemClock, engine, options }),
        store,
        clock: systemClock,
        options,
        secrets: async () => ({}),
        metrics,
        confirmSubscription: async () => 'unused',
        log: () => undefined,
      };
    });
    const started = (await handler(alarmEvent({ id: 'wired-evt-1', alarm: 'wired-alarm' }), context)) as {
      decision: string;
    };
    expect(started.decision).toBe('start');
    expect(engine.starts).toHaveLength(1);
    const refused = (await handler(fixture('eventbridge-config-change'), context)) as { decision: string };
    expect(refused.decision).toBe('reject');
    const http = (await handler(
      {
        version: '2.0',
        rawPath: '/webhooks/grafana',
        requestContext: { http: { method: 'POST' } },
        body: '{}',
      },
      context,
    )) as { statusCode: number };
    expect(http.statusCode).toBe(401);
    expect(wired).toBe(1);
    expect(metrics.counts).toMatchObject({
      'decided.start': 1,
      'rejected.invalid-payload': 1,
      'rejected.not-configured': 1,
    });
  });
});
