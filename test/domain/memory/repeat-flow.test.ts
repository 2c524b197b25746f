/**
 * The done-when of memory, through the local flow (real ASL engine, dynalite store): a repeat of a
 * reviewed incident a week later is declared with its history and the analyst is surer of the
 * confirmed cause; a repeat whose past cause was a different one keeps what its evidence says.
 */
import { describe, expect, it } from 'vitest';
import { withLocalStore } from '../../../adapters/embedded/dynamodb.js';
import { systemClock } from '../../../domain/clock.js';
import { reviewIncident } from '../../../domain/memory/review.js';
import { exampleScenario, run, tempDir } from '../../support/response-harness.js';

/** The same scenario `days` later: every ISO date in it moves, nothing else does. */
function later(doc: unknown, days: number): unknown {
  const shift = (date: string) =>
    new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
  return JSON.parse(JSON.stringify(doc).replace(/\b(\d{4}-\d\d-\d\d)(?=T\d\d:\d\d)/g, (d) => shift(d)));
}

const review = (dataDir: string, incidentId: string, args: Record<string, string>) =>
  withLocalStore(dataDir, (store, memory) =>
    reviewIncident({ store, memory, clock: systemClock }, { incidentId, by: 'alice', ...args }),
  );

const declaredBody = (messages: Array<{ kind: string; audience: string; body: string }>) =>
  messages.find((m) => m.kind === 'declared' && m.audience === 'oncall')?.body ?? '';

describe('a repeat of a reviewed incident, through the local flow', () => {
  const scenario = exampleScenario('checkout-5xx-after-deploy');

  it('is declared with its history, and the confirmed cause is held with more confidence', async () => {
    const dataDir = tempDir('firebreak-repeat-');
    const first = await run(scenario, { dataDir });
    const before = first.incident.rootCause!;
    expect(before.category).toBe('deployment');
    expect(before.summary).not.toMatch(/Memory:/);
    await review(dataDir, first.summary.incidentId, { verdict: 'correct' });

    const repeat = await run(later(scenario, 7), { dataDir });
    expect(declaredBody(repeat.messages)).toMatch(
      new RegExp(
        `History: +this alert seen once in 90 days; last time: ${first.summary.incidentId} .*\\(confirmed\\)`,
      ),
    );
    const after = repeat.incident.rootCause!;
    expect(after).toMatchObject({ category: 'deployment', culprit: before.culprit });
    expect(after.confidence).toBeGreaterThan(before.confidence);
    expect(after.confidence - before.confidence).toBeLessThanOrEqual(0.15);
    expect(after.summary).toContain(
      `Memory: confirmed once in 7 days on checkout (${first.summary.incidentId})`,
    );
  }, 180_000);

  it('keeps its own cause when the past one was confirmed as something else', async () => {
    const dataDir = tempDir('firebreak-repeat-');
    const first = await run(scenario, { dataDir });
    const before = first.incident.rootCause!;
    // Responders found the last one was the database, not the release.
    await review(dataDir, first.summary.incidentId, {
      verdict: 'wrong',
      category: 'database',
      culprit: 'checkout-db',
      cause: 'checkout-db connection pool exhausted by a slow query',
    });

    const repeat = await run(later(scenario, 3), { dataDir });
    expect(declaredBody(repeat.messages)).toMatch(/History: +this alert seen once/);
    const after = repeat.incident.rootCause!;
    expect(after).toMatchObject({ category: 'deployment', culprit: before.culprit });
    expect(after.summary).not.toMatch(/checkout-db|database/i);
    // The release was blamed wrongly last time: a little less sure of it now, not more.
    expect(after.confidence).toBeLessThan(before.confidence);
    expect(after.summary).toContain('Memory: marked wrong by responders once in 3 days on checkout');
  }, 180_000);
});
