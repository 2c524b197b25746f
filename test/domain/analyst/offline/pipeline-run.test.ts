/**
 * A Terraform run reviewed as "rename only" replaces three database nodes: the instances are
 * terminated by the run's own principal two minutes after the apply began, and the store loses
 * quorum. The run is what is named and reverted, not the instance ids it touched; the same
 * terminations by another principal stand on their own.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { analyze } from '../../../../domain/analyst/offline/analysis.js';
import { gather } from '../../../../domain/analyst/offline/evidence/gather.js';
import { candidates } from '../../../../domain/analyst/offline/rank/candidates.js';
import { BUILTIN_KNOWLEDGE } from '../../../../domain/knowledge/builtin.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { contextFor } from './harness.js';

/** The hypothesis built on the terminations: its culprit and its action's target. */
async function terminations(terminatedBy: string) {
  const { env: source, ctx } = contextFor(scenario('events-api', env(terminatedBy)));
  const a = analyze(await gather(source, ctx), BUILTIN_KNOWLEDGE);
  const id = a.changes.find((c) => c.change.status === 'TerminateInstances')!.change.id;
  return candidates(a).find((c) => c.evidence.includes(id))!;
}

const env = (terminatedBy: string): Partial<Scenario['environment']> => ({
  services: [
    api('events-api', ['events-store']),
    { name: 'events-store', tier: 'critical' as const, owner: 'data' },
    { name: 'infra-pipeline', tier: 'internal' as const, owner: 'infra' },
  ],
  changes: [
    {
      timestamp: at(-12),
      source: 'terraform',
      eventName: 'Apply',
      service: 'infra-pipeline',
      resource: 'workspace prod-data',
      actor: 'terraform-ci (approved by a.reviewer)',
      summary: 'hostname rename for database nodes; plan reviewed as rename only',
    },
    {
      timestamp: at(-10),
      source: 'aws.ec2',
      eventName: 'TerminateInstances',
      service: 'events-store',
      resource: 'i-0b13f7d2a9c84e501,i-0c8e1a4f7b2d93612,i-02d9f6b3e1a7c4723',
      actor: terminatedBy,
      summary: '3 instances terminated (events-07, events-12, events-19)',
    },
  ],
  metrics: [
    {
      namespace: 'AWS/ApplicationELB',
      metricName: 'HTTPCode_Target_5XX_Count',
      service: 'events-api',
      dimensions: { LoadBalancer: 'app/events/1' },
      points: stepPoints(2, 4000, -9, 1),
    },
  ],
  logs: [
    {
      service: 'events-api',
      timestamp: at(-9),
      level: 'ERROR',
      count: 90000,
      message:
        'com.datastax.oss.driver.api.core.servererrors.UnavailableException: Not enough replicas available for query at consistency QUORUM (2 required but only 1 alive)',
    },
  ],
});

describe('API calls made by a pipeline run', () => {
  it('are the run: it is named and reverted', async () => {
    const c = await terminations('terraform-ci');
    expect(c.culprit).toBe('workspace prod-data');
    expect(c.mitigation?.target).toBe('infra-pipeline');
  });

  it('stand on their own when another principal made them', async () => {
    const c = await terminations('ops-engineer');
    expect(c.culprit).not.toBe('workspace prod-data');
  });
});
