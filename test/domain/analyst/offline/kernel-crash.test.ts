/**
 * Hosts blue-screening (a Windows bug check): a crash in the kernel, not a shortage. A compliance
 * scan that ran on the fleet before it only read: nothing to undo, so the crashed hosts are
 * restarted. A driver setting changed on the fleet before it is what to revert.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const env = (summary: string): Partial<Scenario['environment']> => ({
  services: [api('dispatch-desk')],
  changes: [
    {
      timestamp: at(-40),
      eventName: 'StartAssociationsOnce',
      service: 'dispatch-desk',
      resource: 'association/fleet-nightly',
      actor: 'ssm-maintenance-window',
      summary,
    },
  ],
  metrics: [
    {
      namespace: 'AWS/ApplicationELB',
      metricName: 'HTTPCode_ELB_5XX_Count',
      service: 'dispatch-desk',
      points: stepPoints(1, 120, -6, 1),
    },
  ],
  logs: [
    {
      service: 'dispatch-desk',
      timestamp: at(-6),
      level: 'ERROR' as const,
      count: 14,
      message:
        'EventID 1001 BugCheck: The computer has rebooted from a bugcheck.  The bugcheck was: 0x00000050 (0xffffd6030000006a, 0x0000000000000000, 0xfffff8052c1a35a1, 0x000000000000000c).',
    },
  ],
});

describe('a fleet crashing in the kernel', () => {
  it('restarts the hosts when what ran before only read (a compliance scan)', async () => {
    const run = await runScenario(
      scenario(
        'dispatch-desk',
        env('Nightly patch compliance scan (Operation=Scan) on the fleet'),
        'desk down',
      ),
    );
    expect(run.rootCause.category).toBe('code');
    expect(run.rootCause.mitigation?.kind).toBe('restart');
  });

  it('reverts a driver setting changed on the fleet before it', async () => {
    const run = await runScenario(
      scenario('dispatch-desk', env('storage filter driver setting updated to v2 on the fleet'), 'desk down'),
    );
    expect(run.rootCause.mitigation?.kind).toBe('rollback');
  });
});
