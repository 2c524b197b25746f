/**
 * A crash that comes back after every restart, in code a release from ten days ago rewrote: the
 * release is named and rolled back. Crashing once (a restart clears it) or a release about
 * something else leaves the restart standing.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

type Env = Partial<Scenario['environment']>;

const env = (opts: { looping: boolean; description: string }): Env => ({
  services: [api('delivery-workers')],
  deployments: [
    {
      service: 'delivery-workers',
      version: 'dw-2026.04.21',
      previousVersion: 'dw-2026.04.02',
      startedAt: at(-10 * 24 * 60),
      completedAt: at(-10 * 24 * 60 + 30),
      status: 'succeeded',
      description: opts.description,
    },
  ],
  metrics: [
    {
      namespace: 'Custom/Scheduler',
      metricName: 'DeliveryErrors',
      service: 'delivery-workers',
      points: stepPoints(2, 900, -12, 1),
    },
  ],
  logs: [
    {
      service: 'delivery-workers',
      timestamp: at(-12),
      level: 'ERROR',
      count: 180,
      message:
        'panic: runtime error: invalid memory address or nil pointer dereference\n[signal SIGSEGV: segmentation violation code=0x1 addr=0x30 pc=0x14b7d2e]',
    },
    {
      service: 'delivery-workers',
      timestamp: at(-12),
      level: 'INFO',
      count: 180,
      message: 'timer wheel: lease expired for schedule sch_3b81c0, reassigning',
    },
    {
      service: 'delivery-workers',
      timestamp: at(-12),
      level: 'ERROR',
      count: opts.looping ? 175 : 1,
      message: '(service delivery-workers) (task 5e0b9c7a) Essential container in task exited (exit code 2)',
    },
  ],
});

const REWRITE = 'New timer wheel per worker; lease-based ownership of schedules';
const conclude = async (e: Env) => (await runScenario(scenario('delivery-workers', e))).rootCause;

describe('a crash loop in code an older release rewrote', () => {
  it('names that release and rolls it back', async () => {
    const rc = await conclude(env({ looping: true, description: REWRITE }));
    expect(rc.category).toBe('code');
    expect(rc.culprit).toBe('dw-2026.04.21');
    expect(rc.mitigation).toMatchObject({ kind: 'rollback', params: { toVersion: 'dw-2026.04.02' } });
  });

  it('restarts when the process died once', async () => {
    const rc = await conclude(env({ looping: false, description: REWRITE }));
    expect(rc.mitigation?.kind).not.toBe('rollback');
  });

  it('leaves a release about something else alone', async () => {
    const rc = await conclude(env({ looping: true, description: 'Dark mode for the settings page' }));
    expect(rc.culprit).not.toBe('dw-2026.04.21');
    expect(rc.mitigation?.kind).not.toBe('rollback');
  });
});
