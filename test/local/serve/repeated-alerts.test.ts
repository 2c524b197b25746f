/**
 * A delivery that repeats its alerts array (the fuzz outlier of issue 13: a 232 KB Alertmanager
 * group whose 3 alerts came 503 times) costs the store what one copy costs: later copies of an event
 * are collapsed before any store work, not found to be redeliveries one round trip at a time.
 * Through the HTTP server `serve` mounts, counting the requests that reach the embedded DynamoDB.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoIncidentStore } from '../../../adapters/aws/store/dynamo-store.js';
import { localClients } from '../../../adapters/embedded/dynamodb.js';
import { systemClock } from '../../../domain/clock.js';
import { RecordingEngine } from '../../../domain/ingest/engine.js';
import { Ingestor } from '../../../domain/ingest/ingest.js';
import { MemoryMetrics } from '../../../domain/ingest/metrics.js';
import { MAX_BODY_BYTES, parseIngestOptions } from '../../../domain/ingest/options.js';
import { createIngestHandler } from '../../../lambdas/ingest/index.js';
import { serveRoutes } from '../../../local/serve/http.js';
import { variant } from '../../lambdas/ingest/fixtures.js';
import { startTestStore, type TestStore } from '../../support/store.js';

let test: TestStore;
let url: string;
let close: () => Promise<void>;
const sent: string[] = [];
const engine = new RecordingEngine();

beforeAll(async () => {
  test = await startTestStore();
  const { doc } = localClients(test.db.endpoint);
  doc.middlewareStack.add(
    (next, context) => (args) => {
      sent.push(context.commandName as string);
      return next(args);
    },
    { step: 'initialize', name: 'countRequests' },
  );
  const store = new DynamoIncidentStore(doc, test.db.tableName);
  const options = parseIngestOptions({});
  const ingest = createIngestHandler({
    ingestor: new Ingestor({ store, clock: systemClock, engine, options }),
    store,
    clock: systemClock,
    options,
    secrets: async () => ({}),
    metrics: new MemoryMetrics(),
    confirmSubscription: async () => 'not used',
    log: () => undefined,
    insecure: true,
  });
  const served = await serveRoutes([{ prefix: '/webhooks/', handler: (event) => ingest(event) }], {
    port: 0,
    maxBodyBytes: MAX_BODY_BYTES,
  });
  url = served.url;
  close = () => new Promise<void>((resolve) => served.server.close(() => resolve()));
});

afterAll(async () => {
  await close();
  await test.db.close();
});

/** The fixture's group (two firing alerts, one resolved) under names of its own, its alerts `copies` times. */
const group = (name: string, copies: number) =>
  JSON.stringify(
    variant('alertmanager-group', (d) => {
      const alerts = (d.alerts as Array<Record<string, unknown>>).map((a) => ({
        ...a,
        labels: { ...(a.labels as object), service: `svc-${name}` },
        fingerprint: `${name}-${a.fingerprint}`,
      }));
      d.groupKey = `{}:{alertname="${name}"}`;
      d.alerts = Array.from({ length: copies }, () => alerts).flat();
    }),
  );

async function post(body: string) {
  sent.length = 0;
  const res = await fetch(`${url}/webhooks/alertmanager`, { method: 'POST', body });
  return {
    status: res.status,
    answer: (await res.json()) as {
      decision: string;
      alerts: Array<{ decision: string; incidentId: string | null }>;
    },
    requests: [...sent],
  };
}

describe('an alerts array repeated in one delivery', () => {
  it('costs the store what one copy costs, and every copy is answered', async () => {
    const once = await post(group('once', 1));
    expect(once.status).toBe(200);
    expect(once.answer.decision).toBe('start');
    expect(once.requests.length).toBeGreaterThan(3);

    const repeated = await post(group('repeated', 100));
    expect(repeated.status).toBe(200);
    expect(repeated.answer.decision).toBe('start');
    // The same requests, in the same order, as for the single copy: no copy reached the store.
    expect(repeated.requests).toEqual(once.requests);
    expect(repeated.answer.alerts).toHaveLength(300);
    expect(repeated.answer.alerts.slice(0, 3).map((a) => a.decision)).toEqual(
      once.answer.alerts.map((a) => a.decision),
    );
    expect(repeated.answer.alerts.slice(3).every((a) => a.decision === 'ignore')).toBe(true);
    // Each copy names the incident its first copy went to (none for the resolved alert).
    const firsts = repeated.answer.alerts.slice(0, 3).map((a) => a.incidentId);
    expect(firsts.filter(Boolean)).toHaveLength(2);
    expect(repeated.answer.alerts.map((a) => a.incidentId)).toEqual(
      Array.from({ length: 100 }, () => firsts).flat(),
    );
    expect(engine.starts).toHaveLength(2);
  });
});
