/**
 * A default style served from an in-process cache that each request appends to: the generated
 * URLs grow by one query segment per request and callers get 404s. The service's own code is the
 * cause and a restart clears the corrupted object; the same 404s on ordinary URLs say nothing.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const env = (url: string): Partial<Scenario['environment']> => ({
  services: [api('glyph-api', ['glyph-db']), { name: 'glyph-db', tier: 'high' as const, owner: 'maps' }],
  metrics: [
    {
      namespace: 'AWS/ApplicationELB',
      metricName: 'HTTPCode_Target_4XX_Count',
      service: 'glyph-api',
      dimensions: { LoadBalancer: 'app/glyph/1' },
      points: stepPoints(800, 4000, -30, 40),
    },
  ],
  logs: [
    { service: 'glyph-api', timestamp: at(-29), level: 'WARN', count: 90000, message: `GET ${url} 404 1ms` },
  ],
});

describe('a shared object mutated by every request', () => {
  it('is read as a code fault of the service that writes the repeated piece, cleared by a restart', async () => {
    const run = await runScenario(
      scenario('glyph-api', env('/glyphs/v1/base/font?secure?secure?secure.pbf')),
    );
    expect(run.rootCause.category).toBe('code');
    expect(run.rootCause.culprit).toBe('glyph-api');
    expect(run.rootCause.mitigation?.kind).toBe('restart');
  });

  it('is not concluded from ordinary 404s', async () => {
    const run = await runScenario(scenario('glyph-api', env('/glyphs/v1/base/font?secure.pbf')));
    expect(run.rootCause.category).not.toBe('code');
  });
});
