/**
 * A database of ours whose own volume fails is failed over to its standby, the first thing its
 * runbook does; the same kernel lines on a stateless service of ours restart it instead, since
 * it has no standby to promote.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const BLOCK_IO =
  'kernel: blk_update_request: I/O error, dev nvme1n1, sector 88120417 op 0x1:(WRITE) flags 0x800';
/** A known failure whose entry lists restart before failover: for a store, failover still comes first. */
const READ_ONLY = "OSError: [Errno 30] Read-only file system: '/var/lib/data/appendonly.aof'";

const volumeFails = (store: string, namespace: string, line = BLOCK_IO): Scenario =>
  scenario('orders-api', {
    services: [api('orders-api', [store]), { name: store, tier: 'critical', owner: 'platform' }],
    metrics: [
      {
        namespace: 'App',
        metricName: 'Errors',
        service: 'orders-api',
        points: stepPoints(3, 700, -10, 1),
      },
      {
        namespace,
        metricName: 'WriteLatency',
        service: store,
        points: stepPoints(0.004, 2.5, -11, 0.001),
      },
    ],
    logs: [
      {
        service: store,
        timestamp: at(-11),
        level: 'ERROR',
        message: line,
        count: 3_400,
      },
      {
        service: 'orders-api',
        timestamp: at(-10),
        level: 'ERROR',
        message: `upstream ${store} timed out after 5000ms (POST /orders)`,
        count: 9_000,
      },
    ],
  });

describe('a store of ours on a failing volume', () => {
  it('fails the database over to its standby', async () => {
    const rc = (await runScenario(volumeFails('orders-db', 'AWS/RDS'))).rootCause;
    expect(rc.culprit).toBe('orders-db');
    expect(rc.mitigation).toMatchObject({ kind: 'failover', target: 'orders-db' });
  });

  it('fails a store over before restarting it, whatever order the known failure lists them in', async () => {
    const store = (await runScenario(volumeFails('orders-db', 'AWS/RDS', READ_ONLY))).rootCause;
    expect(store.mitigation).toMatchObject({ kind: 'failover', target: 'orders-db' });
    const stateless = (await runScenario(volumeFails('pdf-renderer', 'AWS/ECS', READ_ONLY))).rootCause;
    expect(stateless.mitigation?.kind).toBe('restart');
  });

  it('restarts a stateless service instead: it has no standby', async () => {
    const rc = (await runScenario(volumeFails('pdf-renderer', 'AWS/ECS'))).rootCause;
    expect(rc.culprit).toBe('pdf-renderer');
    expect(rc.mitigation?.kind).not.toBe('failover');
  });
});
