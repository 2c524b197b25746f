/**
 * Where a change sits relative to what fails, beyond the catalog's lines: a vendor's change to the
 * service they run for us is that dependency failing (nothing of ours reverts it), and a change
 * whose work shows on a dependency the affected service shares (a migration truncating a table in
 * the shared database) is on the affected service's path.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

type Env = Scenario['environment'];

/** checkout calls payments-gw; its operator changes it 3 min before checkout's errors begin. */
const vendorEnv = (owner: string): Partial<Env> => ({
  services: [api('checkout', ['payments-gw']), { name: 'payments-gw', tier: 'critical' as const, owner }],
  metrics: [
    {
      namespace: 'AWS/ApplicationELB',
      metricName: 'HTTPCode_Target_5XX_Count',
      service: 'checkout',
      points: stepPoints(2, 800, -6, 1),
    },
  ],
  changes: [
    {
      timestamp: at(-9),
      eventName: 'MaintenanceCompleted',
      service: 'payments-gw',
      resource: 'gw-edge-fra',
      actor: 'gateway operations',
      summary: 'TLS terminator upgrade on the Frankfurt edge completed',
    },
  ],
  logs: [
    {
      service: 'checkout',
      timestamp: at(-6),
      level: 'ERROR',
      count: 5_000,
      message: 'authorize failed: payments-gw returned 503 Service Unavailable',
    },
  ],
});

describe('a change to a dependency', () => {
  it('made by its vendor is that dependency failing: named as it, and not rolled back', async () => {
    const run = await runScenario(scenario('checkout', vendorEnv('external (Gatewayco)')));
    expect(run.rootCause.category).toBe('dependency');
    expect(run.rootCause.culprit).toBe('payments-gw');
    expect(run.rootCause.mitigation?.kind).not.toBe('rollback');
  });

  it('made by our own team is a change we revert', async () => {
    const run = await runScenario(scenario('checkout', vendorEnv('payments-team')));
    expect(run.rootCause.category).toBe('configuration');
    expect(run.rootCause.mitigation).toMatchObject({ kind: 'rollback', target: 'payments-gw' });
  });
});

/** A migration job shares app-db with the alarming api; its release starts 20 min before the onset. */
const migrationEnv = (dbLine: string): Partial<Env> => ({
  services: [
    api('orders-api', ['app-db']),
    { name: 'migrator', tier: 'high' as const, dependsOn: ['app-db'] },
    { name: 'app-db', tier: 'critical' as const },
  ],
  metrics: [
    {
      namespace: 'AWS/ApplicationELB',
      metricName: 'HTTPCode_Target_5XX_Count',
      service: 'orders-api',
      points: stepPoints(2, 600, -8, 1),
    },
  ],
  deployments: [
    {
      service: 'migrator',
      version: '20260501_reset_archive',
      previousVersion: '20260430_add_archive',
      startedAt: at(-28),
      completedAt: at(-9),
      status: 'succeeded',
      description: 'Clear the archive tables before the backfill',
    },
  ],
  logs: [
    { service: 'app-db', timestamp: at(-10), level: 'INFO', count: 1, message: dbLine },
    {
      service: 'orders-api',
      timestamp: at(-8),
      level: 'ERROR',
      count: 2_000,
      message: "TypeError: Cannot read properties of null (reading 'customer') at renderOrder",
    },
  ],
});

describe('a change that acted on a dependency the affected service shares', () => {
  it('is on the path when that dependency logs it at work as it landed', async () => {
    const run = await runScenario(
      scenario(
        'orders-api',
        migrationEnv('knex: migration 20260501_reset_archive: TRUNCATE TABLE "archive" CASCADE'),
      ),
    );
    expect(run.rootCause.category).toBe('deployment');
    expect(run.rootCause.culprit).toBe('20260501_reset_archive');
    expect(run.rootCause.summary).toContain('TRUNCATE');
    expect(run.rootCause.mitigation).toMatchObject({ kind: 'rollback', target: 'migrator' });
  });

  it('stays a sibling’s change when the dependency shows nothing of it', async () => {
    const run = await runScenario(
      scenario('orders-api', migrationEnv('checkpoint complete: wrote 311 buffers (0.4%)')),
    );
    expect(run.rootCause.category).not.toBe('deployment');
  });
});

/** cdn calls router and bucket; the router is released 3 min before the bucket's 4xx/5xx begin. */
const refusalEnv = (bucketMetric: string): Partial<Env> => ({
  services: [
    api('cdn', ['edge-router', 'blob-store']),
    { name: 'edge-router', tier: 'critical' as const },
    { name: 'blob-store', tier: 'critical' as const },
  ],
  metrics: [
    {
      namespace: 'Custom/CDN',
      metricName: 'ErrorRate',
      service: 'cdn',
      points: stepPoints(0.5, 60, -9, 0.1),
    },
    {
      namespace: 'AWS/S3',
      metricName: bucketMetric,
      service: 'blob-store',
      points: stepPoints(3, 4_000, -9, 1),
    },
  ],
  deployments: [
    {
      service: 'edge-router',
      version: 'r42',
      previousVersion: 'r41',
      startedAt: at(-12),
      completedAt: at(-10),
      status: 'succeeded',
      description: 'Simplify backend selection in the request handler',
    },
  ],
  alarmStates: [{ name: 'blob-store-errors', service: 'blob-store', state: 'ALARM', timestamp: at(-6) }],
});

describe('a dependency refusing requests just after a release on the same path', () => {
  it('answers what it is sent: the release is the cause and is rolled back', async () => {
    const run = await runScenario(scenario('cdn', refusalEnv('4xxErrors')));
    expect(run.rootCause.category).toBe('deployment');
    expect(run.rootCause.mitigation).toMatchObject({ kind: 'rollback', target: 'edge-router' });
    expect(run.rootCause.ruledOut.join(' ')).toContain('refuses what it is sent');
  });

  it('failing on its own side (5xx) is not explained away by the release', async () => {
    const run = await runScenario(scenario('cdn', refusalEnv('5xxErrors')));
    expect(run.rootCause.ruledOut.join(' ')).not.toContain('refuses what it is sent');
  });
});
