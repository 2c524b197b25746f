import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../adapters/embedded/scenario/schema.js';
import { score } from '../../../local/eval.js';
import type { RunSummary } from '../../../local/runner.js';

const summary = (over: Partial<RunSummary> = {}): RunSummary => ({
  incidentId: 'inc-1',
  executionArn: 'arn',
  executionStatus: 'SUCCEEDED',
  status: 'RESOLVED',
  severity: 'SEV2',
  title: 't',
  service: 'checkout',
  category: 'deployment',
  culprit: 'v187',
  rootCause: 'Checkout V187 broke promo codes after the deploy',
  confidence: 0.9,
  mitigation: { action: 'rollback checkout', kind: 'rollback', target: 'checkout', status: 'applied' },
  escalationTier: 0,
  states: [],
  notifications: [],
  postmortemPath: null,
  minutes: { toDeclare: 1, toMitigate: 2, toResolve: 3 },
  wallSeconds: 1,
  ...over,
});

const expected = (over: Partial<Scenario['expected']> = {}): Scenario['expected'] => ({
  severity: 'SEV2',
  category: 'deployment',
  ...over,
});

describe('the eval scorer', () => {
  it('accepts severity within the tolerance only', () => {
    expect(score(expected({ severity: 'SEV1', severityTolerance: 1 }), summary()).severity.pass).toBe(true);
    expect(score(expected({ severity: 'SEV1' }), summary()).severity.pass).toBe(false);
    expect(score(expected({ severity: 'SEV4', severityTolerance: 1 }), summary()).severity.pass).toBe(false);
    expect(score(expected(), summary({ severity: null })).severity.pass).toBe(false);
  });

  it('finds the culprit case-insensitively in the culprit or the summary', () => {
    expect(score(expected({ culprit: 'V187' }), summary()).culprit.pass).toBe(true);
    expect(score(expected({ culprit: 'promo codes' }), summary({ culprit: '' })).culprit.pass).toBe(true);
    expect(score(expected({ culprit: 'v186' }), summary()).culprit.pass).toBe(false);
    expect(score(expected(), summary()).culprit.pass).toBeNull();
  });

  it('looks for required keywords in the whole root cause, causal chain included', () => {
    const rc = { rootCause: { causalChain: ['a null discount amount', 'TypeError'] } } as never;
    const ok = score(expected({ requiredKeywords: ['DEPLOY', 'typeerror'] }), summary(), rc).keywords;
    expect(ok).toMatchObject({ pass: true });
    const missing = score(expected({ requiredKeywords: ['deploy', 'cache'] }), summary()).keywords;
    expect(missing).toMatchObject({ pass: false, got: 'missing cache' });
  });

  it('fails a forbidden category, a wrong first mitigation and a wrong resolution', () => {
    const checks = score(
      expected({ forbiddenCategories: ['deployment'], mitigation: 'none', resolved: false }),
      summary(),
    );
    expect(checks.forbidden.pass).toBe(false);
    expect(checks.mitigation).toMatchObject({ pass: false, got: 'rollback', want: 'none' });
    expect(checks.resolved.pass).toBe(false);
    const none = score(
      expected({ mitigation: 'none', resolved: false }),
      summary({ status: 'ACTIVE', mitigation: { action: null, kind: null, target: null, status: 'none' } }),
    );
    expect(none.mitigation.pass).toBe(true);
    expect(none.resolved.pass).toBe(true);
  });

  it('does not score what the scenario does not ask for', () => {
    const checks = score(expected(), summary());
    expect([
      checks.keywords.pass,
      checks.forbidden.pass,
      checks.mitigation.pass,
      checks.resolved.pass,
    ]).toEqual([null, null, null, null]);
    expect(checks.category.pass).toBe(true);
  });
});
