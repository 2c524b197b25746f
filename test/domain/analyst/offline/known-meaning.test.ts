/**
 * A root cause that cites a known failure says what that failure does: the entry's one-sentence
 * meaning is a link of the causal chain, right after the cause, so the postmortem's whys and the
 * responder read the mechanism and not just a signature's title.
 */
import { describe, expect, it } from 'vitest';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const diskFull = (line: string) =>
  scenario('exporter', {
    services: [api('exporter')],
    metrics: [
      {
        namespace: 'AWS/Lambda',
        metricName: 'Errors',
        service: 'exporter',
        points: stepPoints(2, 340, -10, 1),
      },
    ],
    logs: [{ service: 'exporter', timestamp: at(-10), level: 'ERROR', count: 4_200, message: line }],
  });

describe('a cited known failure', () => {
  it('adds its meaning to the causal chain, after the cause', async () => {
    const { rootCause } = await runScenario(
      diskFull("OSError: [Errno 28] No space left on device: '/tmp/export.csv'"),
    );
    expect(rootCause.signatures).toContain('disk-full-enospc');
    const link = rootCause.causalChain.findIndex((c) => c.includes('known failure: Disk full'));
    expect(link).toBe(1);
    expect(rootCause.causalChain[link]).toMatch(/^A filesystem is full/);
  });

  it('adds nothing when the cause matched no known failure', async () => {
    const { rootCause } = await runScenario(diskFull('export job failed: upstream answered 500 for batch 7'));
    expect(rootCause.signatures).toEqual([]);
    expect(rootCause.causalChain.join(' ')).not.toContain('known failure');
  });
});
