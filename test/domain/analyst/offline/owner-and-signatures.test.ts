/**
 * Category by owner, not by symptom, and signatures whose culprit is the thing the evidence names:
 * a provider's reported trouble that our series confirm is confined to its scope (a zone, a point
 * of presence) is that provider's and is routed around; a line naming an external provider is that
 * provider failing; a release's act logged by the datastore it ran against is the release's; a
 * signature with no alarming service the catalog knows is not penalised for an unknown place.
 * Each rule with its negative, on small synthetic evidence.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

type Env = Partial<Scenario['environment']>;

const conclude = async (service: string, e: Env) => (await runScenario(scenario(service, e))).rootCause;

const zoneLatency = (zone: string, breaks: boolean) => ({
  namespace: 'AWS/ApplicationELB',
  metricName: 'TargetResponseTime',
  service: 'storefront',
  dimensions: { LoadBalancer: 'app/storefront/1f2e3d', AvailabilityZone: zone },
  points: stepPoints(0.08, breaks ? 6.5 : 0.08, -12, 0.004),
});

/** An AWS Health notice for one zone, a release everywhere just before, and latency per zone. */
const zoneEnv = (confined: boolean): Env => ({
  services: [api('storefront', ['cart'])],
  metrics: [
    zoneLatency('eu-west-1a', !confined),
    zoneLatency('eu-west-1b', true),
    zoneLatency('eu-west-1c', false),
  ],
  logs: [
    {
      service: 'storefront',
      timestamp: at(-11),
      level: 'ERROR',
      count: 3_000,
      message: 'upstream request timeout after 5000ms (cart)',
    },
  ],
  deployments: [
    {
      service: 'storefront',
      version: 'web-812',
      previousVersion: 'web-811',
      startedAt: at(-16),
      completedAt: at(-14),
      status: 'succeeded',
      description: 'copy changes on the basket page',
    },
  ],
  changes: [
    {
      timestamp: at(-20),
      source: 'aws.health',
      eventName: 'AWS_EC2_OPERATIONAL_ISSUE',
      service: 'ec2',
      resource: 'eu-west-1b',
      actor: 'AWS',
      summary: 'We are investigating connectivity issues for some instances in a single Availability Zone.',
    },
  ],
});

describe('a provider impaired in one zone', () => {
  it('is the cause when our series broke only in that zone; traffic is routed away from it', async () => {
    const rc = await conclude('storefront', zoneEnv(true));
    expect(rc.category).toBe('dependency');
    expect(rc.culprit).toBe('ec2');
    expect(rc.causalChain.join(' ')).toContain('confined to eu-west-1b');
    expect(rc.mitigation).toMatchObject({
      kind: 'failover',
      target: 'storefront',
      params: { from: 'eu-west-1b' },
    });
    expect(JSON.stringify(rc.ruledOut ?? [])).toContain('applied everywhere');
  });

  it('is not tied to the incident when the same metric broke in other zones too', async () => {
    const rc = await conclude('storefront', zoneEnv(false));
    expect(rc.causalChain.join(' ')).not.toContain('confined to');
    expect(rc.mitigation?.params?.from).toBeUndefined();
    expect(JSON.stringify(rc.ruledOut ?? [])).not.toContain('applied everywhere');
  });
});

const dnsEnv = (namesProvider: boolean): Env => ({
  services: [
    api('edge-dns', ['edgeguard-ddos']),
    { name: 'edgeguard-ddos', tier: 'critical', owner: 'external (EdgeGuard)', userFacing: false },
  ],
  metrics: [
    {
      namespace: 'CloudWatchSynthetics',
      metricName: 'SuccessPercent',
      service: 'edge-dns',
      dimensions: { CanaryName: 'resolve-apex' },
      points: stepPoints(100, 0, -9, 0),
    },
  ],
  logs: [
    {
      service: 'edge-dns',
      timestamp: at(-9),
      level: 'ERROR',
      count: 40,
      message: namesProvider
        ? 'canary resolve-apex: dig @ns1.example.net www.example.com A -> status: SERVFAIL (edgeguard anycast)'
        : 'canary resolve-apex: dig @ns1.example.net www.example.com A -> status: SERVFAIL',
    },
  ],
});

describe('a DNS failure whose line names an external provider', () => {
  it('is that provider failing (dependency), not our network', async () => {
    const rc = await conclude('edge-dns', dnsEnv(true));
    expect(rc.category).toBe('dependency');
    expect(rc.culprit).toBe('edgeguard-ddos');
  });

  it('stays a network failure when no provider is named', async () => {
    const rc = await conclude('edge-dns', dnsEnv(false));
    expect(rc.category).toBe('network');
    expect(rc.culprit).not.toBe('edgeguard-ddos');
  });
});

