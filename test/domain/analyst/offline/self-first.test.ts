/**
 * The affected service ran out of CPU minutes before its dependency slowed: what came after did not
 * start it, and the shortage is the story. A dependency that slowed first stays the story.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const order = (cpuAt: number, depAt: number): Scenario =>
  scenario('reader-api', {
    services: [
      api('reader-api', ['content-service']),
      { name: 'content-service', tier: 'high', owner: 'content' },
    ],
    metrics: [
      {
        namespace: 'ECS/ContainerInsights',
        metricName: 'CpuUtilized',
        service: 'reader-api',
        unit: 'Percent',
        points: stepPoints(35, 100, cpuAt, 1),
      },
      {
        namespace: 'Prometheus',
        metricName: 'content_service_request_seconds_p99',
        service: 'content-service',
        points: stepPoints(0.1, 24, depAt, 0.01),
      },
      {
        namespace: 'AWS/ApplicationELB',
        metricName: 'HTTPCode_ELB_5XX_Count',
        service: 'reader-api',
        points: stepPoints(2, 9_000, Math.max(cpuAt, depAt) + 1, 1),
      },
    ],
    logs: [
      {
        service: 'reader-api',
        timestamp: at(depAt + 1),
        level: 'ERROR',
        message: 'upstream content-service timed out after 30000 ms (GET /titles/metadata)',
        count: 4_000,
      },
    ],
    alarmStates: [
      {
        name: 'content-service-latency',
        service: 'content-service',
        state: 'ALARM',
        timestamp: at(depAt + 2),
      },
    ],
  });

describe('which ran out first', () => {
  it('is the affected service, when its CPU ran out before its dependency slowed', async () => {
    const rc = (await runScenario(order(-15, -8))).rootCause;
    expect(rc.category).toBe('capacity');
    expect(rc.culprit).toBe('reader-api');
  });

  it('is the dependency, when it slowed first', async () => {
    const rc = (await runScenario(order(-8, -15))).rootCause;
    expect(rc.culprit).toBe('content-service');
  });
});
