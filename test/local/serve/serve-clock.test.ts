/**
 * `serve` beside real alert sources: it acknowledges once the alert is stored and the run started,
 * the run waits on the real clock (not two hours of checks in two seconds), and stopping `serve`
 * ends the runs in flight with the incident saying so and on-call told.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DynamoIncidentStore } from '../../../adapters/aws/store/dynamo-store.js';
import { openDataStore } from '../../../adapters/embedded/dynamodb.js';
import { startServer } from '../../../bin/commands/serve.js';
import { variant } from '../../lambdas/ingest/fixtures.js';

const TOKEN = 'local-am-token-0123456789';

describe('firebreak serve on the real clock', () => {
  it('acknowledges at once, waits for real, and stops its runs telling on-call', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'firebreak-serve-clock-'));
    const said: string[] = [];
    const server = await startServer({
      port: 0,
      dataDir,
      approve: 'auto',
      noAuth: false,
      secrets: { alertmanager: [TOKEN] },
      say: (line) => said.push(line),
      // These check what ingestion decided, so the sender waits for it (the inbox test does not).
      ackWithinMs: 60_000,
    });
    const started = Date.now();
    const res = await fetch(`${server.url}/webhooks/alertmanager`, {
      method: 'POST',
      body: JSON.stringify(variant('alertmanager-group', (d) => (d.alerts = [d.alerts[0]]))),
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    });
    const ackMs = Date.now() - started;
    expect(res.status).toBe(200);
    const { decision, incidentId } = (await res.json()) as { decision: string; incidentId: string };
    expect(decision).toBe('start');
    expect(ackMs).toBeLessThan(2_000);

    // Another process's view of the same folder: it talks to serve's store over the DynamoDB API.
    const reader = await openDataStore(dataDir);
    expect(reader.owner()).toBe(false);
    const store = new DynamoIncidentStore(reader.doc, reader.tableName);
    let entered: string[] = [];
    for (let i = 0; i < 300 && !entered.includes('entered WaitForRecovery'); i++) {
      await new Promise((r) => setTimeout(r, 100));
      entered = (await store.timeline(incidentId)).filter((e) => e.type === 'state').map((e) => e.text);
    }
    expect(entered).toContain('entered WaitForRecovery');
    await new Promise((r) => setTimeout(r, 1_000));
    // A real five-minute wait: still waiting a second later, not checked and resolved.
    const meanwhile = await store.timeline(incidentId);
    expect(meanwhile.some((e) => e.text === 'entered CheckRecovery')).toBe(false);
    expect((await store.get(incidentId))?.status).not.toBe('RESOLVED');
    await reader.close();

    const stopping = Date.now();
    await server.close();
    expect(Date.now() - stopping).toBeLessThan(10_000);
    const after = await openDataStore(dataDir);
    try {
      const timeline = await new DynamoIncidentStore(after.doc, after.tableName).timeline(incidentId);
      expect(timeline.find((e) => e.type === 'automation-failed')?.text).toMatch(
        /^automation stopped: RunStopped/,
      );
    } finally {
      await after.close();
    }
    const outbox = readFileSync(join(dataDir, 'outbox.jsonl'), 'utf8');
    expect(outbox).toContain('"kind":"automation-failure"');
  }, 120_000);
});
