/**
 * Signed approval links and the approval endpoint, against dynalite and a mocked Step Functions:
 * a forged, expired, superseded or replayed link is refused with a clear page and changes nothing.
 */
import { SendTaskFailureCommand, SendTaskSuccessCommand, SFNClient } from '@aws-sdk/client-sfn';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SfnTaskAnswerer } from '../../../adapters/aws/sfn-answerer.js';
import type { DynamoIncidentStore } from '../../../adapters/aws/store/dynamo-store.js';
import type { EmbeddedDynamoDB } from '../../../adapters/embedded/dynamodb.js';
import { openApproval } from '../../../domain/approval/approval.js';
import { approvalLinks, signLink, staticKey, verifyLink } from '../../../domain/approval/links.js';
import { ManualClock } from '../../../domain/clock.js';
import type { Incident } from '../../../domain/model.js';
import { makeHandler } from '../../../lambdas/approval-api/handler.js';
import { type ApprovalApiDeps, handleApprovalRequest } from '../../../lambdas/approval-api/index.js';
import { anIncident } from '../../support/incidents.js';
import { startTestStore } from '../../support/store.js';

const KEY = Buffer.from('k'.repeat(48));
const BASE = 'https://firebreak.example';
const sfn = mockClient(SFNClient);
const action = {
  kind: 'rollback' as const,
  target: 'checkout',
  params: { toVersion: 'checkout:41' },
  rationale: 'v42 broke it',
};

let db: EmbeddedDynamoDB;
let store: DynamoIncidentStore;
const clock = new ManualClock('2026-05-04T09:40:00.000Z');
let deps: ApprovalApiDeps;
let n = 0;

beforeAll(async () => {
  ({ db, store } = await startTestStore());
  deps = {
    store,
    clock,
    keys: staticKey(KEY),
    answerer: new SfnTaskAnswerer(new SFNClient({ region: 'us-east-1' })),
  };
});
afterAll(async () => db.close());
afterEach(() => sfn.reset());

/** An incident waiting for approval, with its two links and task token. */
async function pending(title = 'checkout-5xx') {
  clock.set('2026-05-04T09:40:00.000Z');
  const id = `inc-approval-${++n}`;
  const incident: Incident = anIncident({
    id,
    status: 'ACTIVE',
    severity: 'SEV2',
    title,
    mitigation: { action, status: 'awaiting-approval', detail: '' },
  });
  await store.create(incident);
  const taskToken = `task-token-${id}`;
  const { approvalToken, expiresAt } = await openApproval({ store, clock }, id, action, taskToken, 900);
  const links = await approvalLinks({ baseUrl: BASE, keys: staticKey(KEY) }, id, approvalToken, expiresAt);
  return { id, taskToken, links, approvalToken };
}

const asRequest = (link: string, method = 'GET', form: Record<string, string> = {}) => {
  const url = new URL(link);
  const query = Object.fromEntries(url.searchParams);
  return method === 'GET'
    ? { method, path: url.pathname, query }
    : { method, path: url.pathname, body: new URLSearchParams({ ...query, ...form }).toString() };
};

const snapshot = async (id: string) => ({
  approval: await store.getApprovalToken(id),
  incident: await store.get(id),
  timeline: await store.timeline(id),
});

describe('approval links', () => {
  it('verify only what was signed: decision, incident, expiry and token are all bound', () => {
    const claims = {
      incidentId: 'inc-1',
      decision: 'reject' as const,
      expiresAt: 1_777_000_000,
      nonce: 'n'.repeat(32),
    };
    const sig = signLink(KEY, claims);
    const query = { d: 'reject', exp: String(claims.expiresAt), n: claims.nonce, sig };
    const now = new Date(1_776_999_000_000);
    expect(verifyLink(KEY, 'inc-1', query, now)).toMatchObject({ ok: true });
    expect(verifyLink(KEY, 'inc-1', { ...query, d: 'approve' }, now)).toMatchObject({
      ok: false,
      code: 'forged',
    });
    expect(verifyLink(KEY, 'inc-2', query, now)).toMatchObject({ ok: false, code: 'forged' });
    expect(verifyLink(KEY, 'inc-1', { ...query, exp: String(claims.expiresAt + 3600) }, now)).toMatchObject({
      code: 'forged',
    });
    expect(verifyLink(Buffer.from('x'.repeat(48)), 'inc-1', query, now)).toMatchObject({ code: 'forged' });
    expect(verifyLink(KEY, 'inc-1', query, new Date(1_777_000_000_000))).toMatchObject({
      ok: false,
      code: 'expired',
    });
    expect(verifyLink(KEY, 'inc-1', { d: 'approve' }, now)).toMatchObject({ ok: false, code: 'malformed' });
    expect(() => signLink(Buffer.from('short'), claims)).toThrow(/at least 32 bytes/);
  });
});

