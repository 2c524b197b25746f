/**
 * A reflection flood the tooling confirms, multiplying what reaches a name server as its answers
 * time out, is the cause, and is blocked; a zone edit twelve minutes before, with nothing of its own
 * in the evidence, ranks below it. Without the surge in what arrives, the flood explains nothing the
 * change does not, and the change keeps its place.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { securityPattern } from '../../../../domain/analyst/offline/evidence/security.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const env = (surge: boolean): Partial<Scenario['environment']> => ({
  services: [api('auth-dns')],
  changes: [
    {
      timestamp: at(-22),
      source: 'dns-admin',
      eventName: 'ZoneUpdate',
      service: 'auth-dns',
      resource: 'zone shop.example.net',
      actor: 'eng:a.lee',
      summary: 'customer MX record change, serial 2026050101',
    },
  ],
  securityEvents: [
    {
      timestamp: at(-10),
      kind: 'shield-event',
      source: 'AWS Shield Advanced',
      count: 1,
      detail: 'DDoS event started on eipalloc-0abc: UDP reflection, source port 11211, peak ~5 Gbps',
    },
    {
      timestamp: at(-10),
      kind: 'flow-anomaly',
      source: 'VPC Flow Logs',
      count: 400000,
      detail: 'UDP from src port 11211 to auth-dns from 9,000 distinct sources in 5 minutes',
    },
  ],
  metrics: [
    {
      namespace: 'AWS/EC2',
      metricName: 'NetworkIn',
      service: 'auth-dns',
      dimensions: { InstanceId: 'i-0abc' },
      points: surge ? stepPoints(0.4, 40, -10, 0.02) : stepPoints(0.4, 0.4, -10, 0.02),
    },
    {
      namespace: 'DNS/Authoritative',
      metricName: 'QueriesAnswered',
      service: 'auth-dns',
      points: stepPoints(1900, 700, -10, 20),
    },
  ],
  logs: [
    {
      service: 'auth-dns',
      timestamp: at(-9),
      level: 'WARN',
      count: 900,
      message: 'named[1412]: client 203.0.113.9#4412 (shop.example.net): query failed (timed out)',
    },
  ],
});

describe('a flood from outside', () => {
  it('is what a flow anomaly from thousands of sources is, not an IAM anomaly', () => {
    const signal = (kind: string, detail: string) => ({
      id: 's',
      at: at(0),
      kind,
      source: 'x',
      count: 1,
      detail,
    });
    expect(
      securityPattern(signal('flow-anomaly', 'UDP from src port 11211 from 9,000 distinct sources')),
    ).toBe('flood');
    expect(securityPattern(signal('guardduty', 'UnauthorizedAccess:IAMUser/AnomalousBehavior'))).not.toBe(
      'flood',
    );
  });

  it('outranks an unrelated change of the same hour when what arrives multiplied', async () => {
    const run = await runScenario(scenario('auth-dns', env(true)));
    expect(run.rootCause.category).toBe('security');
    expect(run.rootCause.mitigation?.kind).toBe('block-traffic');
  });

  it('leaves the change in front when nothing more arrived', async () => {
    const run = await runScenario(scenario('auth-dns', env(false)));
    expect(run.rootCause.category).toBe('configuration');
    expect(run.rootCause.mitigation?.kind).toBe('rollback');
  });
});
