/**
 * How sure is sure enough: a well-supported cause is concluded with its action; one just under the
 * bar is named as the likely cause but nothing is proposed on it; one well under is `unknown`,
 * with the lead kept in the summary.
 */
import { describe, expect, it } from 'vitest';
import type { Analysis } from '../../../../domain/analyst/offline/analysis.js';
import type { Candidate } from '../../../../domain/analyst/offline/rank/candidate.js';
import { synthesize } from '../../../../domain/analyst/offline/rank/synthesize.js';

const analysis = {
  snap: { metrics: [], logs: [], changes: [], alarms: [], security: [] },
  changes: [],
  knowledge: [],
  statements: new Map(),
} as unknown as Analysis;

const lead = (confidence: number): Candidate => ({
  category: 'configuration',
  culprit: 'world-config',
  summary: 'world-config changed just before the crashes.',
  causalChain: ['world-config changed', 'servers crash'],
  confidence,
  evidence: [],
  mitigation: { kind: 'rollback', target: 'worldserver', rationale: 'undo the config change', params: {} },
  specialists: ['changes'],
});

describe('the confidence bar', () => {
  it('concludes and proposes the action above it', () => {
    const rc = synthesize(analysis, [lead(0.6)], []);
    expect(rc.category).toBe('configuration');
    expect(rc.mitigation?.kind).toBe('rollback');
  });

  it('names a lead just under it as likely, with nothing to act on', () => {
    const rc = synthesize(analysis, [lead(0.3)], []);
    expect(rc.category).toBe('configuration');
    expect(rc.culprit).toBe('world-config');
    expect(rc.mitigation).toBeNull();
    expect(rc.summary).toMatch(/^Likely but not proven/);
  });

  it('says unknown well under it, keeping the lead', () => {
    const rc = synthesize(analysis, [lead(0.15)], []);
    expect(rc.category).toBe('unknown');
    expect(rc.mitigation).toBeNull();
    expect(rc.summary).toContain('Leading but unproven: world-config changed');
  });
});
