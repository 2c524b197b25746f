/**
 * Done-when for redaction: a secret and a personal value of every kind planted in a scenario's
 * alert text, log lines, change records and security signals never reach a model request, the
 * outbox (email and SMS), the postmortem, the stored timeline, the stored alerts or the incident
 * record — through the whole local flow, with the offline analyst and with Claude behind the fake
 * Messages API — while the rotate and block actions still receive the raw key id and address.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withLocalStore } from '../../../adapters/embedded/dynamodb.js';
import { Scenario } from '../../../adapters/embedded/scenario/schema.js';
import { anthropicClient } from '../../../domain/analyst/claude/client.js';
import { ClaudeAnalyst } from '../../../domain/analyst/claude/index.js';
import { OfflineAnalyst } from '../../../domain/analyst/offline/index.js';
import type { MitigationAction } from '../../../domain/model.js';
import type { Actions } from '../../../domain/ports.js';
import { prepare, runIncident } from '../../../local/runner.js';
import { startFakeMessagesApi } from '../analyst/claude/fake-messages-api.js';
import { scriptedModel } from '../analyst/claude/scripted-models.js';

const KEY_ID = 'AKIAQ3PLANTED7RWXYZB';
const ATTACKER = '198.51.100.23';

/** Each planted value, by kind: the text carries it, and none of it may come out anywhere. */
const PLANTED = {
  'aws-access-key': KEY_ID,
  'aws-secret-key': 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYPLANTEDKEY',
  'github-token': 'ghp_PLANTEDabcdefghijklmnopqrstuvwxyz0123',
  'gitlab-token': 'glpat-PLANTEDabcdefghij0123',
  'slack-token': 'xoxb-2718281828-PLANTEDslacktok',
  'stripe-key': 'sk_live_PLANTEDstripe0123456789ab',
  jwt: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJwbGFudGVkIn0.c2lnbmF0dXJlcGxhbnRlZA',
  'bearer-token': 'b3arerPLANTEDtoken0123456789',
  'basic-auth': Buffer.from('deploy:Pl4ntedBasic!').toString('base64'),
  'private-key': 'MIIEowIBAAKCAQEAplantedKEYmaterial',
  'url-password': 'Pl4ntedUrlPassw0rd',
  'query-secret': 'deadbeefPLANTEDsignature',
  'connection-password': 'C0nnPlantedPw',
  email: 'jane.planted@example.com',
  phone: '+1 415 555 0142',
  card: '4111 1111 1111 1111',
  'us-ssn': '123-45-6789',
  'uk-nino': 'AB123456C',
  ip: ATTACKER,
};

const P = PLANTED;
const SECRET_TEXT = [
  `key ${P['aws-access-key']} with aws_secret_access_key=${P['aws-secret-key']}`,
  `tokens ${P['github-token']} ${P['gitlab-token']} ${P['slack-token']} ${P['stripe-key']}`,
  `Authorization: Bearer ${P.jwt}; retried with Authorization: Bearer ${P['bearer-token']}`,
  `proxy Authorization: Basic ${P['basic-auth']}`,
  `-----BEGIN RSA PRIVATE KEY-----\n${P['private-key']}\n-----END RSA PRIVATE KEY-----`,
  `postgres://orders:${P['url-password']}@db.internal:5432/orders`,
  `https://exports.s3.amazonaws.com/x.csv?X-Amz-Signature=${P['query-secret']}&X-Amz-Expires=300`,
  `Server=db;User Id=app;Password=${P['connection-password']};`,
].join(' | ');
const PERSONAL_TEXT = `customer ${P.email} phone ${P.phone} card ${P.card} ssn ${P['us-ssn']} nino ${P['uk-nino']} from ${P.ip}`;
const PLANTED_TEXT = `${SECRET_TEXT} | ${PERSONAL_TEXT}`;

function load(name: string): Scenario {
  return Scenario.parse(JSON.parse(readFileSync(`examples/scenarios/${name}.json`, 'utf8')));
}

/** Every value in alert text, a log line and a change record of the scenario. */
function plant(scenario: Scenario, service: string): Scenario {
  const s: Scenario = structuredClone(scenario);
  // biome-ignore lint/suspicious/noExplicitAny: the payload is whatever the alert source sent
  const payload = s.alert.payload as Record<string, any>;
  if (payload.alerts) {
    const a = payload.alerts[0];
    a.labels.user = P.email;
    a.annotations.summary = `${a.annotations.summary} (${P.email})`;
    a.annotations.description = PLANTED_TEXT;
  } else {
    payload.detail.configuration = { ...payload.detail.configuration, description: PLANTED_TEXT };
    payload.detail.state.reason = `${payload.detail.state.reason} ${PERSONAL_TEXT}`;
  }
  const at = s.environment.logs[0]?.timestamp ?? s.alert.receivedAt;
  s.environment.logs.push({ service, timestamp: at, level: 'ERROR', message: PLANTED_TEXT, count: 40 });
  s.environment.changes.push({
    timestamp: at,
    service,
    eventName: 'UpdateFunctionConfiguration',
    summary: `env updated: ${PLANTED_TEXT}`,
    actor: P.email,
  });
  return s;
}

interface Collected {
  haystacks: Record<string, string>;
  applied: MitigationAction[];
}

