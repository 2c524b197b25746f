/**
 * A change whose own record matches a known signature, followed by failures logged in that
 * signature's words, is their cause even when the catalog links nothing to it (an organization
 * policy edited in the management account, then calls denied "in a service control policy" by
 * services nobody drew an arrow from). Denials with no such change stay the services' own story.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

type Env = Partial<Scenario['environment']>;

const denied = (service: string, action: string) =>
  `AccessDenied: User: arn:aws:sts::111122223333:assumed-role/${service}-task/abc is not authorized to perform: ${action} on resource: arn:aws:s3:::media/* with an explicit deny in a service control policy`;

const env = (withChange: boolean): Env => ({
  services: [
    api('upload-api'),
    api('thumbnailer'),
    { name: 'org-management', tier: 'internal', owner: 'platform' },
  ],
  ...(withChange
    ? {
        changes: [
          {
            timestamp: at(-9),
            source: 'cloudtrail',
            eventName: 'UpdatePolicy',
            service: 'org-management',
            resource: 'scp p-4kq8z2m1 data-perimeter',
            actor: 'assumed-role/OrgAdmin/j.doe',
            summary: 'edit the data-perimeter SCP attached to the Production OU',
          },
        ],
      }
    : {}),
  metrics: [
    {
      namespace: 'AWS/ApplicationELB',
      metricName: 'HTTPCode_Target_5XX_Count',
      service: 'upload-api',
      dimensions: { LoadBalancer: 'app/upload/1' },
      points: stepPoints(2, 1800, -8, 1),
    },
  ],
  logs: [
    {
      service: 'upload-api',
      timestamp: at(-8),
      level: 'ERROR',
      count: 9000,
      message: denied('upload-api', 's3:PutObject'),
    },
    {
      service: 'thumbnailer',
      timestamp: at(-8),
      level: 'ERROR',
      count: 3000,
      message: denied('thumbnailer', 's3:GetObject'),
    },
  ],
});

describe('a change linked by its own signature', () => {
  it('blames and reverts the policy edit that the denials name, with no catalog link to it', async () => {
    const run = await runScenario(scenario('upload-api', env(true)));
    expect(run.rootCause.category).toBe('configuration');
    expect(run.rootCause.culprit).toContain('data-perimeter');
    expect(run.rootCause.mitigation?.kind).toBe('rollback');
    expect(run.rootCause.mitigation?.target).toBe('org-management');
  });

  it('without such a change, the denials are the services’ own', async () => {
    const run = await runScenario(scenario('upload-api', env(false)));
    expect(run.rootCause.culprit).not.toContain('data-perimeter');
    expect(run.rootCause.mitigation?.kind).not.toBe('rollback');
  });
});
