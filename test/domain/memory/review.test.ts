import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoMemory } from '../../../adapters/aws/memory.js';
import type { DynamoIncidentStore } from '../../../adapters/aws/store/dynamo-store.js';
import type { EmbeddedDynamoDB } from '../../../adapters/embedded/dynamodb.js';
import { NotFoundError, ValidationError } from '../../../domain/errors.js';
import { reviewIncident } from '../../../domain/memory/review.js';
import type { Incident, RootCause } from '../../../domain/model.js';
import { anIncident, aRootCause } from '../../support/incidents.js';
import { startTestStore } from '../../support/store.js';

let db: EmbeddedDynamoDB;
let store: DynamoIncidentStore;
let memory: DynamoMemory;
const clock = { now: () => new Date('2026-11-21T09:00:00.000Z') };

beforeAll(async () => {
  ({ db, store } = await startTestStore());
  memory = new DynamoMemory(db.doc, db.tableName);
});
afterAll(async () => db.close());

const rootCause: RootCause = aRootCause({ culprit: 'v187', summary: 'checkout v187 broke promo codes' });
let n = 0;
async function stored(over: Partial<Incident> = {}): Promise<Incident> {
  const i: Incident = anIncident({
    id: `inc-rev-${++n}`,
    status: 'RESOLVED',
    fingerprint: `cw:checkout-5xx-${n}`,
    source: 'cloudwatch-eventbridge',
    detectedAt: `2026-11-20T10:${String(n).padStart(2, '0')}:00.000Z`,
    resolvedAt: `2026-11-20T11:${String(n).padStart(2, '0')}:00.000Z`,
    updatedAt: '2026-11-20T11:00:00.000Z',
    rootCause,
    postmortem: '# Postmortem\n\n## Summary\nIt broke.\n\n## Action items\n| id |\n',
    ...over,
  });
  await store.create(i);
  return i;
}

describe('reviewIncident', () => {
  it('records a correct verdict on the incident, its timeline and its postmortem, and confirms the cause in memory', async () => {
    const i = await stored();
    const { review } = await reviewIncident(
      { store, memory, clock },
      { incidentId: i.id, verdict: 'correct', by: 'alice' },
    );
    expect(review).toEqual({
      verdict: 'correct',
      by: 'alice',
      at: '2026-11-21T09:00:00.000Z',
      score: 100,
      confirmed: { category: 'deployment', culprit: 'v187', summary: 'checkout v187 broke promo codes' },
    });
    const after = await store.get(i.id);
    expect(after?.review).toEqual(review);
    expect(after?.postmortem).toMatch(
      /## Action items\n\| id \|\n\n## Review\nalice confirmed the analyst's cause/,
    );
    const [event] = (await store.timeline(i.id)).filter((e) => e.type === 'review');
    expect(event).toMatchObject({
      actor: 'alice',
      text: expect.stringMatching(/^alice: analyst's cause correct \(100\/100\)/),
    });
    const later = { ...i, id: 'inc-rev-later', detectedAt: '2026-11-25T10:00:00.000Z' };
    const { matches } = await memory.similar(later, { horizonDays: 30, perPartition: 5, limit: 5 });
    expect(matches[0]?.record).toMatchObject({
      id: i.id,
      verdict: 'correct',
      confirmed: { category: 'deployment' },
    });
  });

  it('scores partly 65 with the right category and 35 without; a wrong verdict confirms only what responders name', async () => {
    const a = await stored();
    const b = await stored();
    const c = await stored();
    const d = await stored();
    const ra = await reviewIncident(
      { store, clock },
      { incidentId: a.id, verdict: 'partly', culprit: 'v186', by: 'bo' },
    );
    expect(ra.review).toMatchObject({ score: 65, confirmed: { category: 'deployment', culprit: 'v186' } });
    const rb = await reviewIncident(
      { store, clock },
      { incidentId: b.id, verdict: 'partly', category: 'configuration', by: 'bo' },
    );
    expect(rb.review).toMatchObject({ score: 35, confirmed: { category: 'configuration', culprit: 'v187' } });
    const rc = await reviewIncident({ store, clock }, { incidentId: c.id, verdict: 'wrong', by: 'bo' });
    expect(rc.review.score).toBe(0);
    expect(rc.review.confirmed).toBeUndefined();
    const rd = await reviewIncident(
      { store, clock },
      {
        incidentId: d.id,
        verdict: 'wrong',
        category: 'database',
        cause: 'lock wait on a migration',
        by: 'bo',
      },
    );
    expect(rd.review.confirmed).toEqual({
      category: 'database',
      culprit: '',
      summary: 'lock wait on a migration',
    });
  });

  it.each([
    [{ verdict: 'maybe', by: 'x' }, /verdict must be correct, partly or wrong/],
    [{ verdict: 'wrong', category: 'gremlins', by: 'x' }, /category must be one of deployment/],
    [{ verdict: 'wrong', category: 'unknown', by: 'x' }, /category must be one of/],
    [{ verdict: 'partly', culprit: '   ', by: 'x' }, /--culprit is empty/],
    [{ verdict: 'correct', by: '' }, /--by is empty/],
    [{ verdict: 'correct', cause: 'x'.repeat(501), by: 'x' }, /--cause is longer than 500/],
  ])('refuses %o and writes nothing', async (bad, reason) => {
    const i = await stored();
    const events = await store.timeline(i.id);
    await expect(reviewIncident({ store, memory, clock }, { incidentId: i.id, ...bad })).rejects.toThrow(
      reason,
    );
    await expect(
      reviewIncident({ store, memory, clock }, { incidentId: i.id, ...bad }),
    ).rejects.toBeInstanceOf(ValidationError);
    expect(await store.get(i.id)).toEqual(i);
    expect(await store.timeline(i.id)).toEqual(events);
  });

  it('refuses an unknown incident and one still open', async () => {
    await expect(
      reviewIncident({ store, clock }, { incidentId: 'inc-nope', verdict: 'correct', by: 'x' }),
    ).rejects.toBeInstanceOf(NotFoundError);
    const open = await stored({ status: 'MITIGATED', resolvedAt: undefined });
    await expect(
      reviewIncident({ store, clock }, { incidentId: open.id, verdict: 'correct', by: 'x' }),
    ).rejects.toThrow(/still MITIGATED: review it once it is resolved/);
    expect((await store.get(open.id))?.review).toBeUndefined();
  });
});
