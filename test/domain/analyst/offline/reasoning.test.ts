/**
 * General SRE reasoning on small synthetic incidents, each built to tempt the analyst with the
 * wrong answer: a deploy that lands after the real trigger, a dependency broken by its own deploy,
 * a flood that looks like a capacity problem, a DNS change owned by a team outside the catalog.
 */
import { describe, expect, it } from 'vitest';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

/** An API and a reporting job on one database whose CPU pins 25 minutes before the alert. */
const SHARED_DB = [
  api('api', ['main-db']),
  { name: 'main-db', tier: 'critical' as const },
  { name: 'reporting', tier: 'internal' as const, dependsOn: ['main-db'] },
];
const DB_CPU = {
  namespace: 'AWS/RDS',
  metricName: 'CPUUtilization',
  service: 'main-db',
  unit: 'Percent',
  points: stepPoints(30, 97, -25, 1),
};
const API_TIMEOUTS = {
  service: 'api',
  timestamp: at(-23),
  level: 'ERROR',
  message: 'canceling statement due to statement timeout',
  count: 900,
};

describe('causal reasoning', () => {
  it('does not blame a deploy that landed after a database was already saturated by another consumer', async () => {
    const { rootCause: rc } = await runScenario(
      scenario(
        'api',
        {
          services: SHARED_DB,
          metrics: [
            DB_CPU,
            {
              namespace: 'App',
              metricName: 'LatencyP99',
              service: 'api',
              unit: 'Milliseconds',
              points: stepPoints(120, 2400, -24, 10),
            },
          ],
          deployments: [
            {
              service: 'api',
              version: 'v7',
              previousVersion: 'v6',
              startedAt: at(-22),
              completedAt: at(-19),
              description: 'copy change',
            },
          ],
          logs: [
            {
              service: 'reporting',
              timestamp: at(-27),
              level: 'INFO',
              message: 'scheduled job started: quarterly report (full table scan)',
            },
            API_TIMEOUTS,
          ],
        },
        'api p99 latency high',
      ),
    );
    expect(rc.category).toBe('database');
    expect(rc.culprit).toBe('main-db');
    expect(rc.mitigation).toMatchObject({ kind: 'restart', target: 'reporting' });
    expect(rc.ruledOut.join('\n')).toMatch(/v7/);
  });

  it('reads a backlog that piled up after the database ran out as work waiting, not work sent', async () => {
    const backlog = (jumpAt: number) => ({
      namespace: 'Jobs',
      metricName: 'PendingJobs',
      service: 'reporting',
      points: stepPoints(2500, 60_000, jumpAt, 200),
    });
    const run = (jumpAt: number) =>
      runScenario(
        scenario(
          'api',
          { services: SHARED_DB, metrics: [DB_CPU, backlog(jumpAt)], logs: [API_TIMEOUTS] },
          'api p99 latency high',
        ),
      );
    const after = (await run(-21)).rootCause;
    expect(after.culprit).toBe('main-db');
    expect(after.mitigation?.target).not.toBe('reporting');
    // The same jump before the database ran out is the batch that filled it.
    const before = (await run(-28)).rootCause;
    expect(before.mitigation).toMatchObject({ kind: 'restart', target: 'reporting' });
  });

  it('does not take a job that says it completed, before the database ran out, for the load on it', async () => {
    const { rootCause: rc } = await runScenario(
      scenario(
        'api',
        {
          services: SHARED_DB,
          metrics: [DB_CPU],
          logs: [
            {
              service: 'reporting',
              timestamp: at(-45),
              level: 'INFO',
              message: 'nightly report export completed rows=182044 duration=412s',
            },
            API_TIMEOUTS,
          ],
        },
        'api p99 latency high',
      ),
    );
    expect(rc.culprit).toBe('main-db');
    expect(rc.mitigation?.target).not.toBe('reporting');
  });

  it('follows a failing dependency to the deploy that broke it and rolls that service back', async () => {
    const { rootCause: rc } = await runScenario(
      scenario(
        'web',
        {
          services: [api('web', ['accounts']), { name: 'accounts', tier: 'high', owner: 'id-team' }],
          metrics: [
            {
              namespace: 'ELB',
              metricName: 'HTTPCode_Target_5XX_Count',
              service: 'web',
              points: stepPoints(1, 250, -15, 0),
            },
            {
              namespace: 'ELB',
              metricName: 'RequestCount',
              service: 'web',
              points: stepPoints(4000, 4000, 0, 80),
            },
            {
              namespace: 'ELB',
              metricName: 'HTTPCode_Target_5XX_Count',
              service: 'accounts',
              dimensions: { LoadBalancer: 'accounts' },
              points: stepPoints(0, 300, -16, 0),
            },
          ],
          deployments: [
            {
              service: 'accounts',
              version: 'v9',
              previousVersion: 'v8',
              startedAt: at(-20),
              completedAt: at(-17),
            },
            {
              service: 'web',
              version: 'v55',
              previousVersion: 'v54',
              startedAt: at(-50),
              completedAt: at(-45),
            },
          ],
          logs: [
            {
              service: 'web',
              timestamp: at(-15),
              level: 'ERROR',
              message: 'GET /v1/me failed: 500 from accounts',
              count: 3000,
            },
            {
              service: 'accounts',
              timestamp: at(-16),
              level: 'ERROR',
              message: 'NullPointerException at AccountService.load',
              count: 2900,
            },
          ],
        },
        'web 5xx high',
      ),
    );
    expect(rc.category).toBe('deployment');
    expect(rc.culprit).toBe('v9');
    expect(rc.mitigation).toMatchObject({
      kind: 'rollback',
      target: 'accounts',
      params: { toVersion: 'v8' },
    });
  });

  it('treats a request flood with a DDoS signal as an attack to block, not capacity to add', async () => {
    const { rootCause: rc } = await runScenario(
      scenario(
        'edge-api',
        {
          services: [api('edge-api')],
          metrics: [
            {
              namespace: 'ELB',
              metricName: 'RequestCount',
              service: 'edge-api',
              points: stepPoints(2000, 40000, -10, 40),
            },
            {
              namespace: 'ELB',
              metricName: 'HTTPCode_Target_5XX_Count',
              service: 'edge-api',
              points: stepPoints(2, 9000, -9, 0),
            },
            {
              namespace: 'ECS',
              metricName: 'CPUUtilization',
              service: 'edge-api',
              unit: 'Percent',
              points: stepPoints(35, 99, -9, 1),
            },
          ],
          securityEvents: [
            {
              timestamp: at(-8),
              kind: 'shield-ddos',
              source: '198.51.100.0/24',
              count: 350000,
              detail: 'HTTP flood',
            },
          ],
        },
        'edge-api 5xx',
      ),
    );
    expect(rc.category).toBe('security');
    expect(rc.mitigation).toMatchObject({
      kind: 'block-traffic',
      target: 'edge-api',
      params: { cidr: '198.51.100.0/24' },
    });
  });

  it('scales an internal dependency that ran out of CPU under more traffic when nothing changed', async () => {
    const { rootCause: rc } = await runScenario(
      scenario(
        'front',
        {
          services: [api('front', ['search']), { name: 'search', tier: 'high' }],
          metrics: [
            {
              namespace: 'ECS',
              metricName: 'CPUUtilization',
              service: 'search',
              unit: 'Percent',
              points: stepPoints(50, 98, -15, 2),
            },
            {
              namespace: 'ELB',
              metricName: 'RequestCount',
              service: 'search',
              points: stepPoints(1000, 2600, -16, 20),
            },
            {
              namespace: 'App',
              metricName: 'LatencyP95',
              service: 'front',
              unit: 'Milliseconds',
              points: stepPoints(200, 3000, -14, 5),
            },
          ],
          logs: [
            {
              service: 'front',
              timestamp: at(-14),
              level: 'ERROR',
              message: 'search request timed out after 2000ms',
              count: 1200,
            },
          ],
        },
        'front p95 latency',
      ),
    );
    expect(rc.category).toBe('capacity');
    expect(rc.culprit).toBe('search');
    expect(rc.mitigation).toMatchObject({ kind: 'scale', target: 'search' });
  });

  it('links a DNS change by a team outside the catalog to the resolution failures that followed', async () => {
    const { rootCause: rc } = await runScenario(
      scenario(
        'checkout',
        {
          services: [api('checkout', ['tax-api']), { name: 'tax-api', tier: 'high' }],
          metrics: [
            {
              namespace: 'ELB',
              metricName: 'HTTPCode_Target_5XX_Count',
              service: 'checkout',
              points: stepPoints(0, 400, -6, 0),
            },
          ],
          changes: [
            {
              timestamp: at(-7),
              eventName: 'ChangeResourceRecordSets',
              service: 'platform',
              resource: 'Z0123HOSTEDZONE',
              summary: 'DELETE record tax-api.internal.example CNAME',
            },
          ],
          logs: [
            {
              service: 'checkout',
              timestamp: at(-6),
              level: 'ERROR',
              message: 'getaddrinfo ENOTFOUND tax-api.internal.example',
              count: 4000,
            },
          ],
        },
        'checkout 5xx',
      ),
    );
    expect(rc.category).toBe('network');
    expect(rc.culprit).toBe('Z0123HOSTEDZONE');
    expect(rc.mitigation?.kind).toBe('rollback');
  });
});
