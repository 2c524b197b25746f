/**
 * The console Lambda: the token's subject is the approver, a request without one is refused, and a
 * decision answers the waiting Step Functions task (SFN mocked at the SDK client; DynamoDB in
 * dynalite). A task that can no longer be answered withdraws the decision.
 */
import { randomBytes } from 'node:crypto';
import { SendTaskFailureCommand, SendTaskSuccessCommand, SFNClient } from '@aws-sdk/client-sfn';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SfnTaskAnswerer } from '../../../adapters/aws/sfn-answerer.js';
import { DynamoIncidentStore } from '../../../adapters/aws/store/dynamo-store.js';
import { type EmbeddedDynamoDB, startEmbeddedDynamoDB } from '../../../adapters/embedded/dynamodb.js';
import { openApproval } from '../../../domain/approval/approval.js';
import { staticKey } from '../../../domain/approval/links.js';
import { ManualClock } from '../../../domain/clock.js';
import { defaultConfig } from '../../../domain/config.js';
import type { Incident, MitigationAction } from '../../../domain/model.js';
import { type ConsoleApiDeps, handleConsoleEvent } from '../../../lambdas/console-api/index.js';

const sfn = mockClient(SFNClient);
let db: EmbeddedDynamoDB;
let deps: ConsoleApiDeps;
const clock = new ManualClock('2026-05-01T12:00:00Z');
const action: MitigationAction = { kind: 'rollback', target: 'checkout', params: {}, rationale: '' };

const event = (
  method: string,
  path: string,
  opts: { sub?: string; body?: string; query?: string } = {},
): APIGatewayProxyEventV2WithJWTAuthorizer =>
  ({
    version: '2.0',
    rawPath: path,
    rawQueryString: opts.query ?? '',
    body: opts.body ? Buffer.from(opts.body).toString('base64') : undefined,
    isBase64Encoded: true,
    headers: {},
    requestContext: {
      http: { method, path },
      authorizer: { jwt: { claims: opts.sub ? { sub: opts.sub } : {}, scopes: [] } },
    },
  }) as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;

const incident = (id: string): Incident => ({
  id,
  status: 'ACTIVE',
  severity: 'SEV2',
  title: 'checkout 5xx',
  service: 'checkout',
  services: ['checkout'],
  fingerprint: id,
  source: 'manual',
  detectedAt: '2026-05-01T11:50:00Z',
  updatedAt: '2026-05-01T11:50:00Z',
  escalationTier: 0,
  mitigation: { action, status: 'awaiting-approval', detail: '' },
});

const formFields = (page: string, kind: string) => {
  const form = new RegExp(`<form class="${kind}"[^>]*>(.*?)</form>`, 's').exec(page)?.[1] ?? '';
  return Object.fromEntries([...form.matchAll(/name="(\w+)" value="([^"]*)"/g)].map((m) => [m[1], m[2]]));
};

beforeAll(async () => {
  db = await startEmbeddedDynamoDB();
  const store = new DynamoIncidentStore(db.doc, db.tableName);
  deps = {
    store,
    clock,
    config: defaultConfig(),
    keys: staticKey(randomBytes(32)),
    answerer: new SfnTaskAnswerer(new SFNClient({ region: 'eu-west-1' })),
  };
  for (const id of ['inc-20260501-1150-aaaa', 'inc-20260501-1150-bbbb']) {
    await store.create(incident(id));
    await openApproval({ store, clock }, id, action, `token-${id}`, 900);
  }
});
beforeEach(() => sfn.reset());
afterAll(() => db.close());

describe('console Lambda', () => {
  it('refuses a request that carries no subject', async () => {
    const res = await handleConsoleEvent(event('GET', '/console/'), deps);
    expect(res.statusCode).toBe(401);
  });

  it('approves as the token subject and answers the waiting task', async () => {
    sfn.on(SendTaskSuccessCommand).resolves({});
    const id = 'inc-20260501-1150-aaaa';
    const page = (await handleConsoleEvent(event('GET', `/console/incidents/${id}`, { sub: 'u-123' }), deps))
      .body;
    expect(page).toContain('signed in as u-123');
    const body = new URLSearchParams({ ...formFields(page, 'approve'), by: 'not-me' }).toString();
    const res = await handleConsoleEvent(
      event('POST', `/console/incidents/${id}/decision`, { sub: 'u-123', body }),
      deps,
    );
    expect(res.statusCode).toBe(200);
    const sent = sfn.commandCalls(SendTaskSuccessCommand)[0].args[0].input;
    expect(sent.taskToken).toBe(`token-${id}`);
    expect(JSON.parse(sent.output ?? '{}')).toMatchObject({ approved: true, by: 'console:u-123' });
    expect((await deps.store.get(id))?.mitigation).toMatchObject({
      status: 'approved',
      approvedBy: 'console:u-123',
    });
  });

  it('withdraws a rejection the workflow no longer waits for', async () => {
    sfn.on(SendTaskFailureCommand).rejects(Object.assign(new Error('gone'), { name: 'TaskTimedOut' }));
    const id = 'inc-20260501-1150-bbbb';
    const page = (await handleConsoleEvent(event('GET', `/console/incidents/${id}`, { sub: 'u-9' }), deps))
      .body;
    const body = new URLSearchParams(formFields(page, 'reject')).toString();
    const res = await handleConsoleEvent(
      event('POST', `/console/incidents/${id}/decision`, { sub: 'u-9', body }),
      deps,
    );
    expect(res.statusCode).toBe(410);
    expect((await deps.store.get(id))?.mitigation?.status).toBe('timed-out');
  });
});
