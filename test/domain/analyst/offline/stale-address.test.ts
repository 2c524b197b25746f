/**
 * A host behind the proxy was retired and replaced hours ago; the proxy still connects to the old
 * host's IP address and times out. Its routes are stale: configuration, fixed by reloading the
 * proxy, not by scaling it or restarting what it calls. When the timeouts name the new address
 * instead, the stale-address story does not apply.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const stopped = {
  timestamp: at(-301),
  source: 'aws.ec2',
  eventName: 'StopInstances',
  service: 'index-nodes',
  resource: 'arn:aws:ec2:eu-west-1:111122223333:instance/i-0a7f3c19e2b4d5608',
  actor: 'aws',
  summary: 'i-0a7f3c19e2b4d5608 stopped by AWS (instance retirement)',
};

const env = (target: string, platformStop = false): Partial<Scenario['environment']> => ({
  services: [api('query-proxy', ['index-nodes']), api('index-nodes', [], { userFacing: false })],
  changes: [
    ...(platformStop ? [stopped] : []),
    {
      timestamp: at(-300),
      source: 'aws.autoscaling',
      eventName: 'EC2 Instance Launch Successful',
      service: 'index-nodes',
      resource: 'arn:aws:autoscaling:eu-west-1:111122223333:autoScalingGroup:index-nodes',
      actor: 'autoscaling.amazonaws.com',
      summary:
        'index-nodes launched replacement i-0e59c4d8a2b7f1033 (private IP 10.31.44.208) for i-0a7f3c19e2b4d5608 (10.31.18.77)',
    },
  ],
  metrics: [
    {
      namespace: 'Test/Proxy',
      metricName: 'Upstream503',
      service: 'query-proxy',
      dimensions: { Fleet: 'query-proxy' },
      points: stepPoints(1, 600, -20, 1),
    },
  ],
  logs: [
    {
      service: 'query-proxy',
      timestamp: at(-20),
      level: 'ERROR',
      count: 5900,
      message: `[error] 2211#2211: *9180233 connect() timed out (110: Connection timed out) while connecting to upstream, request: "GET /listings/_search HTTP/1.1", upstream: "http://${target}:9200/listings/_search"`,
    },
  ],
});

describe('a proxy calling a retired host', () => {
  it('is stale routing configuration, fixed by reloading the proxy', async () => {
    const run = await runScenario(scenario('query-proxy', env('10.31.18.77')));
    expect(run.rootCause.category).toBe('configuration');
    expect(run.rootCause.summary).toContain('10.31.18.77');
    expect(run.rootCause.mitigation).toMatchObject({ kind: 'restart', target: 'query-proxy' });
  });

  it('outranks the platform stop told as a failing dependency', async () => {
    const run = await runScenario(scenario('query-proxy', env('10.31.18.77', true)));
    expect(run.rootCause.category).toBe('configuration');
    expect(run.rootCause.summary).toMatch(/Stale routing/);
  });

  it('is a stale DNS resolution when the addresses were behind a name', async () => {
    const run = await runScenario(
      scenario('query-proxy', {
        ...env('10.20.11.87'),
        changes: [
          {
            timestamp: at(-22),
            source: 'cloudtrail',
            eventName: 'DeleteNetworkInterface',
            service: 'index-nodes',
            resource: 'eni-0c92d4a7f1e63b820 (10.20.11.87)',
            actor: 'elasticloadbalancing.amazonaws.com',
            summary:
              'Old load balancer node ENIs removed after DNS TTL (60s) elapsed; DNS now answers 10.20.11.203',
          },
        ],
      }),
    );
    expect(run.rootCause.category).toBe('network');
    expect(run.rootCause.summary).toMatch(/Stale DNS resolution/);
    expect(run.rootCause.mitigation).toMatchObject({ kind: 'restart', target: 'query-proxy' });
  });

  it('is not stale when the calls go to the replacement', async () => {
    const run = await runScenario(scenario('query-proxy', env('10.31.44.208')));
    expect(run.rootCause.summary).not.toMatch(/Stale routing/);
  });
});
