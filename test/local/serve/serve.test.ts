import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoIncidentStore } from '../../../adapters/aws/store/dynamo-store.js';
import { openDataStore } from '../../../adapters/embedded/dynamodb.js';
import { startServer } from '../../../bin/commands/serve.js';
import { fixtureText, variant } from '../../lambdas/ingest/fixtures.js';

const TOKEN = 'local-am-token-0123456789';
const dataDir = mkdtempSync(join(tmpdir(), 'firebreak-serve-'));
let server: Awaited<ReturnType<typeof startServer>>;
const said: string[] = [];

beforeAll(async () => {
  server = await startServer({
    port: 0,
    dataDir,
    approve: 'auto',
    noAuth: false,
    secrets: { alertmanager: [TOKEN] },
    say: (line) => said.push(line),
    fastClock: true,
  });
});

const post = (path: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', ...headers },
  });

describe('firebreak serve', () => {
  it('listens on 127.0.0.1 only', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('opens exactly one incident when the same alert is posted twice at once, and runs it', async () => {
    const body = JSON.stringify(variant('alertmanager-group', (d) => (d.alerts = [d.alerts[0]])));
    const auth = { authorization: `Bearer ${TOKEN}` };
    const answers = await Promise.all([
      post('/webhooks/alertmanager', body, auth),
      post('/webhooks/alertmanager', body, auth),
    ]);
    // Two copies at once: each is stored and answered, the second while the first is being taken
    // in, so both may be answered "queued" (202) before ingestion decides.
    for (const a of answers) expect([200, 202]).toContain(a.status);
    let health = { counts: {} as Record<string, number>, ingesting: 1 };
    for (let i = 0; i < 600 && health.ingesting; i++) {
      await new Promise((r) => setTimeout(r, 50));
      health = (await (await fetch(`${server.url}/healthz`)).json()) as typeof health;
    }
    expect(health.counts).toMatchObject({ 'decided.start': 1, 'decided.ignore': 1 });
  });

  it('answers client mistakes with 4xx and a reason, the same as the AWS endpoint', async () => {
    const pd = await post('/webhooks/pagerduty', fixtureText('pagerduty-triggered'));
    expect(pd.status).toBe(401);
    expect(await pd.json()).toEqual({
      error: 'not-configured',
      reason: expect.stringMatching(/no pagerduty webhook secret/),
    });
    const wrong = await post('/webhooks/alertmanager', '{}', {
      authorization: 'Bearer wrong-token-0000000000',
    });
    expect(wrong.status).toBe(401);
    const big = await post('/webhooks/alertmanager', 'x'.repeat(300_000), {
      authorization: `Bearer ${TOKEN}`,
    });
    expect(big.status).toBe(413);
    expect((await fetch(`${server.url}/nowhere`)).status).toBe(404);
  });

  it('mounts the approval endpoint: a link without a valid signature is refused with a page', async () => {
    const res = await fetch(`${server.url}/approvals/inc-20261120-1004-abcd?d=approve&exp=1&n=x&sig=forged`);
    expect([400, 403]).toContain(res.status);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
  });
});

afterAll(async () => {
  await server.close({ drain: true }); // waits for the started run to finish
  const db = await openDataStore(dataDir);
  try {
    const incidents = await new DynamoIncidentStore(db.doc, db.tableName).list();
    expect(incidents).toHaveLength(1);
    expect(incidents[0].executionArn).toMatch(/:execution:firebreak-incident-response:inc-/);
  } finally {
    await db.close();
  }
  expect(said.some((l) => /execution succeeded/.test(l))).toBe(true);
});
