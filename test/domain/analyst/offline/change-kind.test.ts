/**
 * A change's own effects are of its kind. A web ACL refreshed minutes before the onset refuses
 * requests when it goes wrong; database timeouts after it are not its doing, and the database's own
 * slow-statement log says where the time goes. A setting that only says what gets logged, or when
 * maintenance may run, changes no work now.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { apiWords, changeFlavor } from '../../../../domain/analyst/offline/evidence/change-flavor.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

type Log = NonNullable<Scenario['environment']['logs']>[number];

/** A change record made by the call `status`, described as `summary`. */
const rec = (status: string, summary: string) => ({
  id: 'c',
  kind: 'change' as const,
  at: at(0),
  status,
  summary,
});

const env = (apiError: string): Partial<Scenario['environment']> => ({
  services: [api('frontend-api', ['identity-db']), { name: 'identity-db', tier: 'critical' as const }],
  metrics: [
    {
      namespace: 'Acme/FrontendApi',
      metricName: 'LatencyP99',
      service: 'frontend-api',
      points: stepPoints(95, 12_000, -4, 3),
    },
  ],
  changes: [
    {
      timestamp: at(-9),
      source: 'aws.wafv2',
      eventName: 'UpdateWebACL',
      service: 'frontend-api',
      resource: 'frontend-api-acl',
      actor: 'assumed-role/waf-automation/bot-signals',
      summary: 'bot signature list refreshed (managed rule group version 3.41)',
    },
  ],
  logs: [
    {
      service: 'identity-db',
      timestamp: at(-4),
      level: 'LOG',
      count: 50_000,
      message: 'duration: 9412.553 ms  execute <unnamed>: SELECT s.id FROM sessions s WHERE s.client_id = $1',
    },
    {
      service: 'frontend-api',
      timestamp: at(-3),
      level: 'ERROR',
      count: 80_000,
      message: apiError,
    } satisfies Log,
  ],
});

