/**
 * `npm run fuzz:webhooks`: mutated real payloads against every route `firebreak serve` mounts, over
 * HTTP on 127.0.0.1, against the embedded store. Seeds are the real deliveries in ../shared/payloads,
 * test/lambdas/ingest/fixtures and examples/alerts; each request mutates one (oversized strings, lone
 * surrogates, wrong types, deleted or duplicated fields, deep nesting, cut JSON, raw bytes) and
 * posts it to a route (the one its source uses, or another). Authentication is off, as with
 * `serve --no-auth`, so the mutations reach parsing and storage. A recording engine stands in for
 * the runs.
 *
 * Bounded: FUZZ_REQUESTS (10,000), FUZZ_SEED (1), 16 in flight, 5 s per request. Prints one JSON
 * object and exits 1 on any response >= 500, any request over 5 s, or an inconsistent store (a
 * claim pointing at a missing incident, an open incident with no execution, a stored alert over
 * the item limit).
 *
 * Every request has an index (its place in the seed's sequence); the report names the slowest.
 * FUZZ_ONLY=<index>[,<index>…] builds the whole sequence as usual but sends only those requests,
 * one at a time: the same bodies, to profile one outlier (`node --cpu-prof`) without the others.
 */
import '../local/polyfills.js';
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoIncidentStore } from '../adapters/aws/store/dynamo-store.js';
import { startEmbeddedDynamoDB } from '../adapters/embedded/dynamodb.js';
import { approvalRoute } from '../bin/commands/serve.js';
import { systemClock } from '../domain/clock.js';
import { RecordingEngine } from '../domain/ingest/engine.js';
import { Ingestor } from '../domain/ingest/ingest.js';
import { MemoryMetrics } from '../domain/ingest/metrics.js';
import { MAX_BODY_BYTES, parseIngestOptions } from '../domain/ingest/options.js';
import { OPEN_STATUSES } from '../domain/model.js';
import { createIngestHandler } from '../lambdas/ingest/index.js';
import { serveRoutes } from '../local/serve/http.js';
import { type FuzzRequest, seedCount } from './fuzz-payloads.js';

const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 10_000);
const SEED = Number(process.env.FUZZ_SEED ?? 1);
const ONLY = process.env.FUZZ_ONLY ? new Set(process.env.FUZZ_ONLY.split(',').map(Number)) : undefined;
const IN_FLIGHT = ONLY ? 1 : 16;
const HANG_MS = 5_000;

