/**
 * An engineer's long-lived key used from an unknown host: CloudTrail's denied AssumeRole attempts
 * and listings change nothing (the AWS adapter never reads read-only calls as changes), and the
 * engineer's routine VPN sign-in at dawn neither dates nor dilutes the afternoon's findings. The
 * cause is the exposed credential, rotated.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { readOnlyCall } from '../../../../domain/analyst/offline/evidence/change-flavor.js';
import { at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const env: Partial<Scenario['environment']> = {
  services: [
    { name: 'backup-store', tier: 'critical' as const, owner: 'platform' },
    { name: 'security-monitoring', tier: 'high' as const, owner: 'security' },
  ],
  metrics: [
    {
      namespace: 'AWS/S3',
      metricName: 'GetRequests',
      service: 'backup-store',
      points: stepPoints(1500, 65_000, -30, 100),
    },
  ],
  changes: [
    {
      timestamp: at(-3),
      source: 'aws.sts',
      eventName: 'AssumeRole',
      service: 'security-monitoring',
      resource: 'arn:aws:iam::123456789012:role/prod-admin',
      actor: 'IAMUser/ops-jdoe',
      summary: '31 denied AssumeRole attempts from 203.0.113.9',
    },
    {
      timestamp: at(-30),
      source: 'aws.s3',
      eventName: 'ListObjectsV2',
      service: 'backup-store',
      resource: 'arn:aws:s3:::prod-backups',
      actor: 'IAMUser/ops-jdoe',
      summary: '1,204 ListObjectsV2 calls from 203.0.113.9',
    },
  ],
  logs: [
    {
      service: 'security-monitoring',
      timestamp: at(-3),
      level: 'ERROR',
      count: 31,
      message:
        'AssumeRole errorCode=AccessDenied userIdentity=IAMUser/ops-jdoe message="User: arn:aws:iam::123456789012:user/ops-jdoe is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role/prod-admin"',
    },
  ],
  securityEvents: [
    {
      timestamp: at(-300),
      kind: 'vpn-login',
      source: 'corp-vpn',
      count: 1,
      detail: 'ops-jdoe connected with MFA (usual location)',
    },
    {
      timestamp: at(-2),
      kind: 'guardduty-finding',
      source: 'GuardDuty',
      count: 1,
      detail:
        'Exfiltration:S3/AnomalousBehavior: anomalous GetObject volume on prod-backups by IAMUser ops-jdoe',
    },
  ],
};

describe('a stolen long-lived key', () => {
  it('is the cause, rotated; denied AssumeRole calls are not a change to revert', async () => {
    const run = await runScenario(scenario('security-monitoring', env, 'GuardDuty: anomalous S3 reads'));
    expect(run.rootCause.category).toBe('security');
    expect(run.rootCause.culprit).toBe('ops-jdoe');
    expect(run.rootCause.mitigation?.kind).toBe('rotate-credentials');
  });

  it('tells read-only calls from changes by their event name', () => {
    const rec = (status: string) => ({ id: 'x', kind: 'change' as const, at: at(0), summary: '', status });
    expect(
      ['AssumeRole', 'GetCallerIdentity', 'ListObjectsV2', 'DescribeInstances', 'ConsoleLogin'].map((e) =>
        readOnlyCall(rec(e)),
      ),
    ).toEqual([true, true, true, true, true]);
    expect(
      ['PutBucketAcl', 'DeleteGroup', 'UpdateService', 'GetawayDeploy', 'ListenerRuleUpdate'].map((e) =>
        readOnlyCall(rec(e)),
      ),
    ).toEqual([false, false, false, false, false]);
  });
});
