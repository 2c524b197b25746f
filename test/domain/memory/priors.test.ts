import { describe, expect, it } from 'vitest';
import type { Candidate } from '../../../domain/analyst/offline/rank/candidate.js';
import { applyPriors } from '../../../domain/analyst/offline/rank/priors.js';
import { priorsFor } from '../../../domain/memory/priors.js';
import type { MemoryRecord, SimilarIncident } from '../../../domain/memory/records.js';

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
const candidate = (over: Partial<Candidate>): Candidate => ({
  category: 'database',
  culprit: 'orders-db',
  summary: 'orders-db ran out of connections.',
  causalChain: [],
  confidence: 0.6,
  evidence: ['m1'],
  mitigation: null,
  specialists: ['metrics'],
  ...over,
});
const NOW = '2026-11-21T10:00:00.000Z';

describe('priorsFor', () => {
  it('counts only reviewed causes: confirmed ones for, the analyst’s cause marked wrong against', () => {
    const priors = priorsFor(
      [
        similar(
          record('a', {
            detectedAt: '2026-11-20T10:00:00.000Z',
            verdict: 'correct',
            category: 'database',
            culprit: 'orders-db',
            confirmed: { category: 'database', culprit: 'orders-db', summary: '' },
          }),
          6.5,
        ),
        similar(
          record('b', {
            verdict: 'partly',
            confirmed: { category: 'database', culprit: 'Orders-DB', summary: '' },
          }),
          3,
        ),
        similar(
          record('c', {
            verdict: 'wrong',
            category: 'deployment',
            culprit: 'orders',
            confirmed: { category: 'capacity', culprit: 'orders', summary: '' },
          }),
          6,
        ),
        // The analyst said capacity here, but nobody reviewed it: no prior either way.
        similar(record('d', { category: 'capacity', culprit: 'orders' }), 8),
      ],
      ['orders', 'payments'],
    );
    expect(priors).toEqual([
      {
        category: 'database',
        culprit: 'orders-db',
        stance: 'confirmed',
        strength: 1.5,
        incidents: ['a', 'b'],
        services: ['orders'],
        since: '2026-11-01T10:00:00.000Z',
      },
      expect.objectContaining({ category: 'capacity', stance: 'confirmed', strength: 1, incidents: ['c'] }),
      expect.objectContaining({ category: 'deployment', stance: 'refuted', strength: 1, incidents: ['c'] }),
    ]);
  });

  it('gives no prior at all when nothing similar was reviewed', () => {
    expect(priorsFor([similar(record('d', { category: 'capacity' }), 8)])).toEqual([]);
    expect(priorsFor([])).toEqual([]);
  });
});

describe('applyPriors', () => {
  const confirmedTwice = priorsFor(
    [
      similar(
        record('a', {
          verdict: 'correct',
          confirmed: { category: 'database', culprit: 'orders-db', summary: '' },
        }),
        6,
      ),
      similar(
        record('b', {
          detectedAt: '2026-11-10T10:00:00.000Z',
          verdict: 'correct',
          confirmed: { category: 'database', culprit: 'orders-db', summary: '' },
        }),
        6,
      ),
    ],
    ['orders'],
  );

  it('raises a confirmed cause the evidence supports, modestly, and says why', () => {
    const [top, other] = applyPriors(
      [candidate({ category: 'deployment', culprit: 'orders', confidence: 0.65 }), candidate({})],
      confirmedTwice,
      NOW,
    );
    expect(top.category).toBe('database');
    expect(top.confidence).toBe(0.74);
    expect(top.summary).toBe(
      'orders-db ran out of connections. Memory: confirmed twice in 20 days on orders (b, a).',
    );
    expect(other.confidence).toBe(0.65);
  });

  it('never lifts a cause the evidence does not carry over the bar, nor one without evidence', () => {
    const weak = applyPriors([candidate({ confidence: 0.3 })], confirmedTwice, NOW)[0];
    expect(weak.confidence).toBe(0.3);
    expect(weak.summary).not.toMatch(/Memory/);
    expect(applyPriors([candidate({ evidence: [] })], confirmedTwice, NOW)[0].confidence).toBe(0.6);
  });

  it('does not force a repeat into the old cause: a cause with no candidate here adds nothing', () => {
    const ranked = [candidate({ category: 'deployment', culprit: 'orders', confidence: 0.7 })];
    expect(applyPriors(ranked, confirmedTwice, NOW)).toEqual(ranked);
  });

  it('lowers a cause responders marked wrong, and keeps the reason for the ruled-out list', () => {
    const refuted = priorsFor(
      [
        similar(
          record('w', { verdict: 'wrong', category: 'database', culprit: 'orders-db', detectedAt: NOW }),
          6,
        ),
      ],
      ['orders'],
    );
    const [c] = applyPriors([candidate({})], refuted, NOW);
    expect(c.confidence).toBe(0.53);
    expect(c.against).toBe('database (orders-db): marked wrong by responders once in 1 day on orders (w)');
  });
});
