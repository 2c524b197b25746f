/**
 * An autoscaler's scale-out minutes before the errors is its reaction to the load, never the cause
 * the story is told about; the same record made by a person is a change like any other.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const scaledOut = (actor: string): Scenario =>
  scenario('reader-api', {
    services: [api('reader-api')],
    metrics: [
      {
        namespace: 'AWS/ApplicationELB',
        metricName: 'HTTPCode_ELB_5XX_Count',
        service: 'reader-api',
        points: stepPoints(2, 1_800, -8, 1),
      },
    ],
    logs: [
      {
        service: 'reader-api',
        timestamp: at(-8),
        level: 'ERROR',
        message:
          'o.a.t.u.n.NioEndpoint - Error processing request: java.util.concurrent.RejectedExecutionException: The executor has been shutdown or request queue is full (maxThreads=200, acceptCount=100)',
        count: 5_400,
      },
    ],
    changes: [
      {
        timestamp: at(-12),
        source: 'application-autoscaling',
        eventName: 'SetDesiredCount',
        service: 'reader-api',
        resource: 'ecs service prod/reader-api 4 -> 14',
        actor,
        summary: 'desired count 4 -> 14; new tasks need a few minutes to start',
      },
    ],
  });

describe("an autoscaler's reaction", () => {
  it('is not the cause of what followed it', async () => {
    const rc = (await runScenario(scaledOut('application-autoscaling'))).rootCause;
    expect(rc.culprit).not.toContain('4 -> 14');
    expect(rc.mitigation?.kind).not.toBe('rollback');
  });

  it('is a change like any other when a person made it', async () => {
    const rc = (await runScenario(scaledOut('ops.ana'))).rootCause;
    expect(rc.culprit).toContain('4 -> 14');
  });
});
