/**
 * Triage severity from measured impact: what a counted (not rated) impact lets the alert's own word
 * do, and which records and lines put data at risk.
 */
import { describe, expect, it } from 'vitest';
import { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

type Env = Scenario['environment'];

/** `scenario` with the manual start's own severity word. */
function reported(service: string, env: Partial<Env>, severity?: string): Scenario {
  const s = scenario(service, env);
  const payload = s.alert.payload as Record<string, unknown>;
  return Scenario.parse({ ...s, alert: { ...s.alert, payload: { ...payload, severity } } });
}

const fiveXx = (base: number, after: number) => ({
  namespace: 'AWS/ApplicationELB',
  metricName: 'HTTPCode_Target_5XX_Count',
  service: 'shop',
  points: stepPoints(base, after, -10),
});
const requests = (n: number) => ({
  namespace: 'AWS/ApplicationELB',
  metricName: 'RequestCount',
  service: 'shop',
  points: stepPoints(n, n, -10),
});

describe('severity from a counted impact', () => {
  it("lets the reporter's one step worse stand when errors are only counted", async () => {
    const { triage } = await runScenario(
      reported('shop', { services: [api('shop')], metrics: [fiveXx(10, 9000)] }, 'SEV1'),
    );
    expect(triage.severity).toBe('SEV1');
    expect(triage.rationale).toMatch(/lower bound/);
  });

  it('keeps the measured level when a request count rates the errors', async () => {
    // 9000 of 200000 requests failing: 4.5 %, a rated minor-to-major impact, whatever the reporter said.
    const { triage } = await runScenario(
      reported('shop', { services: [api('shop')], metrics: [fiveXx(10, 9000), requests(200_000)] }, 'SEV1'),
    );
    expect(triage.severity).toBe('SEV2');
    expect(triage.rationale).not.toMatch(/lower bound/);
  });

  it('never lowers a counted impact on the reporter’s word', async () => {
    const { triage } = await runScenario(
      reported('shop', { services: [api('shop')], metrics: [fiveXx(10, 9000)] }, 'SEV3'),
    );
    expect(triage.severity).toBe('SEV2');
  });
});

describe('impact through a dependency', () => {
  const hosts = (after: number) => ({
    namespace: 'AWS/ApplicationELB',
    metricName: 'HealthyHostCount',
    service: 'resolver',
    points: stepPoints(12, after, -10, 0),
  });
  const env = (after: number): Partial<Env> => ({
    services: [api('shop', ['resolver']), api('resolver', [], { userFacing: false })],
    metrics: [fiveXx(10, 9000), hosts(after)],
  });

  it('is an outage when a dependency the failing service needs is down to a fifth of its hosts', async () => {
    // 12 healthy hosts → 2: a constant count whose fall a Poisson band of 12 would not even see.
    const { triage } = await runScenario(reported('shop', env(2)));
    expect(triage.severity).toBe('SEV1');
    expect(triage.impact?.level).toBe('outage');
    expect(triage.rationale).toMatch(/resolver: 83% of healthy capacity gone, shop failing/);
  });

  it('reads running tasks as capacity, though the name reads like a count of traffic', async () => {
    const tasks = { ...hosts(2), namespace: 'ECS/ContainerInsights', metricName: 'RunningTaskCount' };
    const { triage } = await runScenario(reported('shop', { ...env(2), metrics: [fiveXx(10, 9000), tasks] }));
    expect(triage.severity).toBe('SEV1');
    expect(triage.rationale).toMatch(/resolver: 83% of healthy capacity gone, shop failing/);
  });

  it('is not, when the dependency kept most of its capacity', async () => {
    const { triage } = await runScenario(reported('shop', env(9)));
    expect(triage.severity).toBe('SEV2');
    expect(triage.rationale).not.toMatch(/healthy capacity gone/);
  });
});

describe('data at risk', () => {
  it('reads a deletion from the event name, on a critical store off the alarming path', async () => {
    const env: Partial<Env> = {
      services: [
        api('router', ['registry']),
        { name: 'registry', tier: 'critical', owner: 't', userFacing: false },
        { name: 'cleanup-job', tier: 'internal', owner: 't', dependsOn: ['blobs'] },
        { name: 'blobs', tier: 'critical', owner: 't', userFacing: false },
      ],
      changes: [
        {
          timestamp: at(-20),
          eventName: 'DeleteObjects',
          service: 'blobs',
          resource: 'blobs-prod',
          summary: '4.2M objects deleted under 883 prefixes',
        },
      ],
    };
    const { triage } = await runScenario(reported('router', env));
    expect(triage.impact?.summary).toMatch(/blobs: DeleteObjects \(4\.2M objects deleted/);
    // Deleted is lost, not merely at risk: SEV1 with no severity word from anyone.
    expect(triage.severity).toBe('SEV1');
    expect(triage.rationale).toMatch(/data lost \(blobs: DeleteObjects/);
  });

  it('keeps storage exhausted and writes refused at SEV2: at risk, nothing gone yet', async () => {
    const { triage } = await runScenario(
      reported('web', {
        services: [api('web', ['db']), { name: 'db', tier: 'critical', owner: 't', userFacing: false }],
        changes: [
          {
            timestamp: at(-12),
            eventName: 'RDS-EVENT-0007',
            service: 'db',
            summary: 'Allocated storage has been exhausted',
          },
        ],
        logs: [
          {
            service: 'web',
            timestamp: at(-6),
            level: 'ERROR',
            message: 'ERROR: could not extend file "base/16385/24576": No space left on device',
            count: 120,
          },
        ],
      }),
    );
    expect(triage.impact?.summary).toMatch(/db: RDS-EVENT-0007/);
    expect(triage.severity).toBe('SEV2');
    expect(triage.rationale).not.toMatch(/data lost/);
  });

  it('does not take a description that merely begins with a delete verb for a deletion', async () => {
    const { triage } = await runScenario(
      reported('router', {
        services: [api('router')],
        changes: [
          {
            timestamp: at(-20),
            eventName: 'PutParameter',
            service: 'router',
            summary: 'DeleteTable retry off',
          },
        ],
      }),
    );
    expect(triage.impact?.summary ?? '').not.toMatch(/DeleteTable/);
  });

  it("counts a database's missing data files and a replica refusing writes", async () => {
    const env: Partial<Env> = {
      services: [
        api('web', ['db', 'cache']),
        { name: 'db', tier: 'critical', owner: 't' },
        { name: 'cache', tier: 'high', owner: 't' },
      ],
      logs: [
        {
          service: 'db',
          timestamp: at(-8),
          level: 'ERROR',
          message: 'ERROR:  could not open file "base/16385/2619": No such file or directory',
          count: 300,
        },
        {
          service: 'web',
          timestamp: at(-6),
          level: 'ERROR',
          message: "balance credit failed: READONLY You can't write against a read only replica.",
          count: 120,
        },
      ],
    };
    const { triage } = await runScenario(reported('web', env));
    expect(triage.impact?.summary).toMatch(/db: data files missing/);
    expect(triage.impact?.summary).toMatch(/web: writes refused/);
    expect(triage.severity).toBe('SEV1');
    expect(triage.rationale).toMatch(/data lost \(db: data files missing/);
  });
});

describe('data open to anyone', () => {
  const bucket = { name: 'backups', tier: 'standard' as const, owner: 't', userFacing: false };
  it('is a security compromise when security tooling says any account can read it: at least SEV2', async () => {
    const { triage } = await runScenario(
      reported('backups', {
        services: [bucket],
        securityEvents: [
          {
            timestamp: at(-30),
            kind: 'access-analyzer-finding',
            source: 'IAM Access Analyzer',
            count: 1,
            detail: 'backups-partial: access granted to all authenticated AWS principals via ACL',
          },
        ],
      }),
    );
    expect(triage.severity).toBe('SEV2');
    expect(triage.rationale).toMatch(/data readable from outside the account \(access-analyzer-finding\)/);
  });

  it('is not read into routine security noise', async () => {
    const { triage } = await runScenario(
      reported('backups', {
        services: [bucket],
        securityEvents: [
          {
            timestamp: at(-30),
            kind: 'failed-login',
            source: 'sso',
            count: 40,
            detail: 'routine failed logins',
          },
        ],
      }),
    );
    expect(triage.rationale).not.toMatch(/readable from outside/);
    expect(triage.severity).toBe('SEV3');
  });
});

describe('counted errors against their own background', () => {
  it('is an outage when the count is a thousand times its background and still there', async () => {
    // 10 a minute → 20000 a minute, no request count: ×2000, nearly every request fails.
    const { triage } = await runScenario(
      reported('shop', { services: [api('shop')], metrics: [fiveXx(10, 20_000)] }),
    );
    expect(triage.impact?.level).toBe('outage');
    expect(triage.severity).toBe('SEV1');
    expect(triage.rationale).toMatch(/HTTPCode_Target_5XX_Count ×\d{4} its own background/);
  });

  it('stays major at a hundredfold', async () => {
    const { triage } = await runScenario(
      reported('shop', { services: [api('shop')], metrics: [fiveXx(10, 2000)] }),
    );
    expect(triage.impact?.level).toBe('major');
    expect(triage.severity).toBe('SEV2');
  });

  it('gives way to a request count that rates the same errors', async () => {
    // 20000 of 400000 requests: 5 %, measured, whatever the jump over the background.
    const { triage } = await runScenario(
      reported('shop', { services: [api('shop')], metrics: [fiveXx(10, 20_000), requests(400_000)] }),
    );
    expect(triage.severity).toBe('SEV2');
    expect(triage.rationale).not.toMatch(/its own background/);
  });

  it('does not count a surge that is already over', async () => {
    const over = {
      ...fiveXx(10, 20_000),
      points: stepPoints(10, 20_000, -10).map(
        ([t, v], i, all) => [t, i >= all.length - 4 ? 10 : v] as [string, number],
      ),
    };
    const { triage } = await runScenario(reported('shop', { services: [api('shop')], metrics: [over] }));
    expect(triage.rationale).not.toMatch(/its own background/);
    expect(triage.severity).not.toBe('SEV1');
  });
});

describe('tier of the measured path', () => {
  const half = { ...fiveXx(2, 60), service: 'invoices' };
  const load = { ...requests(100), service: 'invoices' };
  const invoices = { name: 'invoices', tier: 'standard' as const, owner: 't', userFacing: true };

  it('keeps the outage of a standard-tier feature at SEV2', async () => {
    const { triage } = await runScenario(
      reported('invoices', { services: [invoices], metrics: [half, load] }),
    );
    expect(triage.impact?.level).toBe('outage');
    expect(triage.severity).toBe('SEV2');
    expect(triage.rationale).toMatch(/outage of a standard-tier path, not a critical one/);
  });

  it('is SEV1 when a critical caller of it fails too', async () => {
    const portal = { ...fiveXx(3, 400), service: 'portal' };
    const { triage } = await runScenario(
      reported('invoices', {
        services: [{ ...invoices, userFacing: false }, api('portal', ['invoices'])],
        metrics: [half, load, portal],
      }),
    );
    expect(triage.severity).toBe('SEV1');
    expect(triage.rationale).not.toMatch(/standard-tier path/);
  });

  it('is SEV1 on a critical service', async () => {
    const { triage } = await runScenario(
      reported('invoices', { services: [{ ...invoices, tier: 'critical' }], metrics: [half, load] }),
    );
    expect(triage.severity).toBe('SEV1');
  });
});

describe('a success count that fell', () => {
  const logins = (after: number) => ({
    namespace: 'Auth',
    metricName: 'LoginSuccess',
    unit: 'Count',
    service: 'shop',
    points: stepPoints(500, after, -10),
  });
  const shop = api('shop', [], { tier: 'high' });

  it('is lost traffic measured against its own level before', async () => {
    // 500 logins a minute → 150: 70 % of them gone (not "150 %" read as a percentage).
    const { triage } = await runScenario(reported('shop', { services: [shop], metrics: [logins(150)] }));
    expect(triage.rationale).toMatch(/shop: traffic down 70%/);
    expect(triage.severity).toBe('SEV2');
  });

  it('is an outage when it is gone', async () => {
    const { triage } = await runScenario(reported('shop', { services: [shop], metrics: [logins(3)] }));
    expect(triage.rationale).toMatch(/shop: traffic down 99%/);
    expect(triage.severity).toBe('SEV1');
  });

  it('is nothing when it held', async () => {
    const { triage } = await runScenario(reported('shop', { services: [shop], metrics: [logins(495)] }));
    expect(triage.rationale).not.toMatch(/traffic down/);
  });
});
