import { describe, expect, it } from 'vitest';
import { accuracyOf, mitigationSplit } from '../../../domain/memory/accuracy.js';
import type { Incident, Review } from '../../../domain/model.js';
import { anIncident } from '../../support/incidents.js';

let n = 0;
const incident = (over: Partial<Incident> = {}): Incident =>
  anIncident({
    id: `inc-acc-${++n}`,
    status: 'RESOLVED',
    title: 't',
    service: undefined,
    services: [],
    fingerprint: 'fp',
    detectedAt: '2026-11-20T10:00:00.000Z',
    updatedAt: '2026-11-20T10:00:00.000Z',
    rootCause: {
      category: 'deployment',
      culprit: '',
      summary: 's',
      causalChain: [],
      confidence: 0.5,
      evidence: [],
      ruledOut: [],
      mitigation: null,
      degraded: false,
    },
    ...over,
  });
const review = (verdict: Review['verdict'], score: number, category?: Review['confirmed']): Review => ({
  verdict,
  by: 'x',
  at: '2026-11-21T00:00:00.000Z',
  score,
  ...(category ? { confirmed: category } : {}),
});

describe('accuracyOf', () => {
  it('averages the scores of reviewed incidents only, by confirmed category and by analyst', () => {
    const a = accuracyOf([
      incident({ review: review('correct', 100, { category: 'deployment', culprit: '', summary: '' }) }),
      incident({
        review: review('partly', 35, { category: 'database', culprit: '', summary: '' }),
        tokenUsage: { input: 1200, cachedInput: 0, output: 300 },
      }),
      incident({ review: review('wrong', 0) }),
      incident(),
      incident({ rootCause: undefined }),
    ]);
    expect(a).toMatchObject({
      reviewed: 3,
      meanScore: 45,
      unreviewed: 1,
      verdicts: { correct: 1, partly: 1, wrong: 1 },
      byCategory: { deployment: { reviewed: 2, meanScore: 50 }, database: { reviewed: 1, meanScore: 35 } },
      byAnalyst: { offline: { reviewed: 2, meanScore: 50 }, model: { reviewed: 1, meanScore: 35 } },
    });
  });

  it('reports nothing reviewed as null, not zero', () => {
    expect(accuracyOf([incident()])).toMatchObject({ reviewed: 0, meanScore: null, unreviewed: 1 });
  });
});

describe('mitigationSplit', () => {
  it('splits MTTR by whether an accepted mitigation was applied', () => {
    const applied = {
      action: { kind: 'rollback' as const, target: 'x', params: {}, rationale: '' },
      status: 'applied' as const,
      detail: '',
    };
    const split = mitigationSplit([
      incident({ resolvedAt: '2026-11-20T10:10:00.000Z', mitigation: applied }),
      incident({ resolvedAt: '2026-11-20T10:20:00.000Z', mitigation: applied }),
      incident({ resolvedAt: '2026-11-20T11:00:00.000Z', mitigation: { ...applied, status: 'rejected' } }),
      incident({ status: 'ACTIVE' }),
    ]);
    expect(split).toEqual({
      withMitigation: { resolved: 2, mttrSeconds: 900 },
      withoutMitigation: { resolved: 1, mttrSeconds: 3600 },
    });
  });
});