const truncateEnv = (migrationUsesDb: boolean): Env => ({
  services: [
    api('digest-worker', ['ledger-db']),
    { name: 'ledger-db', tier: 'critical' },
    { name: 'schema-runner', tier: 'internal', dependsOn: migrationUsesDb ? ['ledger-db'] : [] },
  ],
  metrics: [
    {
      namespace: 'Custom/Worker',
      metricName: 'JobFailures',
      service: 'digest-worker',
      points: stepPoints(1, 300, -8, 0.5),
    },
  ],
  deployments: [
    {
      service: 'schema-runner',
      version: '20260501113000_reset_staging_tables',
      previousVersion: '20260430090000_add_columns',
      startedAt: at(-25),
      completedAt: at(-10),
      status: 'succeeded',
    },
  ],
  logs: [
    {
      service: 'ledger-db',
      timestamp: at(-11),
      level: 'NOTICE',
      count: 4,
      message: 'NOTICE:  truncate cascades to table "ledger_entries"',
    },
    {
      service: 'digest-worker',
      timestamp: at(-8),
      level: 'ERROR',
      count: 900,
      message: "digest failed: TypeError: Cannot read properties of null (reading 'amount')",
    },
  ],
});

describe("a release's act logged by the datastore it ran against", () => {
  it('is that release: a deployment, rolled back', async () => {
    const rc = await conclude('digest-worker', truncateEnv(true));
    expect(rc.category).toBe('deployment');
    expect(rc.culprit).toContain('schema-runner');
    expect(rc.mitigation).toMatchObject({ kind: 'rollback', target: 'schema-runner' });
  });

  it('is not pinned on a release that does not use that datastore', async () => {
    const rc = await conclude('digest-worker', truncateEnv(false));
    expect(rc.mitigation?.target).not.toBe('schema-runner');
    expect(rc.culprit).not.toContain('schema-runner');
  });
});

/** A release of a service sharing `orders-db` (or not) renames a column; its neighbour's queries fail. */
const renameEnv = (shares: boolean): Env => ({
  services: [
    api('player-api', ['orders-db']),
    api('admin-web', shares ? ['orders-db'] : ['admin-cache']),
    { name: 'orders-db', tier: 'critical' },
    { name: 'admin-cache', tier: 'standard' },
  ],
  metrics: [
    {
      namespace: 'AWS/ApplicationELB',
      metricName: 'HTTPCode_Target_5XX_Count',
      service: 'player-api',
      points: stepPoints(1, 2_800, -9, 1),
    },
  ],
  logs: [
    {
      service: 'admin-web',
      timestamp: at(-10),
      level: 'INFO',
      message: '-- rename_column(:videos, :storage_path, :asset_key)',
    },
    {
      service: 'player-api',
      timestamp: at(-9),
      level: 'ERROR',
      count: 90_000,
      message: "manifest lookup failed: Error 1054 (42S22): Unknown column 'v.storage_path' in 'field list'",
    },
  ],
  deployments: [
    {
      service: 'admin-web',
      version: 'main@8f3c2a1',
      previousVersion: 'release-41@41d0e7b',
      startedAt: at(-14),
      completedAt: at(-8),
      status: 'succeeded',
      description: 'pipeline admin-web-prod',
    },
  ],
});

describe('a schema error quoted by a service that released nothing', () => {
  it('is the release of a neighbour that shares its database, rolled back', async () => {
    const rc = await conclude('player-api', renameEnv(true));
    expect(rc.category).toBe('deployment');
    expect(rc.culprit).toContain('admin-web');
    expect(rc.mitigation).toMatchObject({ kind: 'rollback', target: 'admin-web' });
  });

  it('is not pinned on a release that shares nothing with it', async () => {
    const rc = await conclude('player-api', renameEnv(false));
    expect(rc.culprit).not.toContain('admin-web');
    expect(rc.mitigation?.target).not.toBe('admin-web');
  });
});

const heapEnv = (alertService: string): Env => ({
  services: [api('ledger-ui', ['ledger-api']), api('ledger-api'), api('billing')],
  logs: [
    {
      service: 'ledger-ui',
      timestamp: at(-6),
      level: 'ERROR',
      count: 300,
      message: 'Exception in thread "http-nio-8080-exec-4" java.lang.OutOfMemoryError: Java heap space',
    },
  ],
  metrics: [
    {
      namespace: 'Custom/JVM',
      metricName: 'gc_pause_seconds',
      service: alertService,
      points: stepPoints(0.2, 0.2, -6, 0.02),
    },
  ],
});

describe('a heap that fills until the JVM fails', () => {
  it('is a code defect restarted now, and an alert naming no catalog service does not weaken it', async () => {
    const rc = await conclude('ledger-ui external checks', heapEnv('ledger-ui'));
    expect(rc.category).toBe('code');
    expect(rc.culprit).toBe('ledger-ui');
    expect(rc.mitigation).toMatchObject({ kind: 'restart', target: 'ledger-ui' });
  });

  it('is placed as unrelated when the alert names a catalog service it does not touch', async () => {
    const unknown = await conclude('ledger-ui external checks', heapEnv('ledger-ui'));
    const unrelated = await conclude('billing', heapEnv('billing'));
    expect(unrelated.confidence).toBeLessThan(unknown.confidence);
  });
});
