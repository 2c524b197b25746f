/**
 * Closing an incident by hand, as every channel does it (CLI, local console, console Lambda): over
 * dynalite, each refusal writes nothing, and a status change racing the close loses it a ConflictError.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoIncidentStore } from '../../../adapters/aws/store/dynamo-store.js';
import { type EmbeddedDynamoDB, startEmbeddedDynamoDB } from '../../../adapters/embedded/dynamodb.js';
import { ManualClock } from '../../../domain/clock.js';
import { ConflictError, NotFoundError, ValidationError } from '../../../domain/errors.js';
import { closeIncident } from '../../../domain/incidents/close-by-hand.js';
import type { Incident } from '../../../domain/model.js';

let db: EmbeddedDynamoDB;
let store: DynamoIncidentStore;
const clock = new ManualClock('2026-05-01T12:00:00Z');

const incident = (n: number, over: Partial<Incident> = {}): Incident => ({
  id: `inc-20260501-1200-clo${n}`,
  status: 'ACTIVE',
  severity: 'SEV2',
  title: `incident ${n}`,
  service: 'checkout',
  services: ['checkout'],
  fingerprint: `fp-close-${n}`,
  source: 'manual',
  detectedAt: '2026-05-01T11:00:00Z',
  updatedAt: '2026-05-01T11:00:00Z',
  escalationTier: 0,
  ...over,
});

/** The incident and its timeline, to show a refusal left both as they were. */
const snapshot = async (id: string) => ({
  incident: await store.get(id),
  timeline: await store.timeline(id),
});

beforeAll(async () => {
  db = await startEmbeddedDynamoDB();
  store = new DynamoIncidentStore(db.doc, db.tableName);
});
afterAll(() => db.close());

describe('closeIncident', () => {
  it('closes an open incident as resolved, naming who and why on the timeline', async () => {
    const i = incident(1);
    await store.create(i);
    const closed = await closeIncident(
      { store, clock },
      { incidentId: i.id, reason: '  rolled back by hand  ', by: 'console:alice' },
    );
    expect(closed).toMatchObject({ status: 'RESOLVED', resolvedAt: '2026-05-01T12:00:00.000Z' });
    expect((await store.get(i.id))?.status).toBe('RESOLVED');
    expect((await store.timeline(i.id)).at(-1)).toMatchObject({
      type: 'closed',
      actor: 'console:alice',
      text: 'closed by hand as RESOLVED: rolled back by hand',
      data: { status: 'RESOLVED', reason: 'rolled back by hand' },
    });
  });

  it('closes as cancelled without a resolution time', async () => {
    const i = incident(2);
    await store.create(i);
    const closed = await closeIncident(
      { store, clock },
      { incidentId: i.id, status: 'CANCELLED', reason: 'false alarm', by: 'cli:bob' },
    );
    expect(closed.status).toBe('CANCELLED');
    expect(closed.resolvedAt).toBeUndefined();
  });

  it('refuses bad input, an unknown incident and a closed one, writing nothing', async () => {
    const i = incident(3);
    await store.create(i);
    const before = await snapshot(i.id);
    const refusals: Array<[unknown, new (...a: never[]) => Error, RegExp]> = [
      [{ incidentId: i.id, reason: '   ', by: 'cli:a' }, ValidationError, /the reason must say why/],
      [{ incidentId: i.id, reason: 'x'.repeat(2001), by: 'cli:a' }, ValidationError, /longer than 2000/],
      [{ incidentId: i.id, reason: 'ok', by: 'cli:a', status: 'ACTIVE' }, ValidationError, /close refused/],
      [{ incidentId: i.id, reason: 'ok', by: '' }, ValidationError, /who closes it is missing/],
      [{ incidentId: '../x', reason: 'ok', by: 'cli:a' }, ValidationError, /not an incident id/],
      [{ incidentId: 'inc-20990101-0000-none', reason: 'ok', by: 'cli:a' }, NotFoundError, /no incident/],
    ];
    for (const [input, type, message] of refusals) {
      const err = await closeIncident({ store, clock }, input).catch((e: Error) => e);
      expect(err).toBeInstanceOf(type);
      expect((err as Error).message).toMatch(message);
    }
    expect(await snapshot(i.id)).toEqual(before);
    const resolved = incident(4, { status: 'RESOLVED' });
    await store.create(resolved);
    await expect(
      closeIncident({ store, clock }, { incidentId: resolved.id, reason: 'again', by: 'cli:a' }),
    ).rejects.toThrow(new ConflictError(`${resolved.id} is already RESOLVED`));
    expect(await store.timeline(resolved.id)).toEqual([]);
  });

  it('refuses while something still drives the incident, writing nothing', async () => {
    const i = incident(5);
    await store.create(i);
    const before = await snapshot(i.id);
    const asked: string[] = [];
    const err = await closeIncident(
      {
        store,
        clock,
        drivenBy: async (x) => {
          asked.push(x.id);
          return 'a run (pid 42)';
        },
      },
      { incidentId: i.id, reason: 'done', by: 'cli:a' },
    ).catch((e: Error) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect((err as Error).message).toBe(`a run (pid 42) is still responding to ${i.id}: stop it first`);
    expect(asked).toEqual([i.id]);
    expect(await snapshot(i.id)).toEqual(before);
  });

  it('loses to a status change that lands between its read and its write', async () => {
    const i = incident(6);
    await store.create(i);
    // The pipeline resolves the incident while the close is checking what drives it.
    const racing = {
      store,
      clock,
      drivenBy: async () => {
        await store.update(i.id, { status: 'RESOLVED', resolvedAt: '2026-05-01T11:59:00Z' });
        return undefined;
      },
    };
    const err = await closeIncident(racing, { incidentId: i.id, reason: 'done', by: 'cli:a' }).catch(
      (e: Error) => e,
    );
    expect(err).toBeInstanceOf(ConflictError);
    expect((err as Error).message).toBe(`${i.id} was closed meanwhile`);
    expect((await store.get(i.id))?.resolvedAt).toBe('2026-05-01T11:59:00Z');
    expect(await store.timeline(i.id)).toEqual([]);
  });
});
