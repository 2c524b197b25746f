/**
 * Latent causes: a change days or hours old that set the limit a peak then reached. Each case runs
 * the same synthetic evidence with and without the one fact the rule reads (the old change, its
 * target, a fresh change beside it).
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { capacityDirection, latentWeight } from '../../../../domain/analyst/offline/rank/latent.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

type Env = Scenario['environment'];
const conclude = async (env: Partial<Env>) => (await runScenario(scenario('storefront', env))).rootCause;

const HOUR = 60;
const services = [
  api('storefront', ['catalog-db', 'session-cluster']),
  { name: 'catalog-db', tier: 'critical' as const, owner: 'data' },
  { name: 'session-cluster', tier: 'critical' as const, owner: 'platform' },
  api('reports', []),
];

/** Peak traffic on the storefront and the database's CPU pinned from 15 minutes before the alert. */
const peak: Env['metrics'] = [
  {
    namespace: 'AWS/ApplicationELB',
    metricName: 'RequestCount',
    service: 'storefront',
    points: stepPoints(40_000, 64_000, -18),
  },
  {
    namespace: 'AWS/ApplicationELB',
    metricName: 'HTTPCode_Target_5XX_Count',
    service: 'storefront',
    points: stepPoints(3, 2_400, -14, 1),
  },
  {
    namespace: 'AWS/RDS',
    metricName: 'CPUUtilization',
    service: 'catalog-db',
    points: stepPoints(52, 99, -15, 1),
  },
];

const logs: Env['logs'] = [
  {
    service: 'storefront',
    timestamp: at(-13),
    level: 'ERROR',
    count: 9_000,
    message: 'could not obtain a connection from the pool within 5.000 seconds (catalog-db)',
  },
];

const downsized = (service: string, minutesAgo: number) => ({
  timestamp: at(-minutesAgo),
  eventName: 'ModifyDBInstance',
  service,
  resource: `arn:aws:rds:us-east-1:123456789012:db:${service}`,
  actor: 'arn:aws:sts::123456789012:assumed-role/admin/ops',
  summary: 'DBInstanceClass db.r6g.8xlarge -> db.r6g.2xlarge (cost review)',
});

describe('a limit set days before the peak that reached it', () => {
  it('blames the downsizing three days earlier as a capacity cause and scales the database back', async () => {
    const rc = await conclude({
      services,
      metrics: peak,
      logs,
      changes: [downsized('catalog-db', 72 * HOUR)],
    });
    expect(rc.category).toBe('capacity');
    expect(rc.culprit).toBe('catalog-db');
    expect(rc.mitigation?.kind).toBe('scale');
    expect(rc.summary).toContain('3 days earlier');
  });

  it('without that change the same saturation is the database running out of CPU', async () => {
    const rc = await conclude({ services, metrics: peak, logs, changes: [] });
    expect(rc.category).toBe('database');
    expect(rc.summary).not.toContain('earlier set');
  });

  it('does not blame an old upsizing of the same database: a larger instance does not run out sooner', async () => {
    const upsized = {
      ...downsized('catalog-db', 72 * HOUR),
      summary: 'db.r6g.xlarge -> db.r6g.4xlarge after an overload',
    };
    const rc = await conclude({ services, metrics: peak, logs, changes: [upsized] });
    expect(rc.category).toBe('database');
    expect(rc.summary).not.toContain('earlier set');
  });

  it('does not blame an old downsizing of something else', async () => {
    const rc = await conclude({ services, metrics: peak, logs, changes: [downsized('reports', 72 * HOUR)] });
    expect(rc.category).toBe('database');
    expect(rc.culprit).toBe('catalog-db');
  });

  it('lets a fresh deployment that explains the onset stay ahead of the old change', async () => {
    const rc = await conclude({
      services,
      metrics: peak,
      logs: [
        ...logs,
        {
          service: 'storefront',
          timestamp: at(-15),
          level: 'ERROR',
          count: 4_000,
          message: 'TypeError: Cannot read properties of undefined (reading "sku") at renderCart',
        },
      ],
      deployments: [
        {
          service: 'storefront',
          version: 'web-812',
          previousVersion: 'web-811',
          startedAt: at(-19),
          status: 'succeeded',
        },
      ],
      changes: [downsized('catalog-db', 72 * HOUR)],
    });
    expect(rc.category).toBe('deployment');
    expect(rc.mitigation?.kind).toBe('rollback');
  });
});

