/**
 * A legacy IAM user's key in use by someone else, flagged by GuardDuty and, separately, by Access
 * Analyzer, while minutes earlier an engineer deactivated a different user's key. Two detectors of
 * different kinds naming one principal corroborate the breach: it outranks the change made to
 * another identity. Two findings of the same detector are one voice.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { analyze } from '../../../../domain/analyst/offline/analysis.js';
import { gather } from '../../../../domain/analyst/offline/evidence/gather.js';
import { candidates } from '../../../../domain/analyst/offline/rank/candidates.js';
import { BUILTIN_KNOWLEDGE } from '../../../../domain/knowledge/builtin.js';
import { at, scenario, stepPoints } from './fixtures.js';
import { contextFor } from './harness.js';

const finding = (minute: number, kind: string, source: string, detail: string) => ({
  timestamp: at(minute),
  kind,
  source,
  count: 1,
  detail,
});

const env = (second: ReturnType<typeof finding>): Partial<Scenario['environment']> => ({
  services: [
    { name: 'infra-automation', tier: 'internal' as const, owner: 'platform' },
    { name: 'config-store', tier: 'critical' as const, owner: 'ingest' },
  ],
  metrics: [
    {
      namespace: 'CloudTrailMetrics',
      metricName: 'ApiCallsByPrincipal',
      dimensions: { Principal: 'iam-user/svc-deploy-legacy' },
      service: 'infra-automation',
      points: stepPoints(3, 3000, -25, 2),
    },
  ],
  changes: [
    {
      timestamp: at(-32),
      source: 'cloudtrail',
      eventName: 'UpdateAccessKey',
      service: 'infra-automation',
      resource: 'iam-user/svc-export-legacy',
      actor: 'iam-user/r.kowalski',
      summary: 'AccessKey AKIA4Q…7JQM set Inactive (static-credential deprecation)',
    },
  ],
  securityEvents: [
    finding(
      -15,
      'guardduty-finding',
      'GuardDuty',
      'Discovery:S3/AnomalousBehavior - An IAM entity (IAMUser svc-deploy-legacy) invoked an S3 API in a suspicious way (GetObject on config-store-prod, unusual volume and source ASN)',
    ),
    second,
  ],
});

async function breachConfidence(second: ReturnType<typeof finding>): Promise<number | undefined> {
  const s = scenario(
    'infra-automation',
    env(second),
    'CloudTrail shows a legacy service user reading the config bucket from addresses I do not recognise',
  );
  const { env: evidence, ctx } = contextFor(s);
  const ranked = candidates(analyze(await gather(evidence, ctx), BUILTIN_KNOWLEDGE));
  return ranked.find((c) => c.category === 'security' && c.culprit === 'svc-deploy-legacy')?.confidence;
}

describe('a breach two detectors name', () => {
  it('is corroborated when a detector of another kind names the same principal', async () => {
    const confidence = await breachConfidence(
      finding(
        -40,
        'iam-anomaly',
        'IAM Access Analyzer',
        'svc-deploy-legacy: access key AKIA4Q…R2XD age 1,412 days, unused for two months until today',
      ),
    );
    expect(confidence).toBeGreaterThanOrEqual(0.95);
  });

  it('is not, when the second finding comes from the same detector', async () => {
    const confidence = await breachConfidence(
      finding(
        -10,
        'guardduty-finding',
        'GuardDuty',
        'UnauthorizedAccess:IAMUser/TorIPCaller - API GetCallerIdentity invoked from Tor exit node 185.220.101.47 by svc-deploy-legacy',
      ),
    );
    expect(confidence).toBeDefined();
    expect(confidence).toBeLessThan(0.95);
  });
});
