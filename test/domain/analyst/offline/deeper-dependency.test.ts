/**
 * The registry pages; the edge service it calls serves 503s; the edge service's own lines say it
 * cannot connect to its metadata database. The database is the failing dependency, one hop
 * further down the path; the edge service is its symptom. A line naming a longer name that merely
 * begins like the database's (`meta-db-proxy`) is not about the database.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const env = (named: string): Partial<Scenario['environment']> => ({
  services: [
    api('module-registry', ['deploy-edge']),
    api('deploy-edge', ['meta-db']),
    { name: 'meta-db', tier: 'critical' as const, owner: 'deploy' },
  ],
  metrics: [
    {
      namespace: 'DeployEdge',
      metricName: 'Responses5xx',
      service: 'deploy-edge',
      points: stepPoints(30, 45_000, -10, 2),
    },
  ],
  alarmStates: [{ name: 'deploy-edge-5xx', service: 'deploy-edge', state: 'ALARM', timestamp: at(-9) }],
  logs: [
    {
      service: 'deploy-edge',
      timestamp: at(-10),
      level: 'ERROR',
      count: 88_000,
      message: `metadata refresh failed: error connecting to ${named}.c4yq1h2k7s0d.us-east-1.rds.amazonaws.com:5432: Connection refused (os error 111)`,
    },
  ],
});

describe('a dependency failing in its calls to its own dependency', () => {
  it('passes the blame down the path to the one it cannot reach', async () => {
    const { rootCause } = await runScenario(scenario('module-registry', env('meta-db')));
    expect(rootCause.culprit).toBe('meta-db');
  });

  it('keeps it when the line names something else that begins with that name', async () => {
    const { rootCause } = await runScenario(scenario('module-registry', env('meta-db-proxy')));
    expect(rootCause.culprit).not.toBe('meta-db');
  });
});

/**
 * A connector in front of a third-party processor, its calls timing out by address. nginx's
 * "upstream timed out" in front of it names no provider called `upstream-…`.
 */
const connectorEnv = (provider: string, deps: string[]): Partial<Scenario['environment']> => ({
  services: [
    api('pay-gateway', ['card-connector']),
    { name: 'card-connector', tier: 'critical' as const, owner: 'acquiring', dependsOn: deps },
    { name: provider, tier: 'critical' as const, owner: 'external (processing provider)' },
    { name: 'risk-store', tier: 'high' as const, owner: 'risk' },
  ],
  metrics: [
    {
      namespace: 'AWS/ApplicationELB',
      metricName: 'HTTPCode_ELB_504_Count',
      service: 'pay-gateway',
      points: stepPoints(1, 1_900, -8, 1),
    },
  ],
  logs: [
    {
      service: 'card-connector',
      timestamp: at(-10),
      level: 'ERROR',
      count: 1_400,
      message:
        'dc=dc2 connect to 172.31.200.20:5001 failed: java.net.SocketTimeoutException: Connect timed out',
    },
    {
      service: 'pay-gateway',
      timestamp: at(-8),
      level: 'ERROR',
      count: 9_400,
      message: 'upstream timed out (110: Connection timed out) while reading response header from upstream',
    },
  ],
});

describe('a line in front of a provider called upstream-…', () => {
  it('"upstream timed out" names no provider: the word is nginx\'s for whatever is behind it', async () => {
    const { rootCause } = await runScenario(
      scenario('pay-gateway', connectorEnv('upstream-acquirer', ['upstream-acquirer', 'risk-store'])),
    );
    expect(rootCause.culprit).not.toBe('upstream-acquirer');
  });
});
