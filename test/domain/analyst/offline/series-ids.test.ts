/**
 * The same metric read twice — its average and its maximum (one task pinned while the others
 * idle), or at two periods — is two series, and each needs its own id: findings cite ids, and a
 * lookup by a shared id finds whichever came first.
 */
import { describe, expect, it } from 'vitest';
import { distinctIds } from '../../../../domain/evidence/signatures.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { contextFor } from './harness.js';

describe('series ids', () => {
  it('tell apart a metric read with two statistics or at two periods, and leave unique ids alone', () => {
    const ids = distinctIds([
      { id: 'metric:AWS/ECS/CPUUtilization[svc]', stat: 'Average' },
      { id: 'metric:AWS/ECS/CPUUtilization[svc]', stat: 'Maximum' },
      { id: 'metric:AWS/ELB/5XX[lb]', stat: 'Sum', periodSeconds: 60 },
      { id: 'metric:AWS/ELB/5XX[lb]', stat: 'Sum', periodSeconds: 300 },
      { id: 'metric:AWS/RDS/CPU[db]', stat: 'Average' },
    ]).map((s) => s.id);
    expect(ids).toEqual([
      'metric:AWS/ECS/CPUUtilization[svc]',
      'metric:AWS/ECS/CPUUtilization[svc]:Maximum',
      'metric:AWS/ELB/5XX[lb]',
      'metric:AWS/ELB/5XX[lb]:300s',
      'metric:AWS/RDS/CPU[db]',
    ]);
  });

  it('are distinct in what the scenario environment answers, and the same in every read', async () => {
    const cpu = (stat: string, level: number) => ({
      namespace: 'AWS/ECS',
      metricName: 'CPUUtilization',
      service: 'worker',
      stat,
      dimensions: { ClusterName: 'prod', ServiceName: 'worker' },
      points: stepPoints(30, level, -5, 1),
    });
    const s = scenario('worker', {
      services: [api('worker')],
      metrics: [cpu('Average', 10), cpu('Maximum', 100)],
    });
    const { env } = contextFor(s);
    const read = async (from: number) => (await env.metrics({ from: at(from), to: at(0) })).map((m) => m.id);
    const ids = await read(-60);
    expect(new Set(ids).size).toBe(2);
    expect(await read(-10)).toEqual(ids);
  });
});
