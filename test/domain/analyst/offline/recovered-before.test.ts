/**
 * A database whose alarm fired and cleared, its connections back in their band ten minutes before
 * the service began failing, did not start that failure: its candidate is weakened and says so.
 * The same database still out of its band at the onset stays a suspect.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { analyze } from '../../../../domain/analyst/offline/analysis.js';
import { gather } from '../../../../domain/analyst/offline/evidence/gather.js';
import { candidates } from '../../../../domain/analyst/offline/rank/candidates.js';
import { BUILTIN_KNOWLEDGE } from '../../../../domain/knowledge/builtin.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { contextFor } from './harness.js';

const env = (wellAgainAt: number): Partial<Scenario['environment']> => {
  const connections = stepPoints(200, 200, -60, 4).map(([t, v], i) => {
    const m = i - 60;
    return [t, m >= -30 && m < wellAgainAt ? 480 : v] as [string, number];
  });
  return {
    services: [
      api('ledger-api', ['ledger-db']),
      { name: 'ledger-db', tier: 'critical' as const, owner: 'dba' },
    ],
    metrics: [
      {
        namespace: 'AWS/RDS',
        metricName: 'DatabaseConnections',
        service: 'ledger-db',
        dimensions: { DBInstanceIdentifier: 'ledger-db' },
        points: connections,
      },
      {
        namespace: 'AWS/ApplicationELB',
        metricName: 'HTTPCode_Target_5XX_Count',
        service: 'ledger-api',
        points: stepPoints(1, 300, -6, 1),
      },
    ],
    alarmStates: [
      { name: 'ledger-db-connections', service: 'ledger-db', state: 'ALARM', timestamp: at(-30) },
      { name: 'ledger-db-connections', service: 'ledger-db', state: 'OK', timestamp: at(wellAgainAt) },
    ],
  };
};

async function dbCandidate(wellAgainAt: number) {
  const { env: e, ctx } = contextFor(scenario('ledger-api', env(wellAgainAt), 'ledger-api 5xx'));
  return candidates(analyze(await gather(e, ctx), BUILTIN_KNOWLEDGE)).find((c) => c.culprit === 'ledger-db');
}

describe('a dependency well again before the onset', () => {
  it('is weakened, with the time it recovered', async () => {
    const c = await dbCandidate(-16);
    expect(c?.against).toMatch(/ledger-db was well again by \d\d:\d\d, before the onset/);
  });

  it('stays a suspect while it is still out of its band at the onset', async () => {
    const c = await dbCandidate(-1);
    expect(c).toBeDefined();
    expect(c?.against ?? '').not.toMatch(/well again/);
  });
});
