/**
 * The database host's kernel logs XFS metadata I/O errors and mongod blocked on I/O while its
 * callers time out: the storage under it is failing (an impaired volume), which is not a lack of
 * capacity, and the way out is a failover, not more instances.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const env: Partial<Scenario['environment']> = {
  services: [
    api('tracker-web', ['tracker-db']),
    { name: 'tracker-db', tier: 'critical' as const, owner: 'data' },
  ],
  metrics: [
    {
      namespace: 'AWS/ApplicationELB',
      metricName: 'HTTPCode_Target_5XX_Count',
      service: 'tracker-web',
      dimensions: { LoadBalancer: 'app/tracker/1' },
      points: stepPoints(3, 2500, -8, 1),
    },
  ],
  logs: [
    {
      service: 'tracker-db',
      timestamp: at(-9),
      level: 'ERROR',
      count: 37,
      message:
        'kernel: XFS (xvdf): metadata I/O error: block 0x2b5c1a0 ("xfs_trans_read_buf_map") error 5 numblks 8',
    },
    {
      service: 'tracker-web',
      timestamp: at(-8),
      level: 'ERROR',
      count: 50000,
      message:
        'Mongo::Error::SocketTimeoutError: Took more than 10 seconds to receive data (for 10.0.3.11:27017)',
    },
  ],
};

describe('I/O errors on the volume under a database', () => {
  it('are the storage failing, not capacity', async () => {
    const run = await runScenario(scenario('tracker-web', env));
    expect(run.rootCause.category).not.toBe('capacity');
    expect(run.rootCause.culprit).toBe('tracker-db');
    expect(run.rootCause.mitigation?.kind).not.toBe('scale');
  });
});
