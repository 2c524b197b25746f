/**
 * `npm run bench:serve-ack`: how fast `firebreak serve` acknowledges a storm of new Alertmanager
 * groups, each opening an incident whose run starts in the background (real clock, as by default):
 * SERVE_GROUPS (20) groups of SERVE_ALERTS (20) alerts, all sent at once from this process to a
 * `firebreak serve` started as on-call would (its own process, a token, SIGTERM to stop). Prints one
 * JSON line: acknowledgement latencies (ms), status counts, how long until every delivery was
 * ingested, how many incidents that opened, and the load average and CPU pressure it ran under.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DynamoIncidentStore } from '../adapters/aws/store/dynamo-store.js';
import { openDataStore } from '../adapters/embedded/dynamodb.js';

/** /proc/pressure/cpu's `some avg10`, where the kernel has it. */
function cpuPressure(): number | undefined {
  try {
    const m = /some avg10=([\d.]+)/.exec(readFileSync('/proc/pressure/cpu', 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

const GROUPS = Number(process.env.SERVE_GROUPS ?? 20);
const ALERTS = Number(process.env.SERVE_ALERTS ?? 20);
const TOKEN = 'bench-token-0123456789abcdef';
const base = JSON.parse(
  readFileSync(new URL('../test/lambdas/ingest/fixtures/alertmanager-group.json', import.meta.url), 'utf8'),
);

function group(g: number) {
  const doc = structuredClone(base);
  const one = doc.alerts[0];
  doc.groupKey = `{}:{alertname="Bench${g}"}`;
  doc.alerts = Array.from({ length: ALERTS }, (_, i) => ({
    ...structuredClone(one),
    labels: { ...one.labels, alertname: `Bench${g}`, service: `bench-svc-${g}`, pod: `pod-${i}` },
    fingerprint: `bench-${g}-${i}`,
  }));
  return JSON.stringify(doc);
}

const dataDir = mkdtempSync(join(tmpdir(), 'firebreak-serve-ack-'));
const serve = spawn(process.execPath, ['bin/firebreak.js', 'serve', '--port', '0', '--data-dir', dataDir], {
  cwd: new URL('..', import.meta.url).pathname,
  env: { ...process.env, FIREBREAK_WEBHOOK_SECRETS: JSON.stringify({ alertmanager: TOKEN }) },
  stdio: ['ignore', 'ignore', 'pipe'],
});
// Only its tail is kept, and searched only until it says where it listens (the runs print a line
// per step: searching all of it on every chunk grew with the run).
let said = '';
let listening = false;
const url = await new Promise<string>((resolve, reject) => {
  serve.stderr.on('data', (chunk: Buffer) => {
    said = (said + chunk.toString()).slice(-4_000);
    if (listening) return;
    const m = /firebreak serve: (http:\/\/127\.0\.0\.1:\d+)/.exec(said);
    if (m) {
      listening = true;
      resolve(m[1]);
    }
  });
  serve.once('exit', (code) => reject(new Error(`serve exited ${code}: ${said.slice(-2000)}`)));
});

const bodies = Array.from({ length: GROUPS }, (_, g) => group(g));
// One request first, so that this process's HTTP client is loaded and compiled before the storm:
// Alertmanager is a long-running process, and its first fetch cost this one ≈100 ms that were
// counted as the first acknowledgement's. The storm still opens a connection per delivery.
await (await fetch(`${url}/healthz`, { headers: { connection: 'close' } })).arrayBuffer();
const latencies: number[] = [];
const statuses: Record<string, number> = {};
const load = loadavg()[0];
const pressure = cpuPressure();
const sent = performance.now();
await Promise.all(
  bodies.map(async (body) => {
    const t0 = performance.now();
    const res = await fetch(`${url}/webhooks/alertmanager`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    });
    await res.arrayBuffer();
    latencies.push(performance.now() - t0);
    statuses[res.status] = (statuses[res.status] ?? 0) + 1;
  }),
);
// Acknowledged is not yet ingested: wait for the inbox to empty, then count the incidents.
let inbox: { files: number; deliveries: number } | undefined;
for (;;) {
  const health = (await (await fetch(`${url}/healthz`)).json()) as {
    ingesting: number;
    inbox?: { files: number; deliveries: number };
  };
  inbox = health.inbox;
  if (!health.ingesting) break;
  await new Promise((r) => setTimeout(r, 100));
}
const ingestedMs = Math.round(performance.now() - sent);
const db = await openDataStore(dataDir); // the serve process owns the store: this talks to it
const incidents = (await new DynamoIncidentStore(db.doc, db.tableName).list()).length;
await db.close();
latencies.sort((a, b) => a - b);
const q = (p: number) =>
  Math.round(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]);
const ackMs = { p50: q(0.5), p99: q(0.99), max: Math.round(latencies.at(-1) ?? 0) };
serve.kill('SIGTERM');
const stopped = performance.now();
const code = await new Promise<number | null>((resolve) => serve.once('exit', resolve));
process.stdout.write(
  `${JSON.stringify({
    groups: GROUPS,
    alertsPerGroup: ALERTS,
    alerts: GROUPS * ALERTS,
    statuses,
    ackMs,
    // Deliveries share inbox files (and fsyncs) when they arrive together: files < deliveries.
    inboxFiles: inbox?.files,
    ingestedMs,
    incidents,
    stopMs: Math.round(performance.now() - stopped),
    stopExit: code,
    loadAverage: Math.round(load * 10) / 10,
    // Share of the last 10 s in which some runnable task waited for a CPU (Linux PSI), at the storm.
    cpuPressurePct: pressure,
  })}\n`,
);
