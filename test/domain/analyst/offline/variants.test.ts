/**
 * The variant check: every scenario, renamed, shifted in time, scaled and with unrelated noise
 * added, must lead the offline analyst to the same conclusion (category, culprit under the
 * renaming, first mitigation). Severity is left out: scaling the magnitudes scales the impact it is
 * measured from. What it checks is agreement with itself, not with the expected answer, so it runs
 * over every corpus the project has.
 */
import { describe, expect, it } from 'vitest';
import { variantOf } from '../../../../local/variants.js';
import { loadScenario, runScenario, scenarioFiles } from './harness.js';

const FILES = scenarioFiles(['examples/scenarios', 'corpus/dev', 'corpus/holdout']);

describe('variant check', () => {
  it('keeps where a copy runs, like `east`, and renames only who it is', () => {
    const original = loadScenario('examples/scenarios/checkout-5xx-after-deploy.json');
    original.environment.services?.push({ name: 'ledger-euw1', dependsOn: [] });
    const { rename } = variantOf(original, { seed: 3 });
    expect(rename('ledger-euw1')).toMatch(/-euw1$/);
    expect(rename('ledger-euw1')).not.toMatch(/ledger/);
  });

  it('renames, shifts and scales consistently', () => {
    const original = loadScenario('examples/scenarios/checkout-5xx-after-deploy.json');
    const { scenario, rename } = variantOf(original, { seed: 3 });
    const names = scenario.environment.services?.map((s) => s.name) ?? [];
    expect(names).toContain(rename('checkout'));
    expect(rename('checkout')).not.toBe('checkout');
    expect(rename('payments-api')).toMatch(/-api$/);
    expect(JSON.stringify(scenario)).not.toMatch(/\bcheckout\b/i);
    expect(scenario.environment.deployments?.[0].startedAt).not.toBe(
      original.environment.deployments?.[0].startedAt,
    );
    expect(names).toHaveLength((original.environment.services?.length ?? 0) + 1);
  });

  it('shifts a window written out in text with the clock', () => {
    const original = loadScenario('examples/scenarios/checkout-5xx-after-deploy.json');
    original.environment.changes = [
      {
        timestamp: '2026-01-03T17:10:00Z',
        service: 'checkout',
        summary: 'Scheduled maintenance Sun 2026-01-11 23:00-23:45 UTC: checkout degraded',
      },
    ];
    const { scenario } = variantOf(original, { seed: 3, shiftMinutes: 90 });
    expect(scenario.environment.changes?.[0].summary).toContain('2026-01-12 00:30-01:15 UTC');
  });

  it.each(FILES)('%s reaches the same conclusion as its variant', async (file) => {
    const original = loadScenario(file);
    const { scenario, rename } = variantOf(original, { seed: 5 });
    const [a, b] = await Promise.all([runScenario(original), runScenario(scenario)]);
    const view = (r: typeof a, name: (s: string) => string) => ({
      category: r.rootCause.category,
      culprit: name(r.rootCause.culprit).toLowerCase(),
      mitigation: r.rootCause.mitigation?.kind ?? 'none',
    });
    expect(view(b, (s) => s)).toEqual(view(a, rename));
  });
});
