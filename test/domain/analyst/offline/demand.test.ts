/**
 * A database that ran out just as requests at the front multiplied ran out because of them: the
 * edge calling the traffic automated makes it an attack to block where it arrives; a series keyed
 * by one tenant makes it that tenant's load to limit; growth from everyone arriving at the front
 * before it ran out leaves it short of capacity, scaled. Requests that multiplied only after it ran
 * out (callers retrying), or a bot signal with no surge behind it, leave its own story standing.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

type Env = Scenario['environment'];

function env(opts: {
  surge: boolean;
  keyed?: boolean;
  bots?: boolean;
  blocked?: boolean;
  /** A user agent whose access-log line began with the surge and carries most of it. */
  agent?: string;
  /** Minute the requests multiply (default -20, before the database runs out at -18). */
  surgeAt?: number;
}): Partial<Env> {
  const requests = opts.surge ? stepPoints(400, 9000, opts.surgeAt ?? -20) : stepPoints(400, 410, -20);
  return {
    services: [
      api('storefront', ['orders-db']),
      { name: 'orders-db', tier: 'critical' as const, owner: 'data' },
      { name: 'reports', tier: 'standard' as const, owner: 'data', dependsOn: ['orders-db'] },
    ],
    metrics: [
      ...(opts.blocked
        ? [
            {
              namespace: 'AWS/WAFV2',
              metricName: 'BlockedRequests',
              service: 'storefront',
              dimensions: { WebACL: 'edge-acl', Rule: 'ALL' },
              points: stepPoints(0, 9000, -20, 0),
            },
          ]
        : []),
      {
        namespace: 'AWS/ApplicationELB',
        metricName: 'RequestCount',
        service: 'storefront',
        dimensions: opts.keyed ? { TenantId: 't-4471' } : { LoadBalancer: 'app/storefront/1f2e3d' },
        points: requests,
      },
      {
        namespace: 'AWS/RDS',
        metricName: 'DatabaseConnections',
        service: 'orders-db',
        dimensions: { DBInstanceIdentifier: 'orders-db' },
        points: stepPoints(40, 500, -18, 2),
      },
      {
        namespace: 'AWS/ApplicationELB',
        metricName: 'HTTPCode_Target_5XX_Count',
        service: 'storefront',
        points: stepPoints(2, 2400, -16, 1),
      },
    ],
    logs: [
      ...(opts.agent
        ? [
            {
              service: 'storefront',
              timestamp: at(opts.surgeAt ?? -20),
              level: 'INFO',
              count: 6000,
              message: `57.141.18.44 - - "GET /wallet/rHb9CJAW HTTP/1.1" 200 81233 "-" "${opts.agent}" 18.4s`,
            },
          ]
        : []),
      {
        service: 'storefront',
        timestamp: at(-16),
        level: 'ERROR',
        count: 18_000,
        message:
          'sqlalchemy.exc.TimeoutError: QueuePool limit of size 20 overflow 10 reached, connection timed out',
      },
      {
        service: 'orders-db',
        timestamp: at(-17),
        level: 'ERROR',
        count: 900,
        message: 'FATAL:  sorry, too many clients already',
      },
    ],
    securityEvents: opts.bots
      ? [
          {
            timestamp: at(-19),
            kind: 'waf-count',
            source: 'edge-acl',
            count: 150_000,
            detail:
              'AWSManagedRulesBotControlRuleSet (COUNT mode): signal:automated_browser on 88% of POST /checkout',
          },
        ]
      : [],
  };
}

