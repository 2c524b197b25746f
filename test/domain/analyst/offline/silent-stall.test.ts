/**
 * A collector's published samples fall by half and stay there, its CPU falls with them, nothing
 * it logs is an error, and nothing changed: part of its workers stalled silently, and it is
 * restarted. The alarm says it fires when samples are *less* than its threshold, so the fall is
 * the incident, not a quiet metric. A service logging errors as it fell has a story of its own.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const env = (errors: boolean): Partial<Scenario['environment']> => ({
  services: [api('metrics-collector')],
  metrics: [
    {
      namespace: 'Collector',
      metricName: 'SamplesPublished',
      service: 'metrics-collector',
      points: stepPoints(1_840_000, 920_000, -30, 20_000),
    },
    {
      namespace: 'AWS/ECS',
      metricName: 'CPUUtilization',
      service: 'metrics-collector',
      points: stepPoints(41, 21, -30, 1),
    },
  ],
  logs: [
    errors
      ? {
          service: 'metrics-collector',
          timestamp: at(-30),
          level: 'ERROR',
          count: 9000,
          message: 'poll failed: AccessDeniedException: not authorized to perform mq:DescribeBroker',
        }
      : {
          service: 'metrics-collector',
          timestamp: at(-30),
          level: 'INFO',
          count: 12,
          message: 'poll cycle complete clusters=9204',
        },
  ],
});

const run = (errors: boolean) =>
  runScenario(
    scenario(
      'metrics-collector',
      env(errors),
      'ALARM metrics-collector-samples-low: SamplesPublished datapoints were less than the threshold (1300000)',
    ),
  );

describe('a service that quietly does less', () => {
  it('has stalled workers, restarted', async () => {
    const { rootCause } = await run(false);
    expect(rootCause.category).toBe('code');
    expect(rootCause.mitigation).toMatchObject({ kind: 'restart', target: 'metrics-collector' });
  });

  it('is not a silent stall when it logs errors as it falls', async () => {
    const { rootCause } = await run(true);
    expect(rootCause.summary).not.toMatch(/stalled without an error/);
  });
});