describe('a change’s own effects are of its kind', () => {
  it('a web ACL change does not take the blame for database timeouts', async () => {
    const run = await runScenario(
      scenario('frontend-api', env('db query failed: timeout: context deadline exceeded (waited 10.0s)')),
    );
    expect(run.rootCause.category).toBe('database');
    expect(run.rootCause.culprit).toBe('identity-db');
  });

  it('a web ACL change that starts refusing real users is still the cause', async () => {
    const run = await runScenario(
      scenario(
        'frontend-api',
        env('request blocked by WAF rule BotSignatures: 403 Forbidden for signed-in users'),
      ),
    );
    expect(run.rootCause.category).toBe('configuration');
    expect(run.rootCause.mitigation?.kind).toBe('rollback');
  });

  it('a setting that only says what gets logged is bookkeeping', () => {
    const rec = (summary: string) => ({ id: 'c', kind: 'change' as const, at: at(0), summary });
    expect(changeFlavor(rec('log_min_duration_statement 2000 -> 1000'))).toBe('benign');
    expect(changeFlavor(rec('max_connections 500 -> 200'))).not.toBe('benign');
    expect(changeFlavor(rec('log_min_duration_statement 2000 -> 1000, shared_buffers 8GB -> 2GB'))).not.toBe(
      'benign',
    );
  });

  it('a logging setting is bookkeeping when the record names its call and parameter group first', () => {
    const rec = (summary: string) => ({
      id: 'c',
      kind: 'change' as const,
      at: at(0),
      status: 'ModifyDBClusterParameterGroup',
      summary,
    });
    expect(changeFlavor(rec('ModifyDBClusterParameterGroup media-db-params: long_query_time 2 -> 1'))).toBe(
      'benign',
    );
    expect(changeFlavor(rec('media-db-params: long_query_time 2 -> 1 (ApplyMethod=immediate)'))).toBe(
      'benign',
    );
    expect(
      changeFlavor(rec('ModifyDBClusterParameterGroup media-db-params: max_connections 2000 -> 500')),
    ).toBe('database');
  });

  it("CloudTrail's one-word call names say what kind of change it was", () => {
    // The summary names the database the route served; the call says a route was replaced.
    expect(
      changeFlavor(
        rec(
          'ReplaceTransitGatewayRoute',
          'Route 10.40.0.0/16 replaced with blackhole; replication from legacy-db has no path',
        ),
      ),
    ).toBe('network');
    expect(changeFlavor(rec('CreateNetworkAclEntry', 'rule 90 for the db subnets'))).toBe('network');
    expect(changeFlavor(rec('ReplaceRoute', 'default route of the private subnets'))).toBe('network');
    expect(changeFlavor(rec('ModifyDBParameterGroup', 'orders-pg: work_mem 4MB -> 64MB'))).toBe('database');
    expect(apiWords('ReplaceTransitGatewayRoute')).toBe('Replace Transit Gateway Route');
    expect(apiWords('ModifyVPCAttachment')).toBe('Modify VPC Attachment');
    expect(apiWords('RDS-EVENT-0006')).toBe('');
  });

  it("a queue's message consumed by hand is bookkeeping; the queue's settings are not", () => {
    expect(
      changeFlavor(rec('DeleteMessage', 'Deleted 1 malformed build request that crashed the fetcher')),
    ).toBe('benign');
    expect(changeFlavor(rec('SetQueueAttributes', 'VisibilityTimeout 300 -> 30'))).not.toBe('benign');
  });

  it('how long backups are kept is bookkeeping; what a database runs with is not', () => {
    const rec = (summary: string) => ({ id: 'c', kind: 'change' as const, at: at(0), summary });
    expect(changeFlavor(rec('backup retention 7 -> 14 days'))).toBe('benign');
    expect(changeFlavor(rec('BackupRetentionPeriod set to 14'))).toBe('benign');
    expect(
      changeFlavor(rec('backup retention 7 -> 14 days, instance class r6g.2xlarge -> r6g.large')),
    ).not.toBe('benign');
  });

  it('a target group written as one word is a network change, whatever its name says', () => {
    const rec = { id: 'c', kind: 'change' as const, at: at(0), status: 'RegisterTargets' };
    expect(
      changeFlavor({ ...rec, summary: 'register fw-appliance-c', resource: 'targetgroup/db-fw-appliances' }),
    ).toBe('network');
  });

  it('rows written through an API into a database are not a database change; a change to the database host is', () => {
    const names = ['control-plane-api', 'platform-db', 'repo-db-1'];
    const bulk = {
      id: 'c',
      kind: 'change' as const,
      at: at(0),
      status: 'services.bulkSetDesiredState',
      service: 'control-plane-api',
      resource: 'platform-db: services.desired_state',
      summary: 'bulk set desired_state=PAUSED, empty selector, matched 38,412 services',
    };
    expect(changeFlavor(bulk, names)).toBe('config');
    const session = {
      id: 'c',
      kind: 'change' as const,
      at: at(0),
      status: 'StartSession',
      service: 'repo-db-1',
      resource: 'i-0a7d3c91e5f2b4068 (repo-db-1)',
      summary: 'SSM Session Manager session',
    };
    expect(changeFlavor(session, names)).toBe('database');
  });

  it("a service's own name speaks for a change to it, not for a path under it", () => {
    const names = ['inference-router', 'edge-router'];
    const rec = (service: string, resource: string) => ({
      id: 'c',
      kind: 'change' as const,
      at: at(0),
      status: 'Sync',
      service,
      resource,
      summary: 'weights 124 -> 88 and 1 -> 12',
    });
    expect(changeFlavor(rec('inference-router', 'inference-router/routes/sonnet4'), names)).toBe('config');
    expect(changeFlavor(rec('edge-router', 'edge-router'), names)).toBe('network');
  });

  it('a backup taken is bookkeeping; a restore from one is not', () => {
    const rec = (status: string) => ({
      id: 'c',
      kind: 'change' as const,
      at: at(0),
      status,
      service: 'gems-db',
      summary: 'Automated daily snapshot completed 03:00-03:24 UTC',
    });
    expect(changeFlavor(rec('CreateDBSnapshot'))).toBe('benign');
    expect(changeFlavor(rec('CreateDBClusterSnapshot'))).toBe('benign');
    expect(changeFlavor(rec('RestoreDBInstanceFromDBSnapshot'))).not.toBe('benign');
  });

  it('a support case opened or answered changes nothing', () => {
    const rec = (status: string) => ({
      id: 'c',
      kind: 'change' as const,
      at: at(0),
      status,
      service: 'build-egress',
      summary: 'No issue found inside the region or on the NAT gateways; escalated to the network team',
    });
    expect(changeFlavor(rec('AddCommunicationToCase'))).toBe('benign');
    expect(changeFlavor(rec('CreateCase'))).toBe('benign');
    expect(changeFlavor(rec('ReplaceRoute'))).not.toBe('benign');
  });

  it("a responder's note on the incident changes nothing", () => {
    const rec = (status: string, source: string) => ({
      id: 'c',
      kind: 'change' as const,
      at: at(0),
      status,
      source,
      actor: 'oncall-platform',
      service: 'events-api',
      resource: 'project 5a9f1c07',
      summary: 'spike source looks like a single project; rate limit it',
    });
    expect(changeFlavor(rec('Note', 'incident-notes'))).toBe('benign');
    expect(changeFlavor(rec('AddComment', 'pagerduty'))).toBe('benign');
    expect(changeFlavor(rec('UpdateRateLimit', 'admin-api'))).not.toBe('benign');
  });

  it('what a monitor measured is its report, not a change; a monitor reconfigured is a change', () => {
    const rec = (status: string, source: string, actor: string) => ({
      id: 'c',
      kind: 'change' as const,
      at: at(0),
      status,
      source,
      actor,
      service: 'task-broker',
      summary: 'inter-AZ probes broker-1 -> broker-2/3 100% loss',
    });
    expect(changeFlavor(rec('PacketLoss', 'network monitor', 'smokeping'))).toBe('platform');
    expect(changeFlavor(rec('UpdateCanary', 'aws.synthetics', 'arn:aws:iam::1:user/ops'))).not.toBe(
      'platform',
    );
    expect(changeFlavor(rec('UpdateMonitor', 'monitoring', 'arn:aws:iam::1:user/ops'))).not.toBe('platform');
    expect(changeFlavor(rec('ReplaceRoute', 'cloudtrail', 'arn:aws:iam::1:user/ops'))).not.toBe('platform');
  });

  it('a cache, scaling or retention policy is a setting of that thing, not a permission', () => {
    const rec = (summary: string) => ({ id: 'c', kind: 'change' as const, at: at(0), summary });
    expect(changeFlavor(rec('Cache behaviors /static/*: cache policy changed to static-short'))).not.toBe(
      'iam',
    );
    expect(changeFlavor(rec('lifecycle policy: expire noncurrent versions after 7 days'))).not.toBe('iam');
    expect(changeFlavor(rec('Attach policy AdministratorAccess to role ci-deployer'))).toBe('iam');
  });

  it('a CDN change that mentions a database is classed by the signature of its own event', async () => {
    const run = await runScenario(
      scenario('web', {
        services: [api('web', ['web-cdn']), { name: 'web-cdn', tier: 'critical' as const, owner: 'edge' }],
        changes: [
          {
            timestamp: at(-3),
            eventName: 'UpdateDistribution',
            service: 'web-cdn',
            resource: 'E2CDNX',
            actor: 'terraform',
            summary: 'Cache behaviors /api/*: forward the session cookie so the db-backed pages vary by user',
          },
        ],
        metrics: [
          {
            namespace: 'AWS/CloudFront',
            metricName: '5xxErrorRate',
            service: 'web-cdn',
            points: stepPoints(0.2, 12, -2, 0.05),
          },
        ],
      }),
    );
    expect(run.rootCause.culprit).toBe('E2CDNX');
    expect(run.rootCause.category).toBe('configuration');
  });
});
