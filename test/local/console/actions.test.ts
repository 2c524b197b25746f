/**
 * Closing and reviewing an incident through the console's HTTP surface, over dynalite: signed forms
 * for this incident and this action only, refused with nothing changed when forged, expired, posted
 * for another incident or action, incomplete or out of place; done ones redirect to the page, which
 * then shows the result, named and escaped.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoIncidentStore } from '../../../adapters/aws/store/dynamo-store.js';
import { type EmbeddedDynamoDB, startEmbeddedDynamoDB } from '../../../adapters/embedded/dynamodb.js';
import { ManualClock } from '../../../domain/clock.js';
import { defaultConfig } from '../../../domain/config.js';
import { signAction } from '../../../domain/console/form-token.js';
import { type ConsoleDeps, handleConsoleRequest } from '../../../domain/console/router.js';
import type { Incident, RootCause } from '../../../domain/model.js';

let db: EmbeddedDynamoDB;
let store: DynamoIncidentStore;
let deps: ConsoleDeps;
const key = randomBytes(32);
const clock = new ManualClock('2026-05-01T12:00:00Z');
const driving = new Map<string, string>();
const evil = '<script>window.owned=1</script>';

const rootCause: RootCause = {
  category: 'deployment',
  culprit: 'checkout v2',
  summary: 'the v2 deploy broke payments',
  causalChain: [],
  confidence: 0.8,
  evidence: [],
  ruledOut: [],
  mitigation: null,
  degraded: false,
};

const incident = (n: number, over: Partial<Incident> = {}): Incident => ({
  id: `inc-20260501-1100-act${n}`,
  status: 'ACTIVE',
  severity: 'SEV2',
  title: `incident ${n}`,
  service: 'checkout',
  services: ['checkout'],
  fingerprint: `fp-act-${n}`,
  source: 'manual',
  detectedAt: '2026-05-01T11:00:00Z',
  updatedAt: '2026-05-01T11:00:00Z',
  escalationTier: 0,
  rootCause,
  ...over,
});

const page = async (id: string, d = deps) =>
  (await handleConsoleRequest({ method: 'GET', path: `/console/incidents/${id}`, query: {}, body: '' }, d))
    .body;
const post = (id: string, action: string, fields: Record<string, string>, d = deps) =>
  handleConsoleRequest(
    {
      method: 'POST',
      path: `/console/incidents/${id}/${action}`,
      query: {},
      body: new URLSearchParams(fields).toString(),
    },
    d,
  );
const formOf = (html: string, kind: 'close' | 'review') => {
  const form = new RegExp(`<form class="${kind}"[^>]*>(.*?)</form>`, 's').exec(html)?.[1] ?? '';
  return Object.fromEntries([...form.matchAll(/name="(\w+)" value="([^"]*)"/g)].map((m) => [m[1], m[2]]));
};
const state = async (id: string) => ({ incident: await store.get(id), timeline: await store.timeline(id) });

beforeAll(async () => {
  db = await startEmbeddedDynamoDB();
  store = new DynamoIncidentStore(db.doc, db.tableName);
  deps = {
    base: '/console',
    store,
    clock,
    config: defaultConfig(),
    formKey: async () => key,
    decide: async () => {
      throw new Error('no decision in these tests');
    },
    drivenBy: async (i) => driving.get(i.id),
  };
});
afterAll(() => db.close());

describe('closing from the console', () => {
  it('shows a close form on an open incident and closes it, named, then shows it resolved', async () => {
    const i = incident(1);
    await store.create(i);
    const before = await page(i.id);
    expect(before).toContain('<form class="close"');
    expect(before).not.toContain('<form class="review"');
    const res = await post(i.id, 'close', {
      ...formOf(before, 'close'),
      by: 'alice',
      reason: `fixed ${evil}`,
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/console/incidents/${i.id}`);
    const after = await state(i.id);
    expect(after.incident).toMatchObject({ status: 'RESOLVED', resolvedAt: '2026-05-01T12:00:00.000Z' });
    expect(after.timeline.at(-1)).toMatchObject({
      type: 'closed',
      actor: 'console:alice',
      text: `closed by hand as RESOLVED: fixed ${evil}`,
    });
    const shown = await page(i.id);
    expect(shown).toContain('<span class="status" id="status">RESOLVED</span>');
    expect(shown).toContain('fixed &lt;script&gt;window.owned=1&lt;/script&gt;');
    expect(shown).not.toContain(evil);
    expect(shown).not.toContain('<form class="close"');
    expect(shown).toContain('<form class="review"');
    // The same form again: the incident is closed now.
    const again = await post(i.id, 'close', { ...formOf(before, 'close'), by: 'alice', reason: 'again' });
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain(`${i.id} is already RESOLVED`);
    expect(await state(i.id)).toEqual(after);
  });

  it('refuses forged, expired, other-incident and other-action forms with nothing changed', async () => {
    const [a, b] = [incident(2), incident(3)];
    await store.create(a);
    await store.create(b);
    const formA = formOf(await page(a.id), 'close');
    const before = [await state(a.id), await state(b.id)];
    const fields = { by: 'mallory', reason: 'closing it' };
    const forged = await post(a.id, 'close', { ...formA, ...fields, sig: 'A'.repeat(43) });
    expect(forged.statusCode).toBe(403);
    expect(forged.body).toContain('Nothing was changed.');
    expect((await post(b.id, 'close', { ...formA, ...fields })).statusCode).toBe(403);
    const laterExpiry = { ...formA, exp: String(Number(formA.exp) + 3600) };
    expect((await post(a.id, 'close', { ...laterExpiry, ...fields })).statusCode).toBe(403);
    const reviewToken = signAction(key, { incidentId: a.id, action: 'review', expiresAt: Number(formA.exp) });
    expect((await post(a.id, 'close', { ...reviewToken, ...fields })).statusCode).toBe(403);
    expect((await post(a.id, 'close', fields)).statusCode).toBe(400);
    clock.advance(31 * 60);
    const expired = await post(a.id, 'close', { ...formA, ...fields });
    expect(expired.statusCode).toBe(410);
    expect(expired.body).toContain('expired');
    clock.set('2026-05-01T12:00:00Z');
    expect([await state(a.id), await state(b.id)]).toEqual(before);
  });

  it('refuses a missing or too long reason, a missing name, and a live run, with nothing changed', async () => {
    const i = incident(4);
    await store.create(i);
    const form = formOf(await page(i.id), 'close');
    const before = await state(i.id);
    const missing = await post(i.id, 'close', { ...form, by: 'alice', reason: '  ' });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('the reason must say why');
    const long = await post(i.id, 'close', { ...form, by: 'alice', reason: 'x'.repeat(2001) });
    expect(long.statusCode).toBe(400);
    expect(long.body).toContain('longer than 2000 characters');
    const nameless = await post(i.id, 'close', { ...form, reason: 'fixed' });
    expect(nameless.statusCode).toBe(400);
    expect(nameless.body).toContain('your name is required');
    driving.set(i.id, 'a run (pid 4242)');
    const live = await post(i.id, 'close', { ...form, by: 'alice', reason: 'fixed' });
    driving.delete(i.id);
    expect(live.statusCode).toBe(409);
    expect(live.body).toContain(`a run (pid 4242) is still responding to ${i.id}: stop it first`);
    expect(await state(i.id)).toEqual(before);
  });

  it('answers an unknown incident with 404, even with a validly signed form', async () => {
    const id = 'inc-20990101-0000-none';
    const token = signAction(key, { incidentId: id, action: 'close', expiresAt: 1_900_000_000 });
    const res = await post(id, 'close', { ...token, by: 'alice', reason: 'x' });
    expect(res.statusCode).toBe(404);
    for (const bad of ['..%2F..', '%E0%A4%A'])
      expect((await post(bad, 'close', { ...token, by: 'alice', reason: 'x' })).statusCode).toBe(404);
    expect(
      (
        await handleConsoleRequest(
          { method: 'GET', path: '/console/incidents/%E0%A4%A', query: {}, body: '' },
          deps,
        )
      ).statusCode,
    ).toBe(404);
  });
});

describe('reviewing from the console', () => {
  it('records a review named, and shows it escaped on the page', async () => {
    const i = incident(5, { status: 'RESOLVED', resolvedAt: '2026-05-01T11:30:00Z' });
    await store.create(i);
    const before = await page(i.id);
    expect(before).not.toContain('<form class="close"');
    const res = await post(i.id, 'review', {
      ...formOf(before, 'review'),
      by: 'bob',
      verdict: 'partly',
      category: 'configuration',
      culprit: `flag ${evil}`,
      cause: '',
    });
    expect(res.statusCode).toBe(303);
    const reviewed = await store.get(i.id);
    expect(reviewed?.review).toMatchObject({
      verdict: 'partly',
      by: 'console:bob',
      score: 35,
      confirmed: { category: 'configuration', culprit: `flag ${evil}`, summary: rootCause.summary },
    });
    expect((await store.timeline(i.id)).at(-1)).toMatchObject({ type: 'review', actor: 'console:bob' });
    const shown = await page(i.id);
    expect(shown).toMatch(/<p id="review"><strong>partly<\/strong> \(35\/100\) by console:bob/);
    expect(shown).toContain('flag &lt;script&gt;');
    expect(shown).not.toContain(evil);
  });

  it('refuses an unknown verdict, too long text and an open incident, with nothing changed', async () => {
    const i = incident(6, { status: 'RESOLVED', resolvedAt: '2026-05-01T11:30:00Z' });
    await store.create(i);
    const form = formOf(await page(i.id), 'review');
    const before = await state(i.id);
    const cases: Array<[Record<string, string>, string]> = [
      [{ verdict: 'maybe' }, 'the verdict must be correct, partly or wrong'],
      [{ verdict: '' }, 'the verdict must be correct, partly or wrong'],
      [{ verdict: 'wrong', category: 'gremlins' }, 'the category must be one of'],
      [{ verdict: 'wrong', cause: 'x'.repeat(501) }, 'the cause is longer than 500 characters'],
      [{ verdict: 'wrong', culprit: 'x'.repeat(201) }, 'the culprit is longer than 200 characters'],
    ];
    for (const [fields, reason] of cases) {
      const res = await post(i.id, 'review', { ...form, by: 'bob', ...fields });
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain(reason);
    }
    expect(await state(i.id)).toEqual(before);
    const open = incident(7);
    await store.create(open);
    expect(await page(open.id)).not.toContain('<form class="review"');
    const token = signAction(key, { incidentId: open.id, action: 'review', expiresAt: 1_900_000_000 });
    const early = await post(open.id, 'review', { ...token, by: 'bob', verdict: 'correct' });
    expect(early.statusCode).toBe(409);
    expect(early.body).toContain('close it before reviewing it');
    expect((await store.get(open.id))?.review).toBeUndefined();
  });

  it('names the signed-in subject, and asks no name', async () => {
    const i = incident(8, { status: 'RESOLVED', resolvedAt: '2026-05-01T11:30:00Z' });
    await store.create(i);
    const signedIn = { ...deps, subject: 'auth0|77' };
    const html = await page(i.id, signedIn);
    expect(html).not.toContain('name="by"');
    const res = await post(
      i.id,
      'review',
      { ...formOf(html, 'review'), by: 'someone-else', verdict: 'correct' },
      signedIn,
    );
    expect(res.statusCode).toBe(303);
    expect((await store.get(i.id))?.review).toMatchObject({ verdict: 'correct', by: 'console:auth0_77' });
  });
});
