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
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
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
import { prng } from './prng.js';

const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 10_000);
const SEED = Number(process.env.FUZZ_SEED ?? 1);
const ONLY = process.env.FUZZ_ONLY ? new Set(process.env.FUZZ_ONLY.split(',').map(Number)) : undefined;
const IN_FLIGHT = ONLY ? 1 : 16;
const HANG_MS = 5_000;
const ROOT = fileURLToPath(new URL('..', import.meta.url));

const rand = prng(SEED);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];

const ROUTES = ['/webhooks/alertmanager', '/webhooks/grafana', '/webhooks/pagerduty', '/webhooks/sns'];

function routeFor(name: string): string {
  if (name.includes('alertmanager')) return '/webhooks/alertmanager';
  if (name.includes('grafana')) return '/webhooks/grafana';
  if (name.includes('pagerduty')) return '/webhooks/pagerduty';
  if (name.includes('sns')) return '/webhooks/sns';
  return pick(ROUTES);
}

function seeds(): Array<{ name: string; doc: unknown }> {
  const dirs = [
    join(ROOT, '../shared/payloads'),
    join(ROOT, 'test/lambdas/ingest/fixtures'),
    join(ROOT, 'examples/alerts'),
  ];
  const out: Array<{ name: string; doc: unknown }> = [];
  for (const dir of dirs.filter(existsSync)) {
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.json'))) {
      try {
        out.push({ name, doc: JSON.parse(readFileSync(join(dir, name), 'utf8')) });
      } catch {
        // Not JSON (a .jsonc schema): not a seed.
      }
    }
  }
  return out;
}

/** Every [container, key] in a JSON value, for picking a place to mutate. */
function slots(doc: unknown): Array<[Record<string, unknown> | unknown[], string | number]> {
  const out: Array<[Record<string, unknown> | unknown[], string | number]> = [];
  const stack: unknown[] = [doc];
  while (stack.length) {
    const v = stack.pop();
    if (Array.isArray(v)) {
      v.forEach((x, i) => {
        out.push([v, i]);
        stack.push(x);
      });
    } else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        out.push([v as Record<string, unknown>, k]);
        stack.push(x);
      }
    }
  }
  return out;
}

const LONE = ['\ud800', '\udfff', '\ud83d', 'a\udc00b'];
const big = (n: number) => 'x'.repeat(n);

const MUTATIONS: Record<string, (doc: unknown) => unknown> = {
  longString: (doc) => setRandom(doc, () => big(pick([3_000, 70_000, 205 * 1024, 240_000]))),
  loneSurrogate: (doc) => setRandom(doc, (v) => `${typeof v === 'string' ? v : ''}${pick(LONE)}`),
  wrongType: (doc) =>
    setRandom(doc, () => pick<unknown>([null, 0, -1, 1e308, true, [], {}, '', [[[]]], 'NaN'])),
  deleteKey: (doc) => {
    const s = slots(doc).filter(([c]) => !Array.isArray(c));
    if (s.length) {
      const [c, k] = pick(s);
      delete (c as Record<string, unknown>)[k as string];
    }
    return doc;
  },
  duplicateArray: (doc) => {
    const arrays = slots(doc).filter(([c]) => Array.isArray(c));
    if (arrays.length) {
      const [c] = pick(arrays);
      const arr = c as unknown[];
      const copies = pick([2, 50, 500]);
      for (let i = 0; i < copies && arr.length < 2_000; i++) arr.push(structuredClone(arr[i % arr.length]));
    }
    return doc;
  },
  deepNesting: (doc) => {
    let nested: unknown = 'bottom';
    for (let i = 0; i < pick([40, 1_000, 20_000]); i++) nested = [nested];
    return setRandom(doc, () => nested);
  },
  manyKeys: (doc) =>
    setRandom(doc, () => Object.fromEntries(Array.from({ length: 3_000 }, (_, i) => [`k${i}`, big(30)]))),
  unicode: (doc) => setRandom(doc, () => '🔥'.repeat(pick([1, 1_000, 60_000])) + '\u0000\u202e'),
  longId: (doc) => {
    const ids = slots(doc).filter(
      ([, k]) => typeof k === 'string' && /id$|fingerprint|alarmName|ruleUrl|groupKey/i.test(k),
    );
    if (ids.length) {
      const [c, k] = pick(ids);
      (c as Record<string, unknown>)[k as string] = `${big(pick([1_100, 3_000, 50_000]))}${rand()}`;
    }
    return doc;
  },
};

