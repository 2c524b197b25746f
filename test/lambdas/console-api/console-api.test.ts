/**
 * The console Lambda: the token's subject is the approver, a request without one is refused, and a
 * decision answers the waiting Step Functions task (SFN mocked at the SDK client; DynamoDB in
 * dynalite). A task that can no longer be answered withdraws the decision. A close is refused while
 * the incident's execution runs (DescribeExecution), and names the subject once it is allowed.
 */
import { randomBytes } from 'node:crypto';
import {
  DescribeExecutionCommand,
  ExecutionDoesNotExist,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  SFNClient,
} from '@aws-sdk/client-sfn';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoMemory } from '../../../adapters/aws/memory.js';
import { SfnTaskAnswerer } from '../../../adapters/aws/sfn-answerer.js';
import { DynamoIncidentStore } from '../../../adapters/aws/store/dynamo-store.js';
import { type EmbeddedDynamoDB, startEmbeddedDynamoDB } from '../../../adapters/embedded/dynamodb.js';
import { openApproval } from '../../../domain/approval/approval.js';
import { staticKey } from '../../../domain/approval/links.js';
import { ManualClock } from '../../../domain/clock.js';
import { defaultConfig } from '../../../domain/config.js';
import type { Incident, MitigationAction } from '../../../domain/model.js';
import { type ConsoleApiDeps, handleConsoleEvent } from '../../../lambdas/console-api/index.js';
import { runningExecution } from '../../../runtime/console-wiring.js';

const sfn = mockClient(SFNClient);
let db: EmbeddedDynamoDB;
let deps: ConsoleApiDeps;
const clock = new ManualClock('2026-05-01T12:00:00Z');
const STATE_MACHINE = 'arn:aws:states:eu-west-1:123456789012:stateMachine:firebreak-incident-response';
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
  const sfnClient = new SFNClient({ region: 'eu-west-1' });
  deps = {
    store,
    clock,
    config: defaultConfig(),
    memory: new DynamoMemory(db.doc, db.tableName),
    keys: staticKey(randomBytes(32)),
    answerer: new SfnTaskAnswerer(sfnClient),
    drivenBy: runningExecution(sfnClient, STATE_MACHINE),
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

  it('refuses to close while the execution runs, then closes as the subject once it stopped', async () => {
    const id = 'inc-20260501-1150-cccc';
    const executionArn = `${STATE_MACHINE.replace(':stateMachine:', ':execution:')}:${id}`;
    await deps.store.create({ ...incident(id), mitigation: undefined, executionArn });
    const page = (await handleConsoleEvent(event('GET', `/console/incidents/${id}`, { sub: 'u-7' }), deps))
      .body;
    expect(page).not.toContain('name="by"');
    const body = new URLSearchParams({
      ...formFields(page, 'close'),
      reason: 'rolled back by hand',
    }).toString();
    const close = () =>
      handleConsoleEvent(event('POST', `/console/incidents/${id}/close`, { sub: 'u-7', body }), deps);
    sfn.on(DescribeExecutionCommand).resolves({ status: 'RUNNING' });
    const refused = await close();
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain(
      `its Step Functions execution ${id} (RUNNING) is still responding to ${id}`,
    );
    expect(sfn.commandCalls(DescribeExecutionCommand)[0].args[0].input).toEqual({ executionArn });
    expect((await deps.store.get(id))?.status).toBe('ACTIVE');
    expect(await deps.store.timeline(id)).toEqual([]);
    sfn.on(DescribeExecutionCommand).resolves({ status: 'FAILED' });
    const closed = await close();
    expect(closed.statusCode).toBe(303);
    expect(closed.headers.location).toBe(`/console/incidents/${id}`);
    expect((await deps.store.get(id))?.status).toBe('RESOLVED');
    expect((await deps.store.timeline(id)).at(-1)).toMatchObject({
      type: 'closed',
      actor: 'console:u-7',
      text: 'closed by hand as RESOLVED: rolled back by hand',
    });
  });

  it('closes an incident whose execution never existed, found by its name', async () => {
    const id = 'inc-20260501-1150-dddd';
    await deps.store.create({ ...incident(id), mitigation: undefined });
    sfn
      .on(DescribeExecutionCommand)
      .rejects(new ExecutionDoesNotExist({ message: 'no such execution', $metadata: {} }));
    const page = (await handleConsoleEvent(event('GET', `/console/incidents/${id}`, { sub: 'u-8' }), deps))
      .body;
    const body = new URLSearchParams({
      ...formFields(page, 'close'),
      reason: 'handled by the payments team',
    });
    const res = await handleConsoleEvent(
      event('POST', `/console/incidents/${id}/close`, { sub: 'u-8', body: body.toString() }),
      deps,
    );
    expect(res.statusCode).toBe(303);
    expect(sfn.commandCalls(DescribeExecutionCommand)[0].args[0].input.executionArn).toBe(
      `${STATE_MACHINE.replace(':stateMachine:', ':execution:')}:${id}`,
    );
    expect((await deps.store.get(id))?.status).toBe('RESOLVED');
  });

  it('records a review of a closed incident as the subject, and re-indexes its memory', async () => {
    const id = 'inc-20260501-1150-eeee';
    await deps.store.create({
      ...incident(id),
      mitigation: undefined,
      status: 'RESOLVED',
      resolvedAt: '2026-05-01T11:58:00Z',
      rootCause: {
        category: 'deployment',
        culprit: 'checkout v2',
        summary: 'the deploy broke it',
        causalChain: [],
        confidence: 0.9,
        evidence: [],
        ruledOut: [],
        mitigation: null,
        degraded: false,
      },
    });
    const page = (await handleConsoleEvent(event('GET', `/console/incidents/${id}`, { sub: 'u-5' }), deps))
      .body;
    const body = new URLSearchParams({ ...formFields(page, 'review'), verdict: 'correct' }).toString();
    const res = await handleConsoleEvent(
      event('POST', `/console/incidents/${id}/review`, { sub: 'u-5', body }),
      deps,
    );
    expect(res.statusCode).toBe(303);
    const reviewed = await deps.store.get(id);
    expect(reviewed?.review).toMatchObject({ verdict: 'correct', by: 'console:u-5', score: 100 });
    const similar = await deps.memory?.similar(
      { ...incident('inc-20260502-0900-ffff'), detectedAt: '2026-05-02T09:00:00Z', fingerprint: id },
      defaultConfig().memory,
    );
    expect(similar?.matches.map((m) => [m.record.id, m.record.confirmed?.category])).toEqual([
      [id, 'deployment'],
    ]);
  });
});
