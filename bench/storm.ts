/**
 * `npm run bench:storm`: an alert storm against the embedded store. 10,000 deliveries of 50
 * distinct CloudWatch alarms (each alarm repeating with new event ids, and exact redeliveries of
 * earlier events, some of them concurrent with the original), 50 in flight at a time, through the
 * ingest function as EventBridge would invoke it: parse, validate, normalize, decide, write. A
 * recording engine stands in for Step Functions (no pipeline runs).
 *
 * Prints one JSON line and exits non-zero if the storm opened other than one incident per alarm,
 * lost or double-linked an alert, or named a joined alert on a timeline other than once.
 */
import '../local/polyfills.js';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoIncidentStore } from '../adapters/aws/store/dynamo-store.js';
import { localClients, startEmbeddedDynamoDB } from '../adapters/embedded/dynamodb.js';
import { systemClock } from '../domain/clock.js';
import { RecordingEngine } from '../domain/ingest/engine.js';
import { Ingestor } from '../domain/ingest/ingest.js';
import { MemoryMetrics } from '../domain/ingest/metrics.js';
import { parseIngestOptions } from '../domain/ingest/options.js';
import { createIngestHandler } from '../lambdas/ingest/index.js';
import { prng } from './prng.js';

const DELIVERIES = Number(process.env.STORM_DELIVERIES ?? 10_000);
const ALARMS = 50;
const IN_FLIGHT = 50;
/** Share of deliveries that are exact redeliveries of an earlier event. */
const REDELIVERY = 0.2;

function alarmEvent(eventId: string, alarm: number, at: Date): string {
  const name = `storm-alarm-${String(alarm).padStart(2, '0')}`;
  return JSON.stringify({
    version: '0',
    id: eventId,
    'detail-type': 'CloudWatch Alarm State Change',
    source: 'aws.cloudwatch',
    account: '123456789012',
    time: at.toISOString(),
    region: 'us-east-1',
    resources: [`arn:aws:cloudwatch:us-east-1:123456789012:alarm:${name}`],
    detail: {
      alarmName: name,
      state: {
        value: 'ALARM',
        reason: 'Threshold Crossed: 3 out of the last 3 datapoints were greater than the threshold (50.0).',
        reasonData:
          '{"version":"1.0","statistic":"Sum","period":60,"recentDatapoints":[91.0,88.0,97.0],"threshold":50.0}',
        timestamp: at.toISOString().replace('Z', '+0000'),
      },
      previousState: { value: 'OK', reason: 'ok', timestamp: '2026-11-20T09:00:00.000+0000' },
      configuration: {
        description: `${name}: 5xx above 50/min`,
        metrics: [
          {
            id: 'm1',
            metricStat: {
              metric: {
                namespace: 'AWS/ApplicationELB',
                name: 'HTTPCode_Target_5XX_Count',
                dimensions: { LoadBalancer: `app/${name}/1` },
              },
              period: 60,
              stat: 'Sum',
            },
            returnData: true,
          },
        ],
      },
      alarmTags: { service: `storm-svc-${String(alarm).padStart(2, '0')}`, severity: 'high' },
    },
  });
}

/** The storm: new events of random alarms, and exact redeliveries — half of them right behind the original. */
function storm(): { bodies: string[]; ids: string[]; unique: Set<string> } {
  const random = prng(0x5eed);
  const bodies: string[] = [];
  const ids: string[] = [];
  const start = Date.now();
  for (let i = 0; i < DELIVERIES; i++) {
    if (bodies.length > IN_FLIGHT && random() < REDELIVERY) {
      // Within the last IN_FLIGHT deliveries: in flight at the same moment as its original.
      const back =
        random() < 0.5 ? 1 + Math.floor(random() * IN_FLIGHT) : 1 + Math.floor(random() * bodies.length);
      const j = bodies.length - back;
      bodies.push(bodies[j]);
      ids.push(ids[j]);
      continue;
    }
    const id = `storm-${i.toString(36)}-${Math.floor(random() * 1e9).toString(36)}`;
    bodies.push(alarmEvent(id, i < ALARMS ? i : Math.floor(random() * ALARMS), new Date(start + i * 10)));
    ids.push(id);
  }
  return { bodies, ids, unique: new Set(ids) };
}

/**
 * What the embedded store itself sustains here, now: single-item conditional puts (what every new
 * alert costs at least once), IN_FLIGHT at a time, into a partition the storm never reads.
 */
