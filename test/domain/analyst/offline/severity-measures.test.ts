/**
 * Severity a responder would call that the error and traffic series alone do not show: a front door
 * with no capacity left, stored data that vanished, a threat finding on the incident's own path, a
 * person's own report. Each rule has a case that raises severity and one beside it that must not.
 */
import { describe, expect, it } from 'vitest';
import { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { analyze } from '../../../../domain/analyst/offline/analysis.js';
import { gather } from '../../../../domain/analyst/offline/evidence/gather.js';
import { triage as triageOf } from '../../../../domain/analyst/offline/triage.js';
import { alertmanagerScenario, api, at, scenario, stepPoints } from './fixtures.js';
import { contextFor, runScenario } from './harness.js';

type Env = Scenario['environment'];

/** `scenario` with the manual start's own severity word. */
function reported(service: string, env: Partial<Env>, severity?: string): Scenario {
  const s = scenario(service, env);
  const payload = s.alert.payload as Record<string, unknown>;
  return Scenario.parse({ ...s, alert: { ...s.alert, payload: { ...payload, severity } } });
}

/**
 * Triage on the evidence alone, with no root-cause candidate leading: a security finding usually
 * also leads the ranking to a breach, which would hide whether triage's own measure saw it.
 */
async function triageAlone(s: Scenario) {
  const { env, ctx } = contextFor(s);
  return triageOf(analyze(await gather(env, ctx)), undefined);
}

/** Healthy hosts flat at `n` through the whole window: an outage older than the window looks flat. */
const hosts = (service: string, n: number) => ({
  namespace: 'AWS/NetworkELB',
  metricName: 'HealthyHostCount',
  service,
  points: stepPoints(n, n, -10, 0),
});

describe('no capacity left in service', () => {
  it('is an outage when a critical front door has no healthy host, even flat at zero all window', async () => {
    const { triage } = await runScenario(
      reported('vault', { services: [api('vault')], metrics: [hosts('vault', 0)] }),
    );
    expect(triage.impact?.level).toBe('outage');
    expect(triage.severity).toBe('SEV1');
    expect(triage.rationale).toMatch(/vault: no healthy capacity/);
  });

  it('is nothing while hosts are in service', async () => {
    const { triage } = await runScenario(
      reported('vault', { services: [api('vault')], metrics: [hosts('vault', 2)] }),
    );
    expect(triage.rationale).not.toMatch(/no healthy capacity/);
    expect(triage.severity).toBe('SEV3');
  });

  it('does not read an internal fleet at zero (a batch between runs) as an outage', async () => {
    const batch = { name: 'nightly', tier: 'internal' as const, owner: 't', userFacing: false };
    const { triage } = await runScenario(
      reported('nightly', { services: [batch], metrics: [hosts('nightly', 0)] }),
    );
    expect(triage.rationale).not.toMatch(/no healthy capacity/);
    expect(triage.impact?.level).not.toBe('outage');
  });
});

describe('stored data that vanished', () => {
  const db = { name: 'db', tier: 'critical' as const, owner: 't', userFacing: false };
  /** A store's live row count: `after` from ten minutes before the alert. */
  const rows = (after: number) => ({
    namespace: 'Postgres',
    metricName: 'pg_stat_user_tables_n_live_tup',
    unit: 'Count',
    service: 'db',
    points: stepPoints(391_000_000, after, -10, 0),
  });
  const env = (after: number): Partial<Env> => ({
    services: [api('web', ['db'], { tier: 'high' }), db],
    metrics: [rows(after)],
  });

  it('is data lost when the rows of a store on the path fall to a tenth or less: SEV1', async () => {
    const { triage } = await runScenario(reported('web', env(40_000)));
    expect(triage.severity).toBe('SEV1');
    expect(triage.rationale).toMatch(/data lost \(db: pg_stat_user_tables_n_live_tup down 100%/);
  });

  it('is at risk, not lost, when half of them went', async () => {
    const { triage } = await runScenario(reported('web', env(180_000_000)));
    expect(triage.severity).toBe('SEV2');
    expect(triage.rationale).toMatch(/data at risk \(db: pg_stat_user_tables_n_live_tup down 54%/);
    expect(triage.rationale).not.toMatch(/data lost/);
  });

  it('is nothing when the rows held', async () => {
    const { triage } = await runScenario(reported('web', env(390_000_000)));
    expect(triage.rationale).not.toMatch(/data (lost|at risk)/);
  });

  it('does not read a cache emptied of its items as data lost', async () => {
    const cache = { ...rows(1000), metricName: 'CurrItems', namespace: 'AWS/ElastiCache' };
    const { triage } = await runScenario(reported('web', { ...env(0), metrics: [cache] }));
    expect(triage.rationale).not.toMatch(/data (lost|at risk)/);
  });
});

describe('a threat finding on the incident’s path', () => {
  const env = (detail: string): Partial<Env> => ({
    services: [
      api('downloads', ['artifacts'], { tier: 'standard' }),
      { name: 'artifacts', tier: 'standard', owner: 't' },
    ],
    metrics: [
      { namespace: 'CDN', metricName: 'Requests', service: 'downloads', points: stepPoints(900, 900, -10) },
    ],
    securityEvents: [
      { timestamp: at(-30), kind: 'guardduty-finding', source: 'guardduty', count: 1, detail },
    ],
  });

  it('is a security compromise when someone writes to a store the service serves from: at least SEV2', async () => {
    const triage = await triageAlone(
      reported(
        'downloads',
        env(
          'Impact:S3/AnomalousBehavior.Write (severity 2.0, LOW): IAM user ci invoked PutObject on artifacts',
        ),
      ),
    );
    expect(triage.severity).toBe('SEV2');
    expect(triage.rationale).toMatch(
      /security compromise \(threat finding Impact:S3\/AnomalousBehavior\.Write on artifacts/,
    );
  });

  it('is not, when the finding is about a resource off the path', async () => {
    const triage = await triageAlone(
      reported(
        'downloads',
        env('Exfiltration:S3/AnomalousBehavior (severity 8.0): GetObject volume on partner-exports'),
      ),
    );
    expect(triage.rationale).not.toMatch(/security compromise/);
    expect(triage.severity).toBe('SEV3');
  });

  it('is not, when the detail only reads like a finding type', async () => {
    const triage = await triageAlone(
      reported('downloads', env('Impact: artifacts downloads slow for some users')),
    );
    expect(triage.rationale).not.toMatch(/security compromise/);
    expect(triage.severity).toBe('SEV3');
  });

  it('is not, for reconnaissance', async () => {
    const triage = await triageAlone(
      reported('downloads', env('Recon:EC2/PortProbeUnprotectedPort: port 443 of artifacts probed')),
    );
    expect(triage.rationale).not.toMatch(/security compromise/);
    expect(triage.severity).toBe('SEV3');
  });
});

describe('a person’s report with its own severity word', () => {
  const quiet = {
    namespace: 'CDN',
    metricName: 'Requests',
    service: 'downloads',
    points: stepPoints(900, 900, -10),
  };
  const env: Partial<Env> = { services: [api('downloads')], metrics: [quiet] };

  it('stands when the telemetry measures nothing: what they saw may not be in it', async () => {
    const { triage } = await runScenario(reported('downloads', env, 'SEV2'));
    expect(triage.severity).toBe('SEV2');
    expect(triage.rationale).toMatch(/reported by hand as SEV2; nothing measured contradicts it/);
  });

  it('does not stand against a recovery or a healthy verdict the evidence shows', async () => {
    // 5xx jumped a hundredfold for a quarter of an hour and has been back at its background since.
    const spike = {
      namespace: 'AWS/ApplicationELB',
      metricName: 'HTTPCode_Target_5XX_Count',
      service: 'downloads',
      points: stepPoints(10, 1000, -40).map(([t, v], i) => [t, i >= 35 ? 10 : v] as [string, number]),
    };
    const { triage } = await runScenario(reported('downloads', { ...env, metrics: [quiet, spike] }, 'SEV2'));
    expect(triage.rationale).toMatch(/no user impact|already recovered/);
    expect(triage.rationale).not.toMatch(/reported by hand/);
    expect(triage.severity).toBe('SEV4');
  });

  it('is not taken from an alarm’s word when its metric measures nothing', async () => {
    const s = alertmanagerScenario('downloads', 'DownloadsRequests', env);
    const { triage } = await runScenario(s);
    expect(triage.rationale).not.toMatch(/reported by hand/);
  });
});

describe('a process killed on a front door', () => {
  const kill = (service: string) => ({
    service,
    timestamp: at(-5),
    level: 'ERROR',
    message: 'kernel: Out of memory: Killed process 2417 (vaultd) total-vm:15923412kB, anon-rss:14311208kB',
    count: 3,
  });
  const quiet = (service: string) => ({
    namespace: 'App',
    metricName: 'Requests',
    service,
    points: stepPoints(900, 900, -10),
  });

  it('is at least SEV2 when the kernel killed the process of a critical, user-facing service', async () => {
    const triage = await triageAlone(
      reported('vault', { services: [api('vault')], metrics: [quiet('vault')], logs: [kill('vault')] }),
    );
    expect(triage.severity).toBe('SEV2');
    expect(triage.rationale).toMatch(/front door lost its process \(vault: process killed/);
  });

  it('is not, on a worker that is no front door', async () => {
    const worker = { name: 'thumbs', tier: 'standard' as const, owner: 't', userFacing: false };
    const triage = await triageAlone(
      reported('thumbs', { services: [worker], metrics: [quiet('thumbs')], logs: [kill('thumbs')] }),
    );
    expect(triage.rationale).not.toMatch(/lost its process/);
    expect(triage.severity).toBe('SEV3');
  });

  it('is not, when an application only writes the words in its own message', async () => {
    const said = { ...kill('vault'), message: 'job 77 failed: worker said "process killed" on retry' };
    const triage = await triageAlone(
      reported('vault', { services: [api('vault')], metrics: [quiet('vault')], logs: [said] }),
    );
    expect(triage.rationale).not.toMatch(/lost its process/);
  });
});