describe('approval endpoint', () => {
  it('GET shows a confirm page naming the action and changes nothing', async () => {
    const { id, links } = await pending('checkout <script>alert(1)</script>');
    const before = await snapshot(id);
    const res = await handleApprovalRequest(asRequest(links.approve), deps);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Approve mitigation for');
    expect(res.body).toContain('rollback checkout (toVersion=checkout:41)');
    expect(res.body).toContain('method="post"');
    expect(res.body).not.toContain('<script>alert(1)</script>');
    expect(res.body).toContain('&lt;script&gt;');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(await snapshot(id)).toEqual(before);
    expect(sfn.calls()).toHaveLength(0);
  });

  it('the confirm page carries the decision: cause, confidence, evidence, blast radius, undo, expiry', async () => {
    const { id, links } = await pending();
    await store.update(id, {
      services: ['checkout', 'payments-api'],
      rootCause: {
        category: 'deployment',
        culprit: 'checkout:42',
        summary: 'checkout:42 introduced a null dereference in the promo path',
        causalChain: ['checkout:42 deployed at 09:20', 'TypeError in the promo path (5124x)'],
        confidence: 0.9,
        evidence: ['deploy:checkout@42', 'log:checkout:1a2b'],
        ruledOut: [],
        mitigation: null,
        degraded: false,
      },
    });
    const res = await handleApprovalRequest(asRequest(links.reject), deps);
    expect(res.statusCode).toBe(200);
    const text = res.body.replace(/<[^>]+>/g, '\n');
    expect(text).toMatch(/Root cause\n+deployment \(checkout:42\), 90% confidence: checkout:42 introduced/);
    expect(text).toContain('TypeError in the promo path (5124x)');
    expect(text).toContain('evidence ids: deploy:checkout@42, log:checkout:1a2b');
    expect(text).toMatch(/Touches\n+checkout; blast radius of the incident: checkout, payments-api/);
    expect(text).toMatch(/Undo\n+roll forward to the version running before the rollback/);
    expect(text).toMatch(/Expires\n+2026-05-04 09:55 UTC; without a decision nothing runs/);
  });

  it('POST approves once: records who and when, answers the task with SendTaskSuccess', async () => {
    sfn.on(SendTaskSuccessCommand).resolves({});
    const { id, links, taskToken } = await pending();
    clock.advance(120);
    const res = await handleApprovalRequest(asRequest(links.approve, 'POST', { by: 'Alice Ng' }), deps);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('recorded as decided by Alice Ng');
    const calls = sfn.commandCalls(SendTaskSuccessCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0].args[0].input.taskToken).toBe(taskToken);
    expect(JSON.parse(calls[0].args[0].input.output as string)).toEqual({
      approved: true,
      by: 'link:Alice Ng',
      at: '2026-05-04T09:42:00.000Z',
    });
    const after = await snapshot(id);
    expect(after.approval?.usedAt).toBe('2026-05-04T09:42:00.000Z');
    expect(after.incident?.mitigation).toMatchObject({ status: 'approved', approvedBy: 'link:Alice Ng' });
    expect(after.incident?.acknowledgedAt).toBe('2026-05-04T09:42:00.000Z');
    expect(after.timeline.at(-1)).toMatchObject({ type: 'approval-granted', actor: 'link:Alice Ng' });
  });

  it('a replayed link is refused, changes nothing, and answers no task', async () => {
    sfn.on(SendTaskSuccessCommand).resolves({});
    const { id, links } = await pending();
    expect(
      (await handleApprovalRequest(asRequest(links.approve, 'POST', { by: 'alice' }), deps)).statusCode,
    ).toBe(200);
    const before = await snapshot(id);
    for (const req of [
      asRequest(links.approve, 'POST', { by: 'mallory' }),
      asRequest(links.reject, 'POST', { by: 'mallory' }),
      asRequest(links.approve),
    ]) {
      const res = await handleApprovalRequest(req, deps);
      expect(res.statusCode).toBe(409);
      expect(res.body).toContain('Already decided');
      expect(res.body).toContain('Nothing was approved, rejected or run.');
    }
    expect(await snapshot(id)).toEqual(before);
    expect(sfn.commandCalls(SendTaskSuccessCommand)).toHaveLength(1);
    expect(sfn.commandCalls(SendTaskFailureCommand)).toHaveLength(0);
  });

  it('a forged link is refused before anything is read or written', async () => {
    const { id, links } = await pending();
    const before = await snapshot(id);
    const reject = new URL(links.reject);
    // The reject link's signature with the decision flipped to approve.
    reject.searchParams.set('d', 'approve');
    const flipped = await handleApprovalRequest(
      asRequest(reject.toString(), 'POST', { by: 'mallory' }),
      deps,
    );
    expect(flipped.statusCode).toBe(403);
    expect(flipped.body).toContain('Invalid approval link');
    const approve = new URL(links.approve);
    approve.searchParams.set('sig', `${approve.searchParams.get('sig')?.slice(0, -2)}AA`);
    expect(
      (await handleApprovalRequest(asRequest(approve.toString(), 'POST', { by: 'mallory' }), deps))
        .statusCode,
    ).toBe(403);
    const otherIncident = links.approve.replace(`/approvals/${id}?`, '/approvals/inc-approval-999?');
    expect(
      (await handleApprovalRequest(asRequest(otherIncident, 'POST', { by: 'mallory' }), deps)).statusCode,
    ).toBe(403);
    expect(await snapshot(id)).toEqual(before);
    expect(sfn.calls()).toHaveLength(0);
  });

  it('an expired link is refused and changes nothing', async () => {
    const { id, links } = await pending();
    const before = await snapshot(id);
    clock.advance(901);
    for (const req of [asRequest(links.approve), asRequest(links.approve, 'POST', { by: 'alice' })]) {
      const res = await handleApprovalRequest(req, deps);
      expect(res.statusCode).toBe(410);
      expect(res.body).toContain('Approval link expired');
    }
    expect(await snapshot(id)).toEqual(before);
    expect(sfn.calls()).toHaveLength(0);
  });

  it('a link from an earlier request of the same incident is refused', async () => {
    const { id, links } = await pending();
    await openApproval({ store, clock }, id, action, 'a-newer-task-token', 900);
    const before = await snapshot(id);
    const res = await handleApprovalRequest(asRequest(links.approve, 'POST', { by: 'alice' }), deps);
    expect(res.statusCode).toBe(410);
    expect(res.body).toContain('earlier request');
    expect(await snapshot(id)).toEqual(before);
  });

  it('rejecting answers SendTaskFailure(ApprovalRejected) with the reason', async () => {
    sfn.on(SendTaskFailureCommand).resolves({});
    const { id, links, taskToken } = await pending();
    const res = await handleApprovalRequest(
      asRequest(links.reject, 'POST', { by: 'bob', reason: 'rollback would drop orders' }),
      deps,
    );
    expect(res.statusCode).toBe(200);
    const input = sfn.commandCalls(SendTaskFailureCommand)[0].args[0].input;
    expect(input).toMatchObject({ taskToken, error: 'ApprovalRejected' });
    expect(input.cause).toContain('link:bob rejected rollback checkout');
    expect(input.cause).toContain('rollback would drop orders');
    expect((await store.get(id))?.mitigation?.status).toBe('rejected');
  });

  it('a decision the workflow no longer waits for is undone on the record', async () => {
    sfn
      .on(SendTaskSuccessCommand)
      .rejects(Object.assign(new Error('Task Timed Out'), { name: 'TaskTimedOut' }));
    const { id, links } = await pending();
    const res = await handleApprovalRequest(asRequest(links.approve, 'POST', { by: 'alice' }), deps);
    expect(res.statusCode).toBe(410);
    expect(res.body).toContain('stopped waiting');
    const incident = await store.get(id);
    expect(incident?.mitigation?.status).toBe('timed-out');
    expect((await store.timeline(id)).at(-1)?.type).toBe('approval-late');
  });

  it('a decision that could not be delivered is withdrawn and can be made again', async () => {
    sfn
      .on(SendTaskSuccessCommand)
      .rejectsOnce(Object.assign(new Error('boom'), { name: 'InternalServerError' }))
      .resolves({});
    const { id, links } = await pending();
    const first = await handleApprovalRequest(asRequest(links.approve, 'POST', { by: 'alice' }), deps);
    expect(first.statusCode).toBe(503);
    expect((await store.getApprovalToken(id))?.usedAt).toBeUndefined();
    expect((await store.get(id))?.mitigation?.status).toBe('awaiting-approval');
    const second = await handleApprovalRequest(asRequest(links.approve, 'POST', { by: 'alice' }), deps);
    expect(second.statusCode).toBe(200);
    expect((await store.get(id))?.mitigation?.status).toBe('approved');
  });

  it('refuses a missing name, other methods and other paths without touching anything', async () => {
    const { id, links } = await pending();
    const before = await snapshot(id);
    expect(
      (await handleApprovalRequest(asRequest(links.approve, 'POST', { by: '<b>x</b>' }), deps)).statusCode,
    ).toBe(400);
    expect((await handleApprovalRequest(asRequest(links.approve, 'POST'), deps)).statusCode).toBe(400);
    expect(
      (await handleApprovalRequest({ ...asRequest(links.approve), method: 'DELETE' }, deps)).statusCode,
    ).toBe(405);
    expect((await handleApprovalRequest({ method: 'GET', path: '/admin' }, deps)).statusCode).toBe(404);
    expect(await snapshot(id)).toEqual(before);
  });

  it('the Lambda handler maps an HTTP API event (base64 form body) onto the endpoint', async () => {
    sfn.on(SendTaskSuccessCommand).resolves({});
    const { id, links } = await pending();
    const url = new URL(links.approve);
    const event = {
      rawPath: url.pathname,
      requestContext: { http: { method: 'POST' } },
      isBase64Encoded: true,
      body: Buffer.from(
        new URLSearchParams({ ...Object.fromEntries(url.searchParams), by: 'carol' }).toString(),
      ).toString('base64'),
    } as unknown as APIGatewayProxyEventV2;
    const res = await makeHandler(() => deps)(event);
    expect(res.statusCode).toBe(200);
    expect((await store.get(id))?.mitigation?.approvedBy).toBe('link:carol');
  });
});
