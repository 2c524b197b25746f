/**
 * A sync job removing hundreds of members minutes after the group it mirrors was deleted looks like
 * an intruder in the audit log; the sync job's own line naming the deleted group says it is the
 * deletion's effect. Without such a line the audit anomaly keeps its place.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const env = (syncNamesTheGroup: boolean): Partial<Scenario['environment']> => ({
  services: [
    api('scm-sync', ['identity-store']),
    { name: 'identity-store', tier: 'critical' as const, owner: 'corporate-it' },
  ],
  metrics: [
    {
      namespace: 'Acme/ScmSync',
      metricName: 'OrgMembers',
      service: 'scm-sync',
      points: stepPoints(900, 20, -17, 0),
    },
  ],
  changes: [
    {
      timestamp: at(-20),
      source: 'cloudtrail',
      eventName: 'DeleteGroup',
      service: 'identity-store',
      resource: 'eng-org-access',
      actor: 'arn:aws:sts::123456789012:assumed-role/ITAdmin/h.b',
      summary: 'identitystore:DeleteGroup eng-org-access (stale-group cleanup)',
    },
  ],
  logs: syncNamesTheGroup
    ? [
        {
          service: 'scm-sync',
          timestamp: at(-18),
          level: 'WARN',
          count: 1,
          message: 'group eng-org-access not found in identity store; desired membership = 0',
        },
      ]
    : [],
  securityEvents: [
    {
      timestamp: at(-17),
      kind: 'audit-anomaly',
      source: 'code host audit log',
      count: 880,
      detail: 'org.remove_member by provisioning app within 90 seconds',
    },
  ],
});

describe('our own automation after a change', () => {
  it('makes the audit anomaly the effect of the change its lines name', async () => {
    const run = await runScenario(scenario('scm-sync', env(true), 'engineers lost access'));
    expect(run.rootCause.category).toBe('configuration');
    expect(run.rootCause.culprit).toBe('eng-org-access');
    expect(run.rootCause.mitigation?.kind).toBe('rollback');
  });

  it('leaves the anomaly in front when nothing of ours names the change', async () => {
    const run = await runScenario(scenario('scm-sync', env(false), 'engineers lost access'));
    expect(run.rootCause.category).toBe('security');
  });
});