describe('demand', () => {
  it('blames automated traffic arriving at the front door for the database running out', async () => {
    const run = await runScenario(scenario('storefront', env({ surge: true, bots: true })));
    expect(run.rootCause.category).toBe('security');
    expect(run.rootCause.culprit).toBe('storefront');
    expect(run.rootCause.mitigation?.kind).toBe('block-traffic');
    expect(run.rootCause.summary).toContain('automated_browser');
  });

  it('calls a surge machine-made when a per-source rate rule blocks tens of sources, and names the request it repeats', async () => {
    const rate = (blockedSources: number): Partial<Env> => ({
      ...env({ surge: true }),
      securityEvents: [
        {
          timestamp: at(-19),
          kind: 'waf-block',
          source: 'edge-acl per-ip-rate-2000',
          count: blockedSources,
          detail: `rate-based rule blocked ${blockedSources} source IPs (each >2000 req/5min)`,
        },
        {
          timestamp: at(-18),
          kind: 'waf-sampled-requests',
          source: 'edge-acl (Default_Action ALLOW)',
          count: 100,
          detail: 'sample of 100 allowed requests: 91 x GET /cart?store=4711892, 9 x other stores',
        },
      ],
    });
    const many = await runScenario(scenario('storefront', rate(212)));
    expect(many.rootCause.category).toBe('security');
    expect(many.rootCause.mitigation?.kind).toBe('block-traffic');
    expect(many.rootCause.summary).toContain('aimed at GET /cart?store=4711892');
    // A rate rule catching a few noisy clients says nothing about where a crowd came from.
    const few = await runScenario(scenario('storefront', rate(3)));
    expect(few.rootCause.category).toBe('capacity');
    expect(few.rootCause.mitigation?.kind).toBe('scale');
  });

  it('calls a surge that empties the CDN cache a flood (every request new), and one that fills it a crowd', async () => {
    const withCache = (after: number): Partial<Env> => {
      const base = env({ surge: true });
      return {
        ...base,
        metrics: [
          ...base.metrics!,
          {
            namespace: 'AWS/CloudFront',
            metricName: 'CacheHitRate',
            service: 'storefront',
            dimensions: { DistributionId: 'E3ZLR0K7Q2M8TS', Region: 'Global' },
            points: stepPoints(88, after, -20, 1),
          },
        ],
      };
    };
    const busted = await runScenario(scenario('storefront', withCache(8)));
    expect(busted.rootCause.category).toBe('security');
    expect(busted.rootCause.mitigation?.kind).toBe('block-traffic');
    expect(busted.rootCause.summary).toContain('cache hit rate fell from');
    const crowd = await runScenario(scenario('storefront', withCache(95)));
    expect(crowd.rootCause.category).toBe('capacity');
    expect(crowd.rootCause.mitigation?.kind).toBe('scale');
  });

  it('limits one tenant whose requests multiplied, rather than scaling what they exhausted', async () => {
    const run = await runScenario(scenario('storefront', env({ surge: true, keyed: true })));
    expect(run.rootCause.category).toBe('capacity');
    expect(run.rootCause.culprit).toBe('orders-db');
    expect(run.rootCause.mitigation?.kind).toBe('block-traffic');
    expect(run.rootCause.mitigation?.target).toBe('storefront');
    expect(run.rootCause.summary).toContain('TenantId t-4471');
  });

  it("reads a shop's requests by store as one client's, named with the series' other dimensions", async () => {
    const base = env({ surge: true, keyed: true });
    const byStore = {
      ...base,
      metrics: base.metrics!.map((m) =>
        m.metricName === 'RequestCount'
          ? { ...m, dimensions: { store_id: '18842', host: 'kicksdrop.example' } }
          : m,
      ),
    };
    const run = await runScenario(scenario('storefront', byStore));
    expect(run.rootCause.mitigation?.kind).toBe('block-traffic');
    expect(run.rootCause.summary).toContain('store_id 18842 (host kicksdrop.example)');
  });

  it('limits a crawler whose requests make up the surge in the access log, rather than scaling', async () => {
    const agent = 'meta-externalagent/1.1 (+https://developers.facebook.com/docs/sharing/webmasters/crawler)';
    const run = await runScenario(scenario('storefront', env({ surge: true, agent })));
    expect(run.rootCause.category).toBe('capacity');
    expect(run.rootCause.mitigation?.kind).toBe('block-traffic');
    expect(run.rootCause.mitigation?.target).toBe('storefront');
    expect(run.rootCause.summary).toContain('user agent meta-externalagent');
  });

  it('scales when the surge in the access log comes from ordinary browsers', async () => {
    const agent = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15';
    const run = await runScenario(scenario('storefront', env({ surge: true, agent })));
    expect(run.rootCause.mitigation?.kind).toBe('scale');
  });

  it('calls a database that ran out as everyone’s requests multiplied short of capacity, and scales it', async () => {
    const run = await runScenario(scenario('storefront', env({ surge: true })));
    expect(run.rootCause.category).toBe('capacity');
    expect(run.rootCause.culprit).toBe('orders-db');
    expect(run.rootCause.mitigation?.kind).toBe('scale');
    expect(run.rootCause.summary).toContain('traffic surge');
  });

  it('keeps the database story when the requests multiplied only after it ran out (callers retrying)', async () => {
    const run = await runScenario(scenario('storefront', env({ surge: true, surgeAt: -17 })));
    expect(run.rootCause.culprit).toBe('orders-db');
    expect(run.rootCause.summary).not.toContain('traffic surge');
  });

  it('does not call a database outage an attack because bots were seen and blocked without a surge', async () => {
    // Requests the WAF turned away never reached the database.
    const run = await runScenario(scenario('storefront', env({ surge: false, bots: true, blocked: true })));
    expect(run.rootCause.culprit).toBe('orders-db');
    expect(run.rootCause.category).not.toBe('security');
  });

  it('finds a flood that began before the window opened on the longer look-back', async () => {
    // Requests at 400/min until 100 minutes before the alert, then 9000/min: inside the
    // hour-long window the flood is the baseline; only the day's view shows it began.
    const minutes = (from: number) => Array.from({ length: -from }, (_, i) => from + i);
    const flood = (history: boolean): Partial<Env> => {
      const base = env({ surge: true, bots: true });
      const from = history ? -150 : -60;
      const requests = minutes(from).map(
        (m) => [at(m), m < -100 ? 400 + (m % 7) : 9000 + (m % 11) * 20] as [string, number],
      );
      return {
        ...base,
        metrics: [{ ...base.metrics![0], points: requests }, ...base.metrics!.slice(1)],
        securityEvents: [{ ...base.securityEvents![0], timestamp: at(-99) }],
      };
    };
    const seen = await runScenario(scenario('storefront', flood(true)));
    expect(seen.rootCause.category).toBe('security');
    expect(seen.rootCause.summary).toContain('rose');
    const unseen = await runScenario(scenario('storefront', flood(false)));
    expect(unseen.rootCause.category).not.toBe('security');
  });
});
