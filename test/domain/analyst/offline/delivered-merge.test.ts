/**
 * A GitOps controller syncs what a person merged a minute earlier and, as its own lines say,
 * deletes the web tier's workloads: the catalog does not connect the controller to the web tier,
 * but the change that took away the failing service is on its path, and the merge it carried
 * (sharing its revision id) is what is named and reverted. Without a shared revision the sync
 * itself is named; when the controller's lines take away some other service, neither is blamed.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const env = (o: { revisionInMerge: boolean; removes: string }): Partial<Scenario['environment']> => ({
  services: [
    api('shop-web', ['catalog-api']),
    { name: 'catalog-api', tier: 'critical' as const, owner: 'shop', dependsOn: [] },
    { name: 'billing-web', tier: 'standard' as const, owner: 'billing', dependsOn: [] },
    { name: 'fleet-config', tier: 'high' as const, owner: 'platform', dependsOn: [] },
    { name: 'gitops', tier: 'high' as const, owner: 'platform', dependsOn: ['fleet-config'] },
  ],
  changes: [
    {
      timestamp: at(-9),
      eventName: 'PullRequestMerged',
      service: 'fleet-config',
      resource: 'fleet-base-template',
      actor: 'dkowalski',
      summary: `PR #812 merged: tidy shared values${o.revisionInMerge ? ' (commit 4be91c07)' : ''}`,
    },
    {
      timestamp: at(-8),
      eventName: 'ApplicationSync',
      service: 'gitops',
      resource: 'fleet-apps',
      actor: 'argocd-automation',
      summary: 'auto-sync of fleet-apps to revision 4be91c07 in 12 clusters (prune enabled)',
    },
  ],
  metrics: [
    {
      namespace: 'AWS/ApplicationELB',
      metricName: 'HTTPCode_ELB_5XX_Count',
      service: 'shop-web',
      points: stepPoints(2, 900, -6, 1),
    },
  ],
  logs: [
    {
      service: 'gitops',
      timestamp: at(-7),
      level: 'INFO' as const,
      count: 40,
      message: `Deleting resources application=${o.removes} prune=true kind=Deployment`,
    },
    {
      service: 'shop-web',
      timestamp: at(-6),
      level: 'ERROR' as const,
      count: 3000,
      message: 'upstream connect error or disconnect/reset before headers. reset reason: connection failure',
    },
  ],
});

describe('a merge delivered by automation that took the service away', () => {
  it('names and reverts the merge the sync carried', async () => {
    const run = await runScenario(
      scenario('shop-web', env({ revisionInMerge: true, removes: 'shop-web' }), 'shop-web 5xx'),
    );
    expect(run.rootCause.category).toBe('configuration');
    expect(run.rootCause.culprit).toBe('fleet-base-template');
    expect(run.rootCause.mitigation?.kind).toBe('rollback');
    expect(run.rootCause.summary).toContain('applied by argocd-automation');
  });

  it('names the sync itself when nothing ties it to the merge', async () => {
    const run = await runScenario(
      scenario('shop-web', env({ revisionInMerge: false, removes: 'shop-web' }), 'shop-web 5xx'),
    );
    expect(run.rootCause.culprit).toBe('fleet-apps');
  });

  it('blames neither when the controller took away another service', async () => {
    const run = await runScenario(
      scenario('shop-web', env({ revisionInMerge: true, removes: 'billing-web' }), 'shop-web 5xx'),
    );
    expect(run.rootCause.culprit).not.toBe('fleet-apps');
    expect(run.rootCause.culprit).not.toBe('fleet-base-template');
  });
});
