/**
 * `npx tsx bench/serve-ack.ts`: how fast `firebreak serve` acknowledges a burst of new Alertmanager
 * groups, each opening an incident whose run starts in the background (real clock, as by default).
 * Prints one JSON line: acknowledgement latencies (ms) and status counts. SERVE_GROUPS (20) groups
 * of SERVE_ALERTS (20) alerts, all sent at once.
 */
import '../local/polyfills.js';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startServer } from '../bin/commands/serve.js';

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

const server = await startServer({
  port: 0,
  dataDir: mkdtempSync(join(tmpdir(), 'firebreak-serve-ack-')),
  approve: 'auto',
  noAuth: false,
  secrets: { alertmanager: [TOKEN] },
  say: () => undefined,
});
const bodies = Array.from({ length: GROUPS }, (_, g) => group(g));
const latencies: number[] = [];
const statuses: Record<string, number> = {};
await Promise.all(
  bodies.map(async (body) => {
    const t0 = performance.now();
    const res = await fetch(`${server.url}/webhooks/alertmanager`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    });
    await res.arrayBuffer();
    latencies.push(performance.now() - t0);
    statuses[res.status] = (statuses[res.status] ?? 0) + 1;
  }),
);
latencies.sort((a, b) => a - b);
const q = (p: number) =>
  Math.round(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]);
process.stdout.write(
  `${JSON.stringify({ groups: GROUPS, alertsPerGroup: ALERTS, statuses, ackMs: { p50: q(0.5), p99: q(0.99), max: Math.round(latencies.at(-1) ?? 0) } })}\n`,
);
await server.close();
