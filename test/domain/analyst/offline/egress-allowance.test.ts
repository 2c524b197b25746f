/**
 * A NAT instance exceeds its bandwidth allowance as traffic climbs, and new tasks of the service
 * behind it cannot reach ECR to start: the NAT running out is the cause (scale it), and the tasks'
 * start-up errors are its symptom. A task refused its secret by permissions is still a
 * configuration fault.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const env = (initError: string, allowance: boolean): Partial<Scenario['environment']> => ({
  services: [
    api('relay', ['relay-nat']),
    { name: 'relay-nat', tier: 'critical' as const, owner: 'platform' },
  ],
  metrics: [
    {
      namespace: 'CWAgent',
      metricName: 'ethtool_bw_out_allowance_exceeded',
      service: 'relay-nat',
      dimensions: { InstanceId: 'i-0abc', driver: 'ena' },
      points: stepPoints(0, allowance ? 180_000 : 0, -15, 0),
    },
    {
      namespace: 'AWS/ApplicationELB',
      metricName: 'HTTPCode_ELB_5XX_Count',
      service: 'relay',
      dimensions: { LoadBalancer: 'app/relay/1' },
      points: stepPoints(2, 9000, -14, 1),
    },
  ],
  logs: [{ service: 'relay', timestamp: at(-12), level: 'ERROR', count: 6, message: initError }],
});

const NETWORK =
  '(service relay) (task 3e9c) stopped: ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve ecr registry auth: service call has been retried 3 time(s): RequestError: send request failed';
const DENIED =
  '(service relay) (task 3e9c) stopped: ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: AccessDeniedException: not authorized to perform secretsmanager:GetSecretValue';

describe('tasks that cannot start while the NAT drops packets', () => {
  it("blame the path out, scaled, not the tasks' configuration", async () => {
    const run = await runScenario(scenario('relay', env(NETWORK, true)));
    expect(run.rootCause.category).not.toBe('configuration');
    expect(run.rootCause.culprit).toBe('relay-nat');
    expect(run.rootCause.mitigation?.kind).toBe('scale');
  });

  it('leave a refused secret a configuration fault', async () => {
    const run = await runScenario(scenario('relay', env(DENIED, false)));
    expect(run.rootCause.category).toBe('configuration');
  });
});
