/**
 * A maintenance announced eight days ahead for a window that covers the onset, saying the search
 * cluster restart will make search return 503s: the search errors are its announced cost, nothing
 * is rolled back mid-maintenance, and severity stays at the errors' floor. The same notice saying
 * no impact is expected, or a window that does not cover the onset, leaves the work inside the
 * window a change like any other.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints, T0 } from './fixtures.js';
import { runScenario } from './harness.js';

const hhmm = (m: number) => new Date(T0 + m * 60_000).toISOString().slice(11, 16);
const day = new Date(T0).toISOString().slice(0, 10);

const env = (impact: string, from = -5, to = 55): Partial<Scenario['environment']> => ({
  services: [
    api('mail-search', ['search-cluster']),
    { name: 'search-cluster', tier: 'critical' as const, owner: 'search', dependsOn: [] },
  ],
  changes: [
    {
      timestamp: at(-8 * 24 * 60),
      eventName: 'ScheduledMaintenanceCreated',
      service: 'search-cluster',
      resource: 'search-prod',
      actor: 'search team',
      summary: `Scheduled maintenance ${day} ${hhmm(from)}-${hhmm(to)} UTC: search cluster restart for a security upgrade; ${impact}`,
    },
    {
      timestamp: at(-5),
      eventName: 'StartServiceSoftwareUpdate',
      service: 'search-cluster',
      resource: 'search-prod',
      actor: 'search-maint',
      summary: 'service software update R2026-P3 started',
    },
  ],
  metrics: [
    {
      namespace: 'AWS/ApplicationELB',
      metricName: 'HTTPCode_Target_5XX_Count',
      service: 'mail-search',
      points: stepPoints(1, 180, -4, 1),
    },
  ],
  logs: [
    {
      service: 'mail-search',
      timestamp: at(-4),
      level: 'ERROR' as const,
      count: 4000,
      message: 'search backend unavailable: 503 Service Unavailable from search-prod',
    },
  ],
});

const announced = 'search may return 503 and be degraded during the window';

describe('an announced maintenance', () => {
  it('reads errors inside the window, on what it maintains, as its announced cost', async () => {
    const run = await runScenario(scenario('mail-search', env(announced), 'mail-search 5xx'));
    expect(run.rootCause.category).toBe('healthy');
    expect(run.rootCause.culprit).toBe('search-cluster');
    expect(run.rootCause.mitigation).toBeNull();
    expect(run.triage.severity).toBe('SEV3');
  });

  it('is a change like any other when the notice expected no impact', async () => {
    const run = await runScenario(
      scenario('mail-search', env('no customer impact expected'), 'mail-search 5xx'),
    );
    expect(run.rootCause.category).not.toBe('healthy');
  });

  it('does not cover an onset outside its window', async () => {
    const run = await runScenario(scenario('mail-search', env(announced, 30, 90), 'mail-search 5xx'));
    expect(run.rootCause.category).not.toBe('healthy');
  });
});
