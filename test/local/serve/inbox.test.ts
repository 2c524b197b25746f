/**
 * `serve`'s inbox: a storm is answered once each delivery is stored (202 "queued"), every delivery
 * is then ingested as if it had been answered with its outcome, and what a dead `serve` left in the
 * inbox is ingested by the next one.
 */
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DynamoIncidentStore } from '../../../adapters/aws/store/dynamo-store.js';
import { openDataStore } from '../../../adapters/embedded/dynamodb.js';
import { startServer } from '../../../bin/commands/serve.js';
import { toDelivery } from '../../../lambdas/ingest/read-body.js';
import { variant } from '../../lambdas/ingest/fixtures.js';

const group = (g: number) =>
  variant('alertmanager-group', (d) => {
    const one = (d.alerts as Array<Record<string, unknown>>)[0];
    d.groupKey = `{}:{alertname="Inbox${g}"}`;
    d.alerts = [0, 1, 2].map((i) => ({
      ...one,
      labels: { ...(one.labels as object), alertname: `Inbox${g}`, service: `inbox-svc-${g}`, pod: `p${i}` },
      fingerprint: `inbox-${g}-${i}`,
    }));
  });

async function incidentsIn(dataDir: string) {
  const db = await openDataStore(dataDir);
  try {
    return await new DynamoIncidentStore(db.doc, db.tableName).list();
  } finally {
    await db.close();
  }
}

const start = (dataDir: string, ackWithinMs?: number) =>
  startServer({
    port: 0,
    dataDir,
    approve: 'auto',
    noAuth: true,
    secrets: {},
    say: () => undefined,
    fastClock: true,
    ...(ackWithinMs === undefined ? {} : { ackWithinMs }),
  });

describe('serve inbox', () => {
  it('answers a storm once stored, then ingests every delivery: one incident per group', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'firebreak-inbox-'));
    const server = await start(dataDir, 0);
    const answers = await Promise.all(
      [0, 1, 2, 3, 4].map((g) =>
        fetch(`${server.url}/webhooks/alertmanager`, { method: 'POST', body: JSON.stringify(group(g)) }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202, 202, 202]);
    const first = (await answers[0].json()) as { decision: string; reason: string };
    expect(first.decision).toBe('queued');
    expect(first.reason).toMatch(/stored in the inbox/);
    // A bad delivery is still refused in the request, not queued.
    const bad = await fetch(`${server.url}/webhooks/alertmanager`, { method: 'POST', body: '{"alerts":7}' });
    expect(bad.status).toBe(400);
    for (let i = 0; i < 600; i++) {
      const health = (await (await fetch(`${server.url}/healthz`)).json()) as { ingesting: number };
      if (!health.ingesting) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await server.close({ drain: true });
    const incidents = await incidentsIn(dataDir);
    expect(incidents.map((i) => i.service).sort()).toEqual([0, 1, 2, 3, 4].map((g) => `inbox-svc-${g}`));
    expect(incidents.every((i) => i.executionArn)).toBe(true);
    expect(readdirSync(join(dataDir, 'inbox'))).toEqual([]);
  }, 180_000);

  it('answers at once while earlier deliveries are still being ingested, not after its own', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'firebreak-inbox-backlog-'));
    mkdirSync(join(dataDir, 'inbox'), { recursive: true });
    // A backlog: four groups a dead serve acknowledged, ingested by this one as it starts.
    const left = [20, 21, 22, 23].map((g) => toDelivery(group(g), 'alertmanager', new Date().toISOString()));
    writeFileSync(join(dataDir, 'inbox', '1-left.json'), JSON.stringify(left));
    // The sender would wait up to a minute for the outcome of a delivery taken on its own.
    const server = await start(dataDir, 60_000);
    const res = await fetch(`${server.url}/webhooks/alertmanager`, {
      method: 'POST',
      body: JSON.stringify(group(24)),
    });
    expect(res.status).toBe(202);
    expect(((await res.json()) as { decision: string }).decision).toBe('queued');
    for (let i = 0; i < 600; i++) {
      const health = (await (await fetch(`${server.url}/healthz`)).json()) as { ingesting: number };
      if (!health.ingesting) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await server.close({ drain: true });
    const incidents = await incidentsIn(dataDir);
    expect(incidents.map((i) => i.service).sort()).toEqual([20, 21, 22, 23, 24].map((g) => `inbox-svc-${g}`));
    expect(readdirSync(join(dataDir, 'inbox'))).toEqual([]);
  }, 180_000);

  it('ingests what a serve that died left in its inbox, once', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'firebreak-inbox-left-'));
    mkdirSync(join(dataDir, 'inbox'), { recursive: true });
    const delivery = toDelivery(group(9), 'alertmanager', new Date().toISOString());
    writeFileSync(join(dataDir, 'inbox', '1-left.json'), JSON.stringify(delivery));
    // A write the dead process never finished renaming is not a delivery anyone was answered for.
    writeFileSync(join(dataDir, 'inbox', '2-torn.json.tmp'), '{"source":"alertm');
    const server = await start(dataDir);
    for (let i = 0; i < 600 && readdirSync(join(dataDir, 'inbox')).includes('1-left.json'); i++)
      await new Promise((r) => setTimeout(r, 100));
    await server.close({ drain: true });
    const incidents = await incidentsIn(dataDir);
    expect(incidents.map((i) => i.service)).toEqual(['inbox-svc-9']);
    expect(incidents[0].status).not.toBe('TRIAGE');
  }, 180_000);
});
