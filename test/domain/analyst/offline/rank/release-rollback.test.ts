/**
 * A release is rolled back by its version pair when the allow-list can carry the labels; a label it
 * cannot ("dns-as-code MR !412") is left out rather than costing the proposal, and the adapter rolls
 * back to the deployment before the current one.
 */
import { describe, expect, it } from 'vitest';
import { releaseRollback } from '../../../../../domain/analyst/offline/rank/candidate.js';
import { vetAction } from '../../../../../domain/mitigation/allow-list.js';

describe('rolling a release back', () => {
  it('names the versions when they are plain labels', () => {
    const m = releaseRollback({ version: 'v42', previousVersion: 'v41' }, 'checkout', ['checkout']);
    expect(m?.params).toEqual({ toVersion: 'v41', fromVersion: 'v42' });
    expect(vetAction(m, new Set(['checkout'])).ok).toBe(true);
  });

  it('leaves out labels the allow-list cannot carry, and the proposal still passes it', () => {
    const m = releaseRollback(
      { version: 'dns-as-code MR !412', previousVersion: 'dns-as-code MR !407' },
      'p4-edge',
      ['p4-edge'],
    );
    expect(m?.params).toEqual({});
    expect(m?.rationale).toContain('dns-as-code MR !407');
    expect(vetAction(m, new Set(['p4-edge'])).ok).toBe(true);
  });
});