async function storeCeiling(doc: DynamoDBDocumentClient, tableName: string): Promise<number> {
  const n = 2000;
  let next = 0;
  const t0 = performance.now();
  const worker = async () => {
    while (next < n) {
      const i = next++;
      await doc.send(
        new PutCommand({
          TableName: tableName,
          Item: { pk: `CALIBRATE#${i % 50}`, sk: `ITEM#${i}`, body: 'x'.repeat(512) },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  return Math.round(n / ((performance.now() - t0) / 1000));
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

/** The embedded store in a worker thread (STORM_STORE=inline keeps it on this thread). */
async function embeddedStore(): Promise<{
  doc: DynamoDBDocumentClient;
  tableName: string;
  close: () => Promise<void>;
}> {
  if (process.env.STORM_STORE === 'inline') return startEmbeddedDynamoDB();
  const worker = new Worker(new URL('./store-worker.mjs', import.meta.url));
  const { endpoint, tableName } = await new Promise<{ endpoint: string; tableName: string }>(
    (resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    },
  );
  const { client, doc } = localClients(endpoint);
  return {
    doc,
    tableName,
    close: async () => {
      client.destroy();
      worker.postMessage('close');
      await new Promise((resolve) => worker.once('message', resolve));
      await worker.terminate();
    },
  };
}

async function main() {
  const db = await embeddedStore();
  try {
    const store = new DynamoIncidentStore(db.doc, db.tableName);
    const options = parseIngestOptions({});
    const engine = new RecordingEngine();
    const metrics = new MemoryMetrics();
    const handle = createIngestHandler({
      ingestor: new Ingestor({ store, clock: systemClock, engine, options }),
      store,
      clock: systemClock,
      options,
      secrets: async () => ({}),
      metrics,
      confirmSubscription: async () => 'not used',
      log: () => undefined,
    });
    const ceiling = await storeCeiling(db.doc, db.tableName);
    let requests = 0;
    db.doc.middlewareStack.add(
      (next) => (args) => {
        requests++;
        return next(args);
      },
      { step: 'initialize', name: 'countStormRequests' },
    );
    const { bodies, unique } = storm();
    const latencies: number[] = [];
    const failures: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < bodies.length) {
        const body = bodies[next++];
        const t0 = performance.now();
        try {
          const out = (await handle(JSON.parse(body))) as { decision: string; reason?: string };
          if (out.decision === 'reject') failures.push(out.reason ?? 'rejected');
        } catch (err) {
          failures.push((err as Error).message);
        }
        latencies.push(performance.now() - t0);
      }
    };
    const wall = performance.now();
    const cpu0 = process.cpuUsage();
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    const seconds = (performance.now() - wall) / 1000;
    const cpu = process.cpuUsage(cpu0);

    const incidents = await store.list({ limit: 10_000 });
    const linked = (await Promise.all(incidents.map((i) => store.alerts(i.id)))).flat();
    const linkedIds = new Set(linked.map((a) => a.sourceEventId));
    const counts = await Promise.all(incidents.map((i) => store.countLinkedAlerts(i.id)));
    const counted = counts.reduce((n, c) => n + c, 0);
    // Every alert that joined (all but the one that opened each incident) is named on its timeline once.
    const timelines = await Promise.all(incidents.map((i) => store.timeline(i.id)));
    const named = timelines
      .flat()
      .flatMap((e) => (e.data as { alerts?: Array<{ sourceEventId: string }> })?.alerts ?? [])
      .map((a) => a.sourceEventId);
    const lost = [...unique].filter((id) => !linkedIds.has(id)).length;
    latencies.sort((a, b) => a - b);
    const result = {
      deliveries: bodies.length,
      alarms: ALARMS,
      inFlight: IN_FLIGHT,
      uniqueEvents: unique.size,
      exactRedeliveries: bodies.length - unique.size,
      incidentsOpened: incidents.length,
      executionsStarted: engine.starts.length,
      alertsLinked: linked.length,
      alertsCounted: counted,
      alertsNamedOnTimelines: named.length,
      lost,
      failed: failures.length,
      deliveriesPerSecond: Math.round(bodies.length / seconds),
      storeRequestsPerDelivery: Number((requests / bodies.length).toFixed(2)),
      storeConditionalWritesPerSecond: ceiling,
      p50Ms: Number(percentile(latencies, 50).toFixed(1)),
      p99Ms: Number(percentile(latencies, 99).toFixed(1)),
      seconds: Number(seconds.toFixed(2)),
      /** CPU of both threads (ingest, store) over the storm: 2 would mean the machine was the limit. */
      cpuCores: Number(((cpu.user + cpu.system) / 1e6 / seconds).toFixed(2)),
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
    const ok =
      result.incidentsOpened === ALARMS &&
      result.executionsStarted === ALARMS &&
      result.alertsLinked === unique.size &&
      linkedIds.size === unique.size &&
      counted === unique.size &&
      named.length === unique.size - ALARMS &&
      new Set(named).size === named.length &&
      lost === 0 &&
      failures.length === 0;
    if (!ok) {
      process.stderr.write(
        `storm invariants broken${failures.length ? `: ${failures.slice(0, 3).join('; ')}` : ''}\n`,
      );
      process.exitCode = 1;
    }
  } finally {
    await db.close();
  }
}

await main();
