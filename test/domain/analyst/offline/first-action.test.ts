/**
 * How the first action follows from the winning hypothesis: a way around a failure that the
 * services name themselves, a defect no change brought in switched off rather than "rolled back",
 * and an autoscaler's reaction never mistaken for a change to undo. Each scenario is synthetic and
 * each test runs the same evidence with and without the one fact the rule reads.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { namedFallbacks } from '../../../../domain/analyst/offline/evidence/fallbacks.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const conclude = async (s: Scenario) => (await runScenario(s)).rootCause;

type Log = Scenario['environment']['logs'][number];

/** An inventory service whose calls to its managed key-value store fail, with an optional extra line. */
function storeDown(extra: Log[] = []): Scenario {
  return scenario('inventory-api', {
    services: [
      api('inventory-api', ['stock-table']),
      { name: 'stock-table', tier: 'critical', owner: 'team' },
    ],
    metrics: [
      {
        namespace: 'App',
        metricName: 'Errors',
        service: 'inventory-api',
        points: stepPoints(2, 900, -12, 1),
      },
      // The table's own series say what it is (a DynamoDB table); it reports nothing wrong.
      {
        namespace: 'AWS/DynamoDB',
        metricName: 'ConsumedReadCapacityUnits',
        service: 'stock-table',
        points: stepPoints(400, 400, -12, 10),
      },
    ],
    logs: [
      {
        service: 'inventory-api',
        timestamp: at(-12),
        level: 'ERROR',
        message:
          "Error: getaddrinfo ENOTFOUND dynamodb.eu-west-1.amazonaws.com { code: 'ENOTFOUND', hostname: 'dynamodb.eu-west-1.amazonaws.com' } (GetItem stock)",
        count: 52_000,
      },
      ...extra,
    ],
  });
}

const failoverFlag: Log = {
  service: 'inventory-api',
  timestamp: at(-50),
  level: 'INFO',
  message: 'started 12/12 tasks; flag inventory.store.failover-region=eu-central-1 available (off)',
  count: 1,
};

describe('the first action follows the winning hypothesis', () => {
  it('reads a flag a service logs as available, and whether it fails over', () => {
    const logs = [
      {
        id: 'log:a:1',
        service: 'a',
        level: 'INFO',
        signature: '',
        sample: 'routing: flag routes.mode=mesh (fallback=static available)',
        count: 1,
        firstSeen: at(-30),
        lastSeen: at(-30),
      },
      {
        id: 'log:b:1',
        service: 'b',
        level: 'INFO',
        signature: '',
        sample: 'flag orders.db.failover-region=us-west-2 available',
        count: 1,
        firstSeen: at(-30),
        lastSeen: at(-30),
      },
      {
        id: 'log:c:1',
        service: 'unknown-svc',
        level: 'INFO',
        signature: '',
        sample: 'flag x.y=1',
        count: 1,
        firstSeen: at(-30),
        lastSeen: at(-30),
      },
      {
        id: 'log:a:2',
        service: 'a',
        level: 'WARN',
        signature: '',
        sample: 'the red flag is that nobody answered',
        count: 1,
        firstSeen: at(-30),
        lastSeen: at(-30),
      },
    ];
    const found = namedFallbacks(logs, ['a', 'b']);
    expect(found.map((f) => [f.service, f.flag, f.failover, f.region ?? null])).toEqual([
      ['a', 'routes.mode', false, null],
      ['b', 'orders.db.failover-region', true, 'us-west-2'],
    ]);
  });

  it("calls a provider's own endpoint failing to resolve a dependency failure, and fails over by the logged flag", async () => {
    const without = await conclude(storeDown());
    const withFlag = await conclude(storeDown([failoverFlag]));
    for (const rc of [without, withFlag]) {
      expect(rc.category).toBe('dependency');
      expect(rc.culprit).toBe('stock-table');
    }
    // Nothing of ours restores a provider's endpoint: without a named way around it, no action.
    expect(without.mitigation).toBeNull();
    expect(withFlag.mitigation).toMatchObject({
      kind: 'failover',
      target: 'inventory-api',
      params: { region: 'eu-central-1' },
    });
  });

  it('turns a logged fallback flag on when the flag does not name another region', async () => {
    const rc = await conclude(
      storeDown([
        {
          ...failoverFlag,
          message: 'store client: flag inventory.store.mode=direct (fallback=cache available)',
        },
      ]),
    );
    expect(rc.mitigation).toMatchObject({ kind: 'feature-flag', target: 'inventory-api' });
  });

  it('switches off a defect no change brought in, and never rolls back an autoscaler reacting to it', async () => {
    const s = (withRescale: boolean) =>
      scenario('forum-web', {
        services: [api('forum-web')],
        metrics: [
          {
            namespace: 'AWS/ECS',
            metricName: 'CPUUtilization',
            service: 'forum-web',
            unit: 'Percent',
            points: stepPoints(30, 99, -10, 2),
          },
        ],
        logs: [
          {
            service: 'forum-web',
            timestamp: at(-10),
            level: 'ERROR',
            message:
              'System.Text.RegularExpressions.RegexMatchTimeoutException: The Regex engine has timed out while trying to match a pattern to an input string.',
            count: 9_000,
          },
        ],
        changes: withRescale
          ? [
              {
                timestamp: at(-9),
                source: 'kubernetes',
                eventName: 'HorizontalPodAutoscalerRescale',
                service: 'forum-web',
                resource: 'web/forum-web',
                actor: 'horizontal-pod-autoscaler',
                summary: 'replicas 10 -> 20 (CPU above target)',
              },
            ]
          : [],
      });
    for (const withRescale of [false, true]) {
      const rc = await conclude(s(withRescale));
      expect(rc.category).toBe('code');
      expect(rc.mitigation).toMatchObject({ kind: 'feature-flag', target: 'forum-web' });
    }
  });
});

