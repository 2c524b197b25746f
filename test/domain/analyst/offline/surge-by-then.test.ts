/**
 * A surge accounts for a resource running out only by the traffic it carried when the resource ran
 * out: clients reconnecting to a service that already failed multiply the requests too, later, and
 * that flood is no cause. Traffic that had multiplied before is.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario } from './fixtures.js';
import { runScenario } from './harness.js';

/** One point a minute from -60 to -1: `base` until `from`, then `after`. */
const steps = (base: number, from: number, after: number): Array<[string, number]> =>
  Array.from({ length: 60 }, (_, i) => {
    const m = i - 60;
    return [at(m), (m < from ? base : after) + (i % 3)];
  });

const cpuOut = (flowsFrom: number): Scenario =>
  scenario('realtime-hub', {
    services: [api('realtime-hub')],
    metrics: [
      {
        namespace: 'AWS/EC2',
        metricName: 'CPUUtilization',
        service: 'realtime-hub',
        unit: 'Percent',
        points: steps(30, -20, 99),
      },
      {
        namespace: 'AWS/NetworkELB',
        metricName: 'NewFlowCount_TLS',
        service: 'realtime-hub',
        points: steps(900, flowsFrom, 7_200),
      },
    ],
  });

describe('a surge, by the time the resource ran out', () => {
  it('is not what ran it out when the requests multiplied only afterwards', async () => {
    const rc = (await runScenario(cpuOut(-8))).rootCause;
    expect(rc.summary).not.toContain('traffic surge');
  });

  it('is what ran it out when they had multiplied before', async () => {
    const rc = (await runScenario(cpuOut(-25))).rootCause;
    expect(rc.summary).toContain('under a traffic surge');
  });
});
