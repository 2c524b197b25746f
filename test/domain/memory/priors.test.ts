import { describe, expect, it } from 'vitest';
import { type MemoryRecord, priorsFor, type SimilarIncident } from '../../../domain/memory/records.js';

const record = (id: string, over: Partial<MemoryRecord> = {}): MemoryRecord => ({
  id,
  title: 'orders-5xx',
  status: 'RESOLVED',
  fingerprint: 'cw:orders-5xx',
  services: ['orders'],
  detectedAt: '2026-11-01T10:00:00.000Z',
  signatures: [],
  ...over,
});
const similar = (r: MemoryRecord, score: number): SimilarIncident => ({
  record: r,
  matchedOn: ['service'],
  score,
});

describe('priorsFor', () => {
  it('weighs only confirmed causes, by how alike each past incident is', () => {
    const priors = priorsFor([
      similar(
        record('a', {
          verdict: 'correct',
          confirmed: { category: 'database', culprit: 'orders-db', summary: '' },
        }),
        6,
      ),
      similar(
        record('b', {
          verdict: 'partly',
          confirmed: { category: 'database', culprit: 'orders-db', summary: '' },
        }),
        2,
      ),
      similar(
        record('c', { verdict: 'wrong', confirmed: { category: 'deployment', culprit: 'v9', summary: '' } }),
        2,
      ),
      // The analyst said capacity here, but nobody confirmed it: no prior.
      similar(record('d', { category: 'capacity', culprit: 'orders' }), 8),
    ]);
    expect(priors).toEqual([
      { category: 'database', culprit: 'orders-db', weight: 0.8, incidents: ['a', 'b'] },
      { category: 'deployment', culprit: 'v9', weight: 0.2, incidents: ['c'] },
    ]);
  });

  it('gives no prior at all when nothing similar was reviewed', () => {
    expect(priorsFor([similar(record('d', { category: 'capacity' }), 8)])).toEqual([]);
    expect(priorsFor([])).toEqual([]);
  });
});
