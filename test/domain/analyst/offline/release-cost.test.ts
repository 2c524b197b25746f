/**
 * A release that made each request dearer: CPU stepped up as it rolled out at night and stayed up,
 * and the next day's peak found the ceiling. The release, hours old, is the cause to roll back, not
 * the saturation to scale. When requests stepped up at the same moment, they explain the CPU as
 * well as the release does, and the step is not read as the release's cost.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario } from './fixtures.js';
import { runScenario } from './harness.js';

/** Five-minute points from ten hours before the alert: `f(minute)` gives the value. */
const every5 = (f: (m: number) => number): Array<[string, number]> => {
  const out: Array<[string, number]> = [];
  for (let m = -600; m <= 0; m += 5) out.push([at(m), f(m)]);
  return out;
};

const RELEASE = -545;
/** CPU: 20 % overnight, 28 % from the release on, then the day's traffic pushes it to the ceiling. */
const cpu = (m: number) =>
  m < RELEASE ? 20 + ((m * 7) % 3) * 0.4 : m < -90 ? 28 + ((m * 7) % 3) * 0.4 : 28 + (m + 90) * 0.78;

const env = (requestsStepWithRelease: boolean): Partial<Scenario['environment']> => ({
  services: [api('web-app', ['app-db']), { name: 'app-db', tier: 'critical' as const, owner: 'data' }],
  deployments: [
    {
      service: 'web-app',
      version: '2026.05.01-3',
      previousVersion: '2026.04.30-2',
      startedAt: at(RELEASE - 8),
      completedAt: at(RELEASE),
      status: 'succeeded' as const,
      description: 'overview redesign; audit logging for permission checks',
    },
  ],
  metrics: [
    { namespace: 'AWS/ECS', metricName: 'CPUUtilization', service: 'web-app', points: every5(cpu) },
    {
      namespace: 'AWS/ApplicationELB',
      metricName: 'RequestCount',
      service: 'web-app',
      points: every5(
        (m) => (requestsStepWithRelease && m >= RELEASE ? 60_000 : 40_000) + ((m * 13) % 7) * 100,
      ),
    },
    {
      namespace: 'AWS/ApplicationELB',
      metricName: 'TargetResponseTime',
      service: 'web-app',
      points: every5((m) => (m < -20 ? 0.8 : 4.5)),
    },
  ],
});

describe('a release that made each request cost more', () => {
  it('is the cause when CPU stepped up as it landed, with no more requests', async () => {
    const run = await runScenario(scenario('web-app', env(false), 'web-app slow'));
    expect(run.rootCause.category).toBe('deployment');
    expect(run.rootCause.culprit).toBe('2026.05.01-3');
    expect(run.rootCause.summary).toContain('a lasting rise of CPUUtilization on web-app');
  });

  it('is not read into a CPU step that more requests explain as well', async () => {
    const run = await runScenario(scenario('web-app', env(true), 'web-app slow'));
    expect(run.rootCause.summary).not.toContain('a lasting rise of CPUUtilization');
  });
});
