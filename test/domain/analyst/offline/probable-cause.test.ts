/**
 * Under the bar of an established cause, a hypothesis that still clearly leads is named as the
 * probable cause, with no action proposed: nothing runs on a hypothesis this weak. Too weak, or
 * neck and neck with another kind of cause, and the answer stays "unknown" with the lead quoted.
 */
import { describe, expect, it } from 'vitest';
import { type Analysis, analyze } from '../../../../domain/analyst/offline/analysis.js';
import { gather } from '../../../../domain/analyst/offline/evidence/gather.js';
import type { Candidate } from '../../../../domain/analyst/offline/rank/candidate.js';
import { synthesize } from '../../../../domain/analyst/offline/rank/synthesize.js';
import { BUILTIN_KNOWLEDGE } from '../../../../domain/knowledge/builtin.js';
import { api, scenario } from './fixtures.js';
import { contextFor } from './harness.js';

const hypothesis = (category: Candidate['category'], culprit: string, confidence: number): Candidate => ({
  category,
  culprit,
  summary: `${culprit} did it`,
  causalChain: [],
  confidence,
  evidence: [],
  mitigation: { kind: 'restart', target: culprit, params: {}, rationale: 'restart it' },
  specialists: [],
});

async function analysis(): Promise<Analysis> {
  const { env, ctx } = contextFor(scenario('orders-api', { services: [api('orders-api')] }));
  return analyze(await gather(env, ctx), BUILTIN_KNOWLEDGE);
}

describe('a probable cause under the bar', () => {
  it('is named, with no action, when it clearly leads', async () => {
    const root = synthesize(
      await analysis(),
      [hypothesis('configuration', 'orders-api', 0.3), hypothesis('capacity', 'orders-db', 0.2)],
      [],
    );
    expect(root.category).toBe('configuration');
    expect(root.mitigation).toBeNull();
    expect(root.summary).toMatch(/^Probable cause, not established enough to act on/);
  });

  it('stays unknown when another kind of cause is as strong', async () => {
    const root = synthesize(
      await analysis(),
      [hypothesis('configuration', 'orders-api', 0.3), hypothesis('capacity', 'orders-db', 0.28)],
      [],
    );
    expect(root.category).toBe('unknown');
  });

  it('stays unknown when it is too weak', async () => {
    const root = synthesize(await analysis(), [hypothesis('configuration', 'orders-api', 0.2)], []);
    expect(root.category).toBe('unknown');
  });
});