function setRandom(doc: unknown, value: (old: unknown) => unknown): unknown {
  const s = slots(doc);
  if (!s.length) return value(doc);
  const [c, k] = pick(s);
  (c as Record<string | number, unknown>)[k] = value((c as Record<string | number, unknown>)[k]);
  return doc;
}

/** One request body: a mutated seed as JSON text, or raw damage to the text itself. */
function body(seed: { doc: unknown }): { text: string | Buffer; mutation: string } {
  const r = rand();
  if (r < 0.05) {
    const text = JSON.stringify(seed.doc);
    return { text: text.slice(0, Math.floor(rand() * text.length)), mutation: 'cutJson' };
  }
  if (r < 0.08) {
    return {
      text: Buffer.from(Array.from({ length: pick([0, 1, 100, 10_000]) }, () => Math.floor(rand() * 256))),
      mutation: 'randomBytes',
    };
  }
  let doc = structuredClone(seed.doc);
  const names: string[] = [];
  for (let i = 0; i < 1 + Math.floor(rand() * 3); i++) {
    const name = pick(Object.keys(MUTATIONS));
    names.push(name);
    doc = MUTATIONS[name](doc);
  }
  return { text: JSON.stringify(doc) ?? 'null', mutation: names.join('+') };
}

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
  const { server, url } = await serveRoutes(
    [{ prefix: '/webhooks/', handler: async (event) => ingest(event) }, approvalRoute(store)],
    { port: 0, maxBodyBytes: MAX_BODY_BYTES },
  );
  if (!url.startsWith('http://127.0.0.1:')) throw new Error(`refusing to fuzz ${url}: 127.0.0.1 only`);

  // The sender runs in its own process: building and timing 10,000 mutated bodies must not share an
  // event loop with the server it measures.
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

  const report = {
    ...sent,
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
  const pool = seeds();
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
  let sent = 0;
  const started = performance.now();

  async function one() {
    const i = sent++;
    const seed = pick(pool);
    let route: string;
    let init: RequestInit;
    let mutation: string;
    if (i % 50 === 49) {
      // The approval route: forged, expired and malformed links.
      const q = `d=${pick(['approve', 'reject', '', big(3000)])}&exp=${pick(['1', '-1', 'x', '9'.repeat(400)])}&n=${pick(['n', ''])}&sig=${pick(['forged', '', big(5000)])}`;
      route = `/approvals/${pick(['inc-20261120-1004-abcd', '..%2F..', big(2000), '%ED%A0%80'])}`;
      init = { method: pick(['GET', 'POST']), ...(rand() < 0.5 ? {} : {}) };
      route = `${route}?${q}`;
      mutation = 'approvalLink';
    } else {
      const b = body(seed);
      route = rand() < 0.85 ? routeFor(seed.name) : pick(ROUTES);
      init = { method: 'POST', body: b.text, headers: { 'content-type': 'application/json' } };
      mutation = b.mutation;
    }
    // Built all the same, so the generator stays in step: only the chosen ones are sent.
    if (ONLY && !ONLY.has(i)) return;
    const label = route.split('?')[0].startsWith('/approvals/') ? '/approvals/' : route;
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
      if (status === 'hang') hangs++;
    }
    const ms = performance.now() - t0;
    latencies.push(ms);
    statuses[String(status)] = (statuses[String(status)] ?? 0) + 1;
    const bytes =
      typeof init.body === 'string' ? Buffer.byteLength(init.body) : ((init.body as Buffer)?.length ?? 0);
    if (typeof status !== 'number' || status >= 500)
      failures.push({ index: i, route: label, mutation, status, bytes, ...(error ? { error } : {}) });
    if (slowest.length < 5 || ms > slowest[4].ms) {
      slowest.push({ index: i, ms: Math.round(ms), route: label, mutation, bytes });
      slowest.sort((a, b) => b.ms - a.ms).splice(5);
    }
  }

  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (sent < REQUESTS) await one();
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const q = (p: number) =>
    Math.round(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]);
  const responses5xx = failures.filter((f) => typeof f.status === 'number').length;
  const report: SenderReport = {
    requests: latencies.length,
    seed: SEED,
    seeds: pool.length,
    seconds: Math.round(seconds * 10) / 10,
    statuses,
    byRoute,
    responses5xx,
    hangsOver5s: hangs,
    otherErrors: failures.length - responses5xx - hangs,
    latencyMs: { p50: q(0.5), p99: q(0.99), max: Math.round(latencies.at(-1) ?? 0) },
    failures: failures.length,
    firstFailures: failures.slice(0, 20),
    slowest,
  };
  process.stdout.write(JSON.stringify(report));
}

if (process.env.FUZZ_URL) await send(process.env.FUZZ_URL);
else await main();
