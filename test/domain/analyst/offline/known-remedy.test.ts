/**
 * A database host whose CPU pinned after the kernel logged machine-check (hardware) errors is a
 * failing host: restarted onto healthy hardware, not scaled, even with a segfault among its lines. Without the hardware errors, the same
 * pinned CPU is a shortage and more capacity is the answer.
 */
import { describe, expect, it } from 'vitest';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const env = (hardware: boolean) => ({
  services: [api('ping', ['checks-pg']), { name: 'checks-pg', tier: 'critical' as const, owner: 'data' }],
  metrics: [
    {
      namespace: 'AWS/EC2',
      metricName: 'CPUUtilization',
      service: 'checks-pg',
      dimensions: { InstanceId: 'i-0abc1234def567890' },
      points: stepPoints(24, 99, -15, 2),
    },
    {
      namespace: 'AWS/ApplicationELB',
      metricName: 'HTTPCode_Target_5XX_Count',
      service: 'ping',
      points: stepPoints(1, 3000, -14, 1),
    },
  ],
  logs: [
    ...(hardware
      ? [
          {
            service: 'checks-pg',
            timestamp: at(-20),
            level: 'WARN',
            count: 3,
            message: 'kernel: mce: [Hardware Error]: Machine check events logged',
          },
          {
            service: 'checks-pg',
            timestamp: at(-15),
            level: 'ERROR',
            count: 2,
            message: 'LOG:  server process (PID 1843211) was terminated by signal 11: Segmentation fault',
          },
        ]
      : []),
    {
      service: 'ping',
      timestamp: at(-14),
      level: 'ERROR',
      count: 30_000,
      message:
        'django.db.utils.OperationalError: connection to server at "10.0.3.14", port 5432 failed: timeout expired',
    },
  ],
});

describe('a known failure on what ran out', () => {
  // A database of ours is failed over before it is restarted (its standby does not share the host's
  // fault): the entry's remedies are failover and restart.
  it('fails a database host with hardware errors over instead of scaling its CPU', async () => {
    const run = await runScenario(scenario('ping', env(true)));
    expect(run.rootCause.culprit).toBe('checks-pg');
    expect(run.rootCause.mitigation).toMatchObject({ kind: 'failover', target: 'checks-pg' });
    expect(run.rootCause.summary).toContain('hardware');
  });

  it('scales the same pinned CPU when nothing says the host is failing', async () => {
    const run = await runScenario(scenario('ping', env(false)));
    expect(run.rootCause.culprit).toBe('checks-pg');
    expect(run.rootCause.mitigation).toMatchObject({ kind: 'scale', target: 'checks-pg' });
  });
});
