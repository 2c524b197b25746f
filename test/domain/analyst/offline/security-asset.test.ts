/**
 * A reported vulnerability is about the asset it names, not about whoever reported it: a
 * researcher's mail to the security inbox saying "ci.example.org serves Jenkins 2.117 …" names
 * `ci-jenkins` by its parts. When the report names nothing of ours, the reporter remains the only
 * name the evidence offers.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario } from './fixtures.js';
import { runScenario } from './harness.js';

const env = (detail: string): Partial<Scenario['environment']> => ({
  services: [
    api('chat-server', ['chat-db']),
    { name: 'chat-db', tier: 'critical' as const },
    { name: 'ci-jenkins', tier: 'high' as const, owner: 'dev-infra' },
  ],
  securityEvents: [
    { timestamp: at(-20), kind: 'external-report', source: 'security@ inbox', count: 1, detail },
  ],
});

describe('a reported vulnerability', () => {
  it('names the asset the report is about', async () => {
    const run = await runScenario(
      scenario(
        'chat-server',
        env(
          'Researcher reports ci.example.org serves Jenkins 2.117 with an unauthenticated RCE (CVE-2019-1003000)',
        ),
        'possible compromise reported',
      ),
    );
    expect(run.rootCause.category).toBe('security');
    expect(run.rootCause.culprit).toBe('ci-jenkins');
  });

  it('keeps the reporter when the report names nothing of ours', async () => {
    const run = await runScenario(
      scenario(
        'chat-server',
        env('Researcher reports an unauthenticated RCE on one of your build hosts'),
        'possible compromise reported',
      ),
    );
    expect(run.rootCause.culprit).not.toBe('ci-jenkins');
  });
});