async function main() {
  const db = await startEmbeddedDynamoDB();
  const store = new DynamoIncidentStore(db.doc, db.tableName);
  const options = parseIngestOptions({});
  const engine = new RecordingEngine();
  const ingest = createIngestHandler({
    ingestor: new Ingestor({ store, clock: systemClock, engine, options }),
    store,
    clock: systemClock,
    options,
    secrets: async () => ({}),
    metrics: new MemoryMetrics(),
    confirmSubscription: async () => 'confirmed (fuzz)',
    // FUZZ_DEBUG=1: what the handler logs (the cause of each 503) goes to stderr.
    log: (level, message, data) => {
      if (process.env.FUZZ_DEBUG) process.stderr.write(`${level} ${message} ${JSON.stringify(data)}\n`);
    },
    insecure: true,
  });
  // How long the server's event loop was held at once: a stall here delays every request in flight,
  // whatever its body; without one, slow requests waited on the store or on the machine.
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const { server, url } = await serveRoutes(
    [{ prefix: '/webhooks/', handler: async (event) => ingest(event) }, approvalRoute(store)],
    { port: 0, maxBodyBytes: MAX_BODY_BYTES },
  );
  if (!url.startsWith('http://127.0.0.1:')) throw new Error(`refusing to fuzz ${url}: 127.0.0.1 only`);

  // The sender runs in its own process: building and timing 10,000 mutated bodies must not share an
  // event loop with the server it measures.
  const load = loadavg()[0];
  const sender = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url)], {
    env: { ...process.env, FUZZ_URL: url },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  sender.stdout.on('data', (c) => {
    out += c;
  });
  await new Promise((resolve) => sender.on('close', resolve));
  const sent = JSON.parse(out) as SenderReport;
  await new Promise<void>((resolve) => server.close(() => resolve()));

  // The store afterwards: every claim points at an incident, every open incident has its execution,
  // every stored item is within the limit.
  const problems: string[] = [];
  let items = 0;
  let largest = 0;
  let start: Record<string, unknown> | undefined;
  const claims: Array<{ pk: string; incidentId: string }> = [];
  do {
    const page = await db.doc.send(new ScanCommand({ TableName: db.tableName, ExclusiveStartKey: start }));
    for (const item of page.Items ?? []) {
      items++;
      largest = Math.max(largest, Buffer.byteLength(JSON.stringify(item)));
      if (String(item.pk).startsWith('DEDUP#') && typeof item.incidentId === 'string')
        claims.push({ pk: String(item.pk), incidentId: item.incidentId });
    }
    start = page.LastEvaluatedKey;
  } while (start);
  const incidents = await store.list({ limit: 100_000 });
  const ids = new Set(incidents.map((i) => i.id));
  for (const c of claims)
    if (!ids.has(c.incidentId)) problems.push(`${c.pk.slice(0, 80)} → missing ${c.incidentId}`);
  for (const i of incidents)
    if (OPEN_STATUSES.includes(i.status) && !i.executionArn)
      problems.push(`${i.id} is open with no execution`);
  if (largest > 400 * 1024) problems.push(`an item of ${largest} bytes`);
  await db.close();

  loop.disable();
  const report = {
    ...sent,
    loadAverageAtStart: Math.round(load * 10) / 10,
    serverEventLoopDelayMs: {
      p99: Math.round(loop.percentile(99) / 1e6),
      max: Math.round(loop.max / 1e6),
    },
    store: {
      items,
      largestItemBytes: largest,
      incidents: incidents.length,
      claims: claims.length,
      problems: problems.slice(0, 20),
    },
    ok: sent.failures === 0 && problems.length === 0,
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
  process.exitCode = report.ok ? 0 : 1;
}

interface SenderReport {
  requests: number;
  failures: number;
  [k: string]: unknown;
}

/** The sending side: mutates, posts, times; prints its figures as one JSON object. */
async function send(url: string) {
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const statuses: Record<string, number> = {};
  const byRoute: Record<string, number> = {};
  const failures: Array<{
    index: number;
    route: string;
    mutation: string;
    status: number | string;
    bytes: number;
    error?: string;
  }> = [];
  const latencies: number[] = [];
  const slowest: Array<{ index: number; ms: number; route: string; mutation: string; bytes: number }> = [];
  let hangs = 0;
  const started = performance.now();

  // Bodies are built in a worker thread, ahead of need: this thread only posts and times.
  const generator = new Worker(new URL('./fuzz-worker.mjs', import.meta.url), {
    workerData: { fuzz: { seed: SEED, count: REQUESTS, only: ONLY && [...ONLY], ahead: 64 } },
  });
  const ready: FuzzRequest[] = [];
  const waiting: Array<() => void> = [];
  let built = false;
  generator.on('message', (req: FuzzRequest | null) => {
    if (req) ready.push(req);
    else built = true;
    for (const wake of waiting.splice(0)) wake();
  });
  generator.on('error', (err) => {
    process.stderr.write(`fuzz generator failed: ${err.stack}\n`);
    process.exit(2);
  });
  async function next(): Promise<FuzzRequest | undefined> {
    while (!ready.length && !built) await new Promise<void>((wake) => waiting.push(wake));
    const req = ready.shift();
    if (req) generator.postMessage(1);
    return req;
  }

  async function one(req: FuzzRequest) {
    const { index: i, label, route, mutation } = req;
    const init: RequestInit = req.body
      ? { method: req.method, body: req.body, headers: { 'content-type': 'application/json' } }
      : { method: req.method };
    byRoute[label] = (byRoute[label] ?? 0) + 1;
    const t0 = performance.now();
    let status: number | string;
    let error: string | undefined;
    try {
      const res = await fetch(`${url}${route}`, { ...init, signal: AbortSignal.timeout(HANG_MS) });
      const answer = Buffer.from(await res.arrayBuffer()).toString('utf8');
      status = res.status;
      if (status >= 500) error = answer.slice(0, 200);
    } catch (err) {
      status = (err as Error).name === 'TimeoutError' ? 'hang' : `error:${(err as Error).name}`;
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      error = `${(err as Error).message}${cause ? `: ${cause.code ?? ''} ${cause.message ?? ''}` : ''}`;
      if (status === 'hang') hangs++;
    }
    const ms = performance.now() - t0;
    latencies.push(ms);
    statuses[String(status)] = (statuses[String(status)] ?? 0) + 1;
    const bytes = req.body?.length ?? 0;
    if (typeof status !== 'number' || status >= 500)
      failures.push({ index: i, route: label, mutation, status, bytes, ...(error ? { error } : {}) });
    if (slowest.length < 5 || ms > slowest[4].ms) {
      slowest.push({ index: i, ms: Math.round(ms), route: label, mutation, bytes });
      slowest.sort((a, b) => b.ms - a.ms).splice(5);
    }
  }

  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      for (let req = await next(); req; req = await next()) await one(req);
    }),
  );
  await generator.terminate();
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const q = (p: number) =>
    Math.round(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]);
  const responses5xx = failures.filter((f) => typeof f.status === 'number').length;
  const report: SenderReport = {
    requests: latencies.length,
    seed: SEED,
    seeds: seedCount(),
    seconds: Math.round(seconds * 10) / 10,
    statuses,
    byRoute,
    responses5xx,
    hangsOver5s: hangs,
    otherErrors: failures.length - responses5xx - hangs,
    latencyMs: { p50: q(0.5), p99: q(0.99), max: Math.round(latencies.at(-1) ?? 0) },
    senderEventLoopDelayMs: { p99: Math.round(loop.percentile(99) / 1e6), max: Math.round(loop.max / 1e6) },
    failures: failures.length,
    firstFailures: failures.slice(0, 20),
    slowest,
  };
  process.stdout.write(JSON.stringify(report));
}

if (process.env.FUZZ_URL) await send(process.env.FUZZ_URL);
else await main();
