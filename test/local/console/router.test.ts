/**
 * The console's HTTP surface without a browser: paging on the status index, 404s, escaping, and
 * every way a decision is refused with nothing changed (forged, expired form, expired approval,
 * superseded request), over dynalite.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoIncidentStore } from '../../../adapters/aws/store/dynamo-store.js';
import { type EmbeddedDynamoDB, startEmbeddedDynamoDB } from '../../../adapters/embedded/dynamodb.js';
import { decideApproval, openApproval } from '../../../domain/approval/approval.js';
import { ManualClock } from '../../../domain/clock.js';
import { defaultConfig } from '../../../domain/config.js';
import { EVIDENCE_LIMITS, EvidenceSnapshot } from '../../../domain/console/evidence.js';
import { type ConsoleDeps, handleConsoleRequest } from '../../../domain/console/router.js';
import type { Incident, MitigationAction } from '../../../domain/model.js';

let db: EmbeddedDynamoDB;
let store: DynamoIncidentStore;
const clock = new ManualClock('2026-05-01T12:00:00Z');
const decided: Array<{ id: string; actor: string; approved: boolean }> = [];
let deps: ConsoleDeps;
const action: MitigationAction = {
  kind: 'rollback',
  target: 'checkout',
  params: { toVersion: 'v1' },
  rationale: '',
};

const incident = (n: number, over: Partial<Incident> = {}): Incident => ({
  id: `inc-20260501-${String(1000 + n)}-abcd`,
  status: 'ACTIVE',
  severity: n % 2 ? 'SEV2' : 'SEV3',
  title: `incident ${n}`,
  service: n % 3 ? 'checkout' : 'search',
  services: [],
  fingerprint: `fp-${n}`,
  source: 'manual',
  detectedAt: new Date(Date.parse('2026-05-01T10:00:00Z') + n * 60_000).toISOString(),
  updatedAt: '2026-05-01T10:00:00Z',
  escalationTier: 0,
  ...over,
});

const get = (path: string, query: Record<string, string> = {}) =>
  handleConsoleRequest({ method: 'GET', path, query, body: '' }, deps);
const post = (path: string, fields: Record<string, string>) =>
  handleConsoleRequest(
    { method: 'POST', path, query: {}, body: new URLSearchParams(fields).toString() },
    deps,
  );
const formOf = (page: string, kind: 'approve' | 'reject') => {
  const form = new RegExp(`<form class="${kind}"[^>]*>(.*?)</form>`, 's').exec(page)?.[1] ?? '';
  return Object.fromEntries([...form.matchAll(/name="(\w+)" value="([^"]*)"/g)].map((m) => [m[1], m[2]]));
};

beforeAll(async () => {
  db = await startEmbeddedDynamoDB();
  store = new DynamoIncidentStore(db.doc, db.tableName);
  for (let n = 0; n < 30; n++) await store.create(incident(n));
  const key = randomBytes(32);
  deps = {
    base: '/console',
    store,
    clock,
    config: defaultConfig(),
    formKey: async () => key,
    decide: async (id, d) => {
      await decideApproval({ store, clock }, id, d);
      decided.push({ id, actor: d.actor, approved: d.approved });
      return 'recorded';
    },
  };
});
afterAll(() => db.close());

describe('console list', () => {
  it('pages newest first with a cursor, each incident once', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const res = await get('/console/api/incidents', { limit: '7', ...(cursor ? { cursor } : {}) });
      const body = JSON.parse(res.body) as { incidents: Array<{ id: string }>; next: string | null };
      seen.push(...body.incidents.map((i) => i.id));
      cursor = body.next ?? undefined;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(5);
    expect(seen).toHaveLength(30);
    expect(new Set(seen).size).toBe(30);
    expect(seen[0]).toBe(incident(29).id);
  });

  it('filters by severity and service, and refuses a bad filter with 400', async () => {
    const res = await get('/console/api/incidents', { severity: 'SEV3', service: 'search', limit: '100' });
    const ids = (JSON.parse(res.body) as { incidents: Array<{ id: string; severity: string }> }).incidents;
    expect(ids.map((i) => i.id).sort()).toEqual([0, 6, 12, 18, 24].map((n) => incident(n).id).sort());
    expect((await get('/console/', { severity: 'SEV9' })).statusCode).toBe(400);
    expect((await get('/console/', { cursor: 'x' })).statusCode).toBe(400);
  });
});

describe('console pages', () => {
  it('answers an unknown or malformed incident id with a 404 page', async () => {
    for (const id of ['inc-20990101-0000-none', '..%2F..%2Fetc', '<script>']) {
      const res = await get(`/console/incidents/${id}`);
      expect(res.statusCode).toBe(404);
      expect(res.body).toContain('Not found');
      expect(res.body).not.toContain('<script>');
    }
  });

  it('escapes alert, log and model text everywhere it appears', async () => {
    const evil = '<script>window.owned=1</script><img src=x onerror=alert(1)>';
    const i = incident(40, {
      title: evil,
      rootCause: {
        category: 'code',
        culprit: evil,
        summary: evil,
        causalChain: [evil],
        confidence: 0.5,
        evidence: [evil],
        ruledOut: [evil],
        mitigation: null,
        degraded: false,
      },
      postmortem: `# ${evil}\n\n- ${evil}\n\n| a | ${evil} |`,
    });
    await store.create(i);
    const page = (await get(`/console/incidents/${i.id}`)).body;
    expect(page).toContain('&lt;script&gt;window.owned=1&lt;/script&gt;');
    expect(page).not.toMatch(/<script>window|<img src=x/);
    const list = (await get('/console/', { status: 'all', limit: '100' })).body;
    expect(list).not.toMatch(/<script>window|<img src=x/);
  });

  it('keeps the largest evidence snapshot its bounds allow under 100 KB', () => {
    const long = 'x'.repeat(10_000);
    const snapshot = EvidenceSnapshot.parse({
      window: { from: 'a', to: 'b' },
      series: Array.from({ length: EVIDENCE_LIMITS.series }, (_, s) => ({
        id: `metric:${s}`.padEnd(EVIDENCE_LIMITS.name, 'm'),
        label: long,
        unit: 'Count',
        service: long,
        cited: true,
        points: Array.from({ length: EVIDENCE_LIMITS.points }, (_, p) => [
          '2026-05-01T10:00:00.000Z',
          p + 0.123456789,
        ]),
      })),
      logs: Array.from({ length: EVIDENCE_LIMITS.logs }, () => ({
        id: 'log:'.padEnd(EVIDENCE_LIMITS.name, 'l'),
        service: long,
        level: 'ERROR',
        signature: long,
        sample: long,
        count: 1e9,
        firstSeen: '2026-05-01T10:00:00.000Z',
        lastSeen: '2026-05-01T10:00:00.000Z',
        cited: true,
      })),
      changes: Array.from({ length: EVIDENCE_LIMITS.changes }, () => ({
        id: 'change:'.padEnd(EVIDENCE_LIMITS.name, 'c'),
        kind: 'deployment',
        at: '2026-05-01T10:00:00.000Z',
        summary: long,
        actor: long,
        version: long,
        previousVersion: long,
        service: long,
        cited: true,
      })),
    });
    expect(Buffer.byteLength(JSON.stringify(snapshot))).toBeLessThan(100_000);
    expect(() =>
      EvidenceSnapshot.parse({ ...snapshot, series: [...snapshot.series, snapshot.series[0]] }),
    ).toThrow();
  });
});

describe('console decisions', () => {
  const id = incident(50).id;
  const path = `/console/incidents/${id}/decision`;
  const unchanged = async () => {
    expect((await store.getApprovalToken(id))?.usedAt).toBeUndefined();
    expect((await store.get(id))?.mitigation?.status).toBe('awaiting-approval');
    expect(decided.filter((d) => d.id === id)).toEqual([]);
  };

  beforeAll(async () => {
    clock.set('2026-05-01T12:00:00Z');
    await store.create(incident(50, { mitigation: { action, status: 'awaiting-approval', detail: '' } }));
    await openApproval({ store, clock }, id, action, 'task-token', 900);
  });

  it('shows the approval brief with signed forms, and refuses a forged one with nothing changed', async () => {
    const page = (await get(`/console/incidents/${id}`)).body;
    expect(page).toContain('Approval needed');
    for (const fact of ['Root cause', 'Action', 'Touches', 'Undo', 'Expires'])
      expect(page).toContain(`<dt>${fact}</dt>`);
    const approve = formOf(page, 'approve');
    expect(approve.d).toBe('approve');
    const flipped = await post(path, { ...formOf(page, 'reject'), d: 'approve', by: 'mallory' });
    expect(flipped.statusCode).toBe(403);
    const resigned = await post(path, { ...approve, sig: 'A'.repeat(43), by: 'mallory' });
    expect(resigned.statusCode).toBe(403);
    expect(resigned.body).toContain('Nothing was approved, rejected or run.');
    const otherIncident = await post(`/console/incidents/${incident(1).id}/decision`, {
      ...approve,
      by: 'mallory',
    });
    expect(otherIncident.statusCode).toBe(403);
    await unchanged();
  });

  it('refuses a form past its lifetime, and an approval past its expiry, with nothing changed', async () => {
    const approve = formOf((await get(`/console/incidents/${id}`)).body, 'approve');
    clock.advance(31 * 60);
    const stale = await post(path, { ...approve, by: 'alice' });
    expect(stale.statusCode).toBe(410);
    expect(stale.body).toContain('expired');
    await unchanged();
    // A fresh form, but the approval itself expired (15 minutes after it opened).
    const fresh = formOf((await get(`/console/incidents/${id}`)).body, 'approve');
    expect(fresh.d).toBeUndefined();
    clock.set('2026-05-01T12:10:00Z');
    const open = formOf((await get(`/console/incidents/${id}`)).body, 'approve');
    clock.set('2026-05-01T12:20:00Z');
    const late = await post(path, { ...open, by: 'alice' });
    expect(late.statusCode).toBe(410);
    expect(late.body).toContain('Approval expired');
    await unchanged();
  });

  it('refuses a form rendered for an earlier request, then records a decision once, named', async () => {
    clock.set('2026-05-01T12:30:00Z');
    const old = formOf((await get(`/console/incidents/${id}`)).body, 'approve');
    expect(old.d).toBeUndefined(); // expired: no form
    await openApproval({ store, clock }, id, action, 'task-token-2', 900);
    const first = formOf((await get(`/console/incidents/${id}`)).body, 'approve');
    await openApproval({ store, clock }, id, action, 'task-token-3', 900);
    const superseded = await post(path, { ...first, by: 'alice' });
    expect(superseded.statusCode).toBe(410);
    expect(superseded.body).toContain('earlier approval request');
    await unchanged();
    const current = formOf((await get(`/console/incidents/${id}`)).body, 'approve');
    const ok = await post(path, { ...current, by: 'alice' });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain('as console:alice');
    expect(decided).toEqual([{ id, actor: 'console:alice', approved: true }]);
    expect((await store.get(id))?.mitigation).toMatchObject({
      status: 'approved',
      approvedBy: 'console:alice',
    });
    const again = await post(path, { ...current, by: 'alice' });
    expect(again.statusCode).toBe(409);
  });

  it('names the signed-in subject instead of a typed name when there is one', async () => {
    const sid = incident(51).id;
    await store.create(incident(51, { mitigation: { action, status: 'awaiting-approval', detail: '' } }));
    await openApproval({ store, clock }, sid, action, 'task-token-4', 900);
    const signedIn = { ...deps, subject: 'auth0|1234' };
    const page = (
      await handleConsoleRequest(
        { method: 'GET', path: `/console/incidents/${sid}`, query: {}, body: '' },
        signedIn,
      )
    ).body;
    expect(page).not.toContain('name="by"');
    const res = await handleConsoleRequest(
      {
        method: 'POST',
        path: `/console/incidents/${sid}/decision`,
        query: {},
        body: new URLSearchParams({ ...formOf(page, 'reject'), by: 'someone-else' }).toString(),
      },
      signedIn,
    );
    expect(res.statusCode).toBe(200);
    expect((await store.get(sid))?.mitigation).toMatchObject({
      status: 'rejected',
      approvedBy: 'console:auth0_1234',
    });
  });
});