describe('a behaviour switched on the day before, on the cluster that saturated', () => {
  const clusterPeak: Env['metrics'] = [
    {
      namespace: 'App',
      metricName: 'join_success_ratio',
      service: 'storefront',
      points: stepPoints(0.99, 0.2, -12, 0.005),
    },
    {
      namespace: 'Custom/Cluster',
      metricName: 'CPUUtilization',
      service: 'session-cluster',
      points: stepPoints(45, 98, -13, 1),
    },
  ];
  const enabled = (service: string) => ({
    timestamp: at(-26 * HOUR),
    eventName: 'UpdateClientConfig',
    service,
    resource: 'session-client-config/use_push_backend',
    actor: 'platform:ops',
    summary: 'use_push_backend=true for all storefront clients (was 10 low-traffic services)',
  });

  it('blames the config change 26 h earlier, outside the day of changes, and reverts it', async () => {
    const rc = await conclude({
      services,
      metrics: clusterPeak,
      logs: [],
      changes: [enabled('session-cluster')],
    });
    expect(rc.category).toBe('configuration');
    expect(rc.culprit).toBe('session-client-config/use_push_backend');
    expect(rc.mitigation).toMatchObject({ kind: 'rollback', target: 'session-cluster' });
  });

  it('without the change, it is the cluster out of CPU', async () => {
    const rc = await conclude({ services, metrics: clusterPeak, logs: [], changes: [] });
    expect(rc.category).toBe('capacity');
    expect(rc.culprit).toBe('session-cluster');
  });

  it('a service named in the summary does not make a config change a network change', async () => {
    const rc = await conclude({
      services: [...services, { name: 'edge-router', tier: 'high' as const }],
      metrics: clusterPeak,
      logs: [],
      changes: [{ ...enabled('session-cluster'), summary: 'use_push_backend=true for edge-router clients' }],
    });
    expect(rc.category).toBe('configuration');
  });
});

describe('a fleet grown in the morning whose per-peer threads reach the process limit at noon', () => {
  const threads: Env['logs'] = [
    {
      service: 'session-cluster',
      timestamp: at(-12),
      level: 'ERROR',
      count: 30_000,
      message:
        'Exception in thread "peer-sync-311" java.lang.OutOfMemoryError: unable to create native thread: possibly out of memory or process/resource limits reached',
    },
  ];
  const metrics: Env['metrics'] = [
    {
      namespace: 'AWS/ApplicationELB',
      metricName: 'HTTPCode_Target_5XX_Count',
      service: 'storefront',
      points: stepPoints(3, 1_800, -11, 1),
    },
  ];
  const grown = (summary: string) => ({
    timestamp: at(-3 * HOUR),
    eventName: 'UpdateAutoScalingGroup',
    service: 'session-cluster',
    resource: 'session-cluster-asg',
    actor: 'arn:aws:sts::123456789012:assumed-role/capacity-planner/run-7',
    summary,
  });

  it('blames the expansion as a capacity cause and reverts it', async () => {
    const rc = await conclude({
      services,
      metrics,
      logs: threads,
      changes: [grown('DesiredCapacity 300 -> 420')],
    });
    expect(rc.category).toBe('capacity');
    expect(rc.culprit).toBe('session-cluster');
    expect(rc.mitigation).toMatchObject({ kind: 'rollback', target: 'session-cluster' });
  });

  it('does not blame an expansion made to drain a backlog: a step against trouble already there', async () => {
    const rc = await conclude({
      services,
      metrics,
      logs: threads,
      changes: [grown('DesiredCapacity 300 -> 420 to drain the sync backlog')],
    });
    expect(rc.mitigation?.kind).not.toBe('rollback');
  });

  it('without it, the thread limit is a defect of the service', async () => {
    const rc = await conclude({ services, metrics, logs: threads, changes: [] });
    expect(rc.category).toBe('code');
  });
});

describe('reading a capacity change', () => {
  it('tells additions from cuts', () => {
    expect(capacityDirection('DesiredCapacity 400 -> 480, MaxSize 420 -> 520')).toBe('up');
    expect(capacityDirection('DBInstanceClass db.r5.8xlarge -> db.r5.2xlarge')).toBe('down');
    expect(capacityDirection('instance type c5.large -> c5.xlarge')).toBe('up');
    expect(capacityDirection('downsize the cache cluster')).toBe('down');
    expect(capacityDirection('pre-holiday capacity add')).toBe('up');
    expect(capacityDirection('set the owner tag')).toBeUndefined();
  });

  it('weighs an old change down with its age', () => {
    expect(latentWeight(2 * HOUR)).toBeGreaterThan(0.95);
    expect(latentWeight(72 * HOUR)).toBeCloseTo(0.5, 5);
    expect(latentWeight(7 * 24 * HOUR)).toBeLessThan(0.25);
  });
});
