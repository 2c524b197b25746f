/**
 * A change the responders made against the trouble already under way, to diagnose it ("disabled on
 * two nodes for diagnosis") or to work off its backlog ("to drain backlog"), is the incident's
 * consequence, not its cause, even when it lands as the failure shows. The same change made for no
 * such reason stays a suspect.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const env = (summary: string): Partial<Scenario['environment']> => ({
  services: [api('game-cluster')],
  changes: [
    {
      timestamp: at(-20),
      source: 'ops-console',
      eventName: 'DisableInterface',
      resource: 'node-17..18 eth1',
      actor: 'game-ops',
      summary,
      service: 'game-cluster',
    },
  ],
  metrics: [
    {
      namespace: 'Game/Cluster',
      metricName: 'NodeStartFailures',
      service: 'game-cluster',
      dimensions: { Cluster: 'main' },
      points: stepPoints(0, 60, -21, 0),
    },
  ],
  logs: [
    {
      service: 'game-cluster',
      timestamp: at(-21),
      level: 'ERROR',
      count: 400,
      message: 'cluster start: 58 nodes still starting after 900s (stalled at stage LOAD_WORLD)',
    },
  ],
});

describe('a step taken against the trouble', () => {
  it('is not blamed for it', async () => {
    const run = await runScenario(
      scenario('game-cluster', env('secondary NIC disabled on two nodes for diagnosis')),
    );
    expect(run.rootCause.culprit).not.toContain('eth1');
  });

  it('is not blamed when it was made to drain a backlog', async () => {
    const run = await runScenario(
      scenario('game-cluster', env('secondary NIC disabled on two nodes to drain the join backlog')),
    );
    expect(run.rootCause.culprit).not.toContain('eth1');
  });

  it('is not blamed when the record calls it a recovery step', async () => {
    const run = await runScenario(
      scenario(
        'game-cluster',
        env('secondary NIC disabled on two nodes (recovery step after the switch reboot)'),
      ),
    );
    expect(run.rootCause.culprit).not.toContain('eth1');
  });

  it('leaves the same change a suspect when it was made for another reason', async () => {
    const run = await runScenario(scenario('game-cluster', env('secondary NIC disabled on two nodes')));
    expect(run.rootCause.culprit).toContain('eth1');
  });
});