describe('causes read in their own words', () => {
  /** A wallet API writing to its cache cluster, which answers READONLY well before its CPU climbs. */
  const readOnlyCache = scenario('wallet-api', {
    services: [
      api('wallet-api', ['wallet-cache']),
      { name: 'wallet-cache', tier: 'critical', owner: 'payments' },
    ],
    metrics: [
      {
        namespace: 'AWS/ElastiCache',
        metricName: 'EngineCPUUtilization',
        service: 'wallet-cache',
        unit: 'Percent',
        points: stepPoints(20, 99, -6, 2),
      },
      {
        namespace: 'App',
        metricName: 'Errors',
        service: 'wallet-api',
        points: stepPoints(1, 400, -6, 0.5),
      },
    ],
    logs: [
      {
        service: 'wallet-api',
        timestamp: at(-25),
        level: 'ERROR',
        message: "ReplyError: READONLY You can't write against a read only replica.",
        count: 30_000,
      },
    ],
  });

  it('takes an explicit error that began before the symptoms as their cause, and a cache we run as a database', async () => {
    const rc = await conclude(readOnlyCache);
    expect(rc.category).toBe('database');
    expect(rc.culprit).toBe('wallet-cache');
    expect(rc.signatures).toContain('redis-readonly-replica');
    expect(rc.mitigation?.kind).not.toBe('scale');
  });

  it('never rolls back a capacity change to cure a defect in code', async () => {
    const s = scenario('resolver', {
      services: [api('resolver')],
      metrics: [
        { namespace: 'App', metricName: 'Errors', service: 'resolver', points: stepPoints(1, 700, -5, 0.5) },
      ],
      logs: [
        {
          service: 'resolver',
          timestamp: at(-5),
          level: 'ERROR',
          message:
            'http: panic serving 10.0.0.7:52814: runtime error: invalid memory address or nil pointer dereference',
          count: 80_000,
        },
      ],
      changes: [
        {
          timestamp: at(-40),
          source: 'cloudtrail',
          eventName: 'SetDesiredCapacity',
          service: 'resolver',
          resource: 'resolver-asg',
          actor: 'ops',
          summary: 'desired capacity 6 -> 8',
        },
      ],
    });
    const rc = await conclude(s);
    expect(rc.category).toBe('code');
    expect(rc.signatures).toContain('go-handler-panic');
    expect(rc.mitigation).toMatchObject({ kind: 'restart', target: 'resolver' });
  });
});

describe('changes nothing can undo', () => {
  const wiped = (sessionAt: number) =>
    scenario('notes-web', {
      services: [api('notes-web', ['notes-db']), { name: 'notes-db', tier: 'critical', owner: 'dba' }],
      metrics: [
        { namespace: 'App', metricName: 'Errors', service: 'notes-web', points: stepPoints(1, 600, -6, 0.5) },
      ],
      logs: [
        {
          service: 'notes-db',
          timestamp: at(-6),
          level: 'ERROR',
          message: 'ERROR:  could not open file "base/16400/1259": No such file or directory',
          count: 20_000,
        },
      ],
      changes: [
        {
          timestamp: at(sessionAt),
          source: 'cloudtrail',
          eventName: 'StartSession',
          service: 'notes-db',
          resource: 'i-0123456789abcdef0 (notes-db)',
          actor: 'dba-1',
          summary: 'SSM Session Manager session to notes-db',
        },
        {
          timestamp: at(-30),
          source: 'config-mgmt',
          eventName: 'UpdateConfig',
          service: 'notes-db',
          resource: 'notes-db postgresql.conf',
          actor: 'dba-1',
          summary: 'max_connections 500 -> 100; restart failed, values reverted 5 min later',
        },
      ],
    });

  it('proposes nothing when the data files are gone, whatever session or reverted change came before', async () => {
    const rc = await conclude(wiped(-7));
    expect(rc.category).toBe('database');
    expect(`${rc.culprit} ${rc.summary}`).toContain('notes-db');
    expect(rc.signatures).toContain('pg-data-files-missing');
    expect(rc.mitigation).toBeNull();
  });
});

describe('an expired certificate', () => {
  it('is replaced on the service we run that presents it, not rolled back', async () => {
    const rc = await conclude(
      scenario('orders-api', {
        services: [
          api('orders-api', ['token-svc']),
          { name: 'token-svc', tier: 'critical', owner: 'identity' },
        ],
        metrics: [
          {
            namespace: 'App',
            metricName: 'Errors',
            service: 'orders-api',
            points: stepPoints(1, 500, -4, 0.5),
          },
        ],
        logs: [
          {
            service: 'orders-api',
            timestamp: at(-4),
            level: 'ERROR',
            message:
              'call token-svc failed: x509: certificate has expired or is not yet valid: current time 2026-05-01T11:56:02Z is after 2026-05-01T11:56:00Z',
            count: 40_000,
          },
        ],
      }),
    );
    expect(rc.category).toBe('configuration');
    expect(rc.signatures).toContain('tls-certificate-expired');
    expect(rc.mitigation).toMatchObject({ kind: 'rotate-credentials', target: rc.culprit });
    expect(['orders-api', 'token-svc']).toContain(rc.culprit);
  });
});
