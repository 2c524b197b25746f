/**
 * A known failure matched on a change record says what the change did (a load balancer answering
 * 503 with no targets after its rules changed); the record says what kind of change it was. A
 * listener rule edited by hand is a setting, not a release, whatever the entry's usual category.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const ruleEdited = (eventName: string, summary: string): Scenario =>
  scenario('dashboard-api', {
    services: [
      api('dashboard-api', ['internal-ingress']),
      { name: 'internal-ingress', tier: 'critical', owner: 'platform' },
    ],
    metrics: [
      {
        namespace: 'AWS/ApplicationELB',
        metricName: 'HTTPCode_ELB_503_Count',
        service: 'internal-ingress',
        dimensions: { LoadBalancer: 'app/k8s-internal/3f9c1a7e2b' },
        points: stepPoints(1, 900, -14, 1),
      },
    ],
    changes: [
      {
        timestamp: at(-15),
        source: 'cloudtrail',
        eventName,
        service: 'internal-ingress',
        resource:
          'arn:aws:elasticloadbalancing:us-east-1:1:listener-rule/app/k8s-internal/3f9c1a7e2b/8d2e/5e0d',
        actor: 'ops.sam',
        summary,
      },
    ],
  });

describe('the kind of a change a known failure matched', () => {
  it("is the record's own: a listener rule edited is configuration", async () => {
    const rc = (
      await runScenario(
        ruleEdited(
          'ModifyRule',
          'Listener rule priority 1 (host api-internal) forwards to the dashboard target group',
        ),
      )
    ).rootCause;
    expect(rc.category).toBe('configuration');
    expect(rc.mitigation?.kind).toBe('rollback');
  });
});
