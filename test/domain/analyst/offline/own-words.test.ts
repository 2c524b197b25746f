/**
 * A release whose service now fails on the very thing its description says it changed is tied to
 * the failure by its content, however long its rollout took: "fee schedules loaded from
 * config/fee-schedules.<env>.yaml", then `ENOENT ... fee-schedules.production.yaml` as it completes,
 * fifty minutes after it started. The same release described as something else is only a release
 * that started long before the errors.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const env = (description: string, startedAt = at(-52)): Partial<Scenario['environment']> => ({
  services: [
    api('billing-api', ['ledger-db']),
    { name: 'ledger-db', tier: 'critical' as const, owner: 'data' },
  ],
  deployments: [
    {
      service: 'billing-api',
      version: '2026.05.01-r88',
      previousVersion: '2026.04.28-r87',
      startedAt,
      completedAt: at(-6),
      status: 'succeeded',
      description,
    },
  ],
  metrics: [
    {
      namespace: 'AWS/ApplicationELB',
      metricName: 'HTTPCode_Target_5XX_Count',
      service: 'billing-api',
      points: stepPoints(3, 9000, -6, 1),
    },
  ],
  logs: [
    {
      service: 'billing-api',
      timestamp: at(-6),
      level: 'ERROR',
      count: 180_000,
      message:
        "Error: ENOENT: no such file or directory, open '/srv/app/build/config/fee-schedules.production.yaml'\n    at Object.openSync (node:fs:573:18)",
    },
    {
      service: 'billing-api',
      timestamp: at(-40),
      level: 'INFO',
      count: 3000,
      message: 'POST /invoices 201',
    },
  ],
});

const FEES = 'Fee schedules loaded from config/fee-schedules.<env>.yaml at startup';

describe("a release's own words", () => {
  it('blames a release whose service fails on what its description says it changed', async () => {
    const run = await runScenario(scenario('billing-api', env(FEES)));
    expect(run.rootCause.category).toBe('deployment');
    expect(run.rootCause.culprit).toBe('2026.05.01-r88');
    expect(run.rootCause.mitigation?.kind).toBe('rollback');
    expect(run.rootCause.summary).toContain('fails on what the release says it changed');
  });

  it('does not read its words into errors first seen hours after it began', async () => {
    const run = await runScenario(scenario('billing-api', env(FEES, at(-180))));
    expect(run.rootCause.summary).not.toContain('fails on what the release says it changed');
  });

  it('does not blame a release that started long before errors about something else', async () => {
    const run = await runScenario(
      scenario('billing-api', env('Invoice list: new column sorting in the admin view')),
    );
    expect(run.rootCause.category).not.toBe('deployment');
  });
});
