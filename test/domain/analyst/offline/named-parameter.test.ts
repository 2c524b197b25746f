/**
 * Replacement tasks crash at start because a vendor's JSON parameter, edited four days before,
 * does not parse; the failing line names the parameter. The edit is the cause, found through the
 * line though timing gave up on it, and it is reverted. An edit to another parameter the line
 * does not name is not blamed. The load balancer's access log, which records the ARN of the ACM
 * certificate it served, is not a TLS failure.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const edit = (name: string) => ({
  timestamp: at(-4 * 24 * 60),
  source: 'cloudtrail',
  eventName: 'PutParameter',
  service: 'score-api',
  resource: `arn:aws:ssm:us-east-1:111122223333:parameter/prod/score-api/vendors/${name}`,
  actor: 'arn:aws:sts::111122223333:assumed-role/Engineer/j.doe',
  summary: `PutParameter /prod/score-api/vendors/${name} (Overwrite=true)`,
});

const env = (edited: string): Partial<Scenario['environment']> => ({
  services: [api('score-api')],
  changes: [edit(edited)],
  metrics: [
    {
      namespace: 'AWS/ApplicationELB',
      metricName: 'HTTPCode_ELB_502_Count',
      service: 'score-api',
      dimensions: { LoadBalancer: 'app/score/1' },
      points: stepPoints(0, 3000, -15, 0),
    },
  ],
  logs: [
    {
      service: 'score-api',
      timestamp: at(-15),
      level: 'ERROR',
      count: 40,
      message:
        "panic: vendor idcheck: parse config /prod/score-api/vendors/idcheck.json: invalid character '}' looking for beginning of object key string (offset 412)",
    },
    {
      service: 'score-api',
      timestamp: at(-14),
      level: 'ERROR',
      count: 30000,
      message:
        'https 2026-05-01T11:46:02.118544Z app/score/1 34.229.18.77:50432 - -1 -1 -1 502 - 1133 277 "POST https://api.example.io:443/v1/score HTTP/1.1" "curl/8" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 - "Root=1-6" "api.example.io" "arn:aws:acm:us-east-1:111122223333:certificate/0a1b" 0',
    },
  ],
});

describe('a parameter the failing line names, edited days before', () => {
  it('is the cause, and its edit is reverted', async () => {
    const run = await runScenario(scenario('score-api', env('idcheck.json')));
    expect(run.rootCause.category).toBe('configuration');
    expect(run.rootCause.culprit).toMatch(/idcheck\.json$/);
    expect(run.rootCause.mitigation?.kind).toBe('rollback');
    expect(run.rootCause.summary).not.toMatch(/TLS|certificate failure/i);
  });

  it('is not found in an edit of another parameter', async () => {
    const run = await runScenario(scenario('score-api', env('sanctions.json')));
    expect(run.rootCause.culprit).not.toMatch(/sanctions/);
  });
});