async function run(scenario: Scenario, withModel: boolean): Promise<Collected & { requests: string }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'firebreak-redaction-'));
  const server = withModel
    ? await startFakeMessagesApi(scriptedModel({ specialists: ['logs', 'changes', 'security'] }))
    : undefined;
  const applied: MitigationAction[] = [];
  const recording = (inner: Actions): Actions => ({
    execute: async (action, opts) => {
      if (!opts.dryRun) applied.push(action);
      return inner.execute(action, opts);
    },
  });
  try {
    const summary = await runIncident(prepare(scenario), {
      dataDir,
      approve: 'auto',
      actions: recording,
      analyst: server
        ? (evidence) =>
            new ClaudeAnalyst({
              client: anthropicClient({ apiKey: 'test', baseURL: server.url, maxRetries: 0 }),
              evidence,
              fallback: new OfflineAnalyst(evidence),
            })
        : undefined,
    });
    const stored = await withLocalStore(dataDir, async (store) => ({
      incident: await store.get(summary.incidentId),
      timeline: await store.timeline(summary.incidentId),
      alerts: await store.alerts(summary.incidentId),
    }));
    const postmortems = await readdir(join(dataDir, 'postmortems'));
    return {
      haystacks: {
        outbox: await readFile(join(dataDir, 'outbox.jsonl'), 'utf8'),
        postmortem: await readFile(join(dataDir, 'postmortems', postmortems[0]), 'utf8'),
        incident: JSON.stringify(stored.incident),
        timeline: JSON.stringify(stored.timeline),
        alerts: JSON.stringify(stored.alerts),
        summary: JSON.stringify(summary),
      },
      applied,
      requests: JSON.stringify(server?.requests.map((r) => r.body) ?? []),
    };
  } finally {
    await server?.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** The planted values found in each place, as `place: kind`; empty when nothing leaked. */
function leaks(haystacks: Record<string, string>): string[] {
  const out: string[] = [];
  for (const [place, text] of Object.entries(haystacks)) {
    // JSON escapes newlines and slashes differently; compare against the unescaped text too.
    const plain = text.replace(/\\n/g, '\n').replace(/\\\//g, '/');
    for (const [kind, value] of Object.entries(PLANTED)) {
      if (text.includes(value) || plain.includes(value)) out.push(`${place}: ${kind}`);
    }
  }
  return out;
}

const leakedKey = plant(
  (() => {
    const s = load('data-export-leaked-access-key');
    // The structured field a responder's tooling fills in: AWS Health names the exposed key.
    s.environment.securityEvents[0].source = KEY_ID;
    s.environment.securityEvents[0].detail = `Access key ${KEY_ID} belonging to IAM user svc-data-export was found publicly available on github.com`;
    return s;
  })(),
  'data-export',
);
const stuffing = plant(
  (() => {
    const s = load('identity-api-credential-stuffing');
    const login = s.environment.securityEvents.find((e) => e.kind === 'failed-login');
    if (!login) throw new Error('scenario changed: no failed-login signal');
    login.source = ATTACKER;
    login.detail = `${login.detail}; loudest source ${ATTACKER}`;
    return s;
  })(),
  'identity-api',
);

describe('planted secrets and personal data', () => {
  it('the planted text really carries every kind into the scenario (a check that can fail)', () => {
    const text = JSON.stringify(leakedKey) + JSON.stringify(stuffing);
    for (const value of Object.values(PLANTED)) expect(text.replace(/\\n/g, '\n')).toContain(value);
  });

  it('stay out of the outbox, postmortem, timeline, alerts and incident; rotate gets the key id (offline)', async () => {
    const out = await run(leakedKey, false);
    expect(leaks(out.haystacks)).toEqual([]);
    // Still useful: the typed placeholder is there, and the same key reads the same everywhere.
    expect(out.haystacks.timeline).toContain('<aws-access-key:…XYZB>');
    expect(out.haystacks.alerts).toMatch(/<email:[0-9a-f]{6}>/);
    const rotate = out.applied.find((a) => a.kind === 'rotate-credentials');
    expect(rotate?.params.accessKeyId).toBe(KEY_ID);
    // What was approved and recorded is the masked form.
    expect(out.haystacks.incident).toContain('"accessKeyId":"<aws-access-key:…XYZB>"');
  }, 120_000);

  it('stay out of everything; block gets the attacking address (offline)', async () => {
    const out = await run(stuffing, false);
    expect(leaks(out.haystacks)).toEqual([]);
    const block = out.applied.find((a) => a.kind === 'block-traffic');
    expect(block?.params.cidr).toBe(`${ATTACKER}/32`);
    expect(out.haystacks.outbox).toMatch(/<ip:[0-9a-f]{6}>\/32/);
  }, 120_000);

  it('never reach the model: every Messages API request is clean (Claude analyst)', async () => {
    for (const scenario of [leakedKey, stuffing]) {
      const out = await run(scenario, true);
      expect(out.requests.length).toBeGreaterThan(1000);
      expect(leaks({ ...out.haystacks, requests: out.requests })).toEqual([]);
      // The model did see the evidence, masked (its prompt JSON-escapes `<` as \u003c).
      expect(out.requests).toMatch(/(?:<|\\u003c)email:[0-9a-f]{6}/);
    }
  }, 180_000);
});
