/**
 * A database's volume queue climbing while the operations it completes fall is the volume failing,
 * not load: the database is failed over to its standby. The same queue climbing with the operations
 * climbing too is load, and capacity is added.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const volume = (opsAfter: number): Scenario =>
  scenario('events-web', {
    services: [api('events-web', ['events-db']), { name: 'events-db', tier: 'critical', owner: 'data' }],
    metrics: [
      {
        namespace: 'AWS/EBS',
        metricName: 'VolumeQueueLength',
        service: 'events-db',
        points: stepPoints(2, 230, -12, 0.5),
      },
      {
        namespace: 'AWS/EBS',
        metricName: 'VolumeReadOps',
        service: 'events-db',
        points: stepPoints(46_000, opsAfter, -12, 2_000),
      },
      {
        namespace: 'AWS/ApplicationELB',
        metricName: 'HTTPCode_Target_5XX_Count',
        service: 'events-web',
        points: stepPoints(3, 3_000, -10, 1),
      },
    ],
  });

describe("a database's volume", () => {
  it('that stopped completing I/O is failed over', async () => {
    const rc = (await runScenario(volume(40))).rootCause;
    expect(rc.culprit).toBe('events-db');
    expect(rc.summary).toContain('volume stopped completing I/O');
    expect(rc.mitigation).toMatchObject({ kind: 'failover', target: 'events-db' });
  });

  it('that is busier is not', async () => {
    const rc = (await runScenario(volume(140_000))).rootCause;
    expect(rc.summary).not.toContain('volume stopped completing I/O');
    expect(rc.mitigation?.kind).not.toBe('failover');
  });
});
