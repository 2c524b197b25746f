/**
 * Two of our services with nothing in common start timing out on outside hosts in the same
 * minutes, none of them changed: each one's backlog looks like its own capacity problem, but what
 * they share is the way out, the catalog's Direct Connect link. One service timing out alone is its own
 * story; a detector's report of what it did not see (no DDoS, inbound traffic that fell away) is
 * no attack.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { reportsAbsence } from '../../../../domain/analyst/offline/evidence/security.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const env = (fetcherTimesOut: boolean): Partial<Scenario['environment']> => ({
  services: [api('mail-relay'), api('mail-fetch'), api('egress-transit')],
  metrics: [
    // The transit link is known as the way out by what measures it, not by its name.
    {
      namespace: 'AWS/DX',
      metricName: 'ConnectionState',
      service: 'egress-transit',
      points: stepPoints(1, 1, -30, 0),
    },
    {
      namespace: 'Postfix',
      metricName: 'DeferredQueueSize',
      service: 'mail-relay',
      points: stepPoints(2100, 40_000, -30, 50),
    },
  ],
  logs: [
    {
      service: 'mail-relay',
      timestamp: at(-29),
      level: 'WARN',
      count: 52_000,
      message:
        'postfix/smtp[21873]: 4F1A2C3B9D: to=<ivana@mail.example-isp.net>, relay=none, delay=1310, status=deferred (connect to mx1.mail.example-isp.net[192.0.2.25]:25: Connection timed out)',
    },
    fetcherTimesOut
      ? {
          service: 'mail-fetch',
          timestamp: at(-27),
          level: 'WARN',
          count: 2800,
          message:
            'fetch disabled for account u_81f2c0 after 10 consecutive failures: pop.example-isp.net:995 connect timed out',
        }
      : {
          service: 'mail-fetch',
          timestamp: at(-27),
          level: 'INFO',
          count: 2800,
          message: 'fetched 14 messages for account u_81f2c0',
        },
  ],
  securityEvents: [
    {
      timestamp: at(-25),
      kind: 'shield-advanced',
      source: 'AWS Shield Advanced',
      count: 0,
      detail: 'No DDoS event detected on mail-relay EIPs',
    },
    {
      timestamp: at(-26),
      kind: 'abuse-anomaly',
      source: 'abuse-desk',
      count: 1,
      detail: 'Inbound SMTP connection rate from AS64511 fell to zero; flagged as possible blocklisting',
    },
  ],
});

const run = (fetcherTimesOut: boolean) =>
  runScenario(scenario('mail-relay', env(fetcherTimesOut), 'mail to some providers is stuck in the queue'));

describe('outbound connections lost by several services at once', () => {
  it('leads to the path they share out, not to scaling one of them', async () => {
    const { rootCause } = await run(true);
    expect(rootCause.category).toBe('network');
    expect(rootCause.culprit).toBe('egress-transit');
    expect(rootCause.mitigation?.kind).not.toBe('scale');
  });

  it('is not concluded from one service timing out alone', async () => {
    const { rootCause } = await run(false);
    expect(rootCause.culprit).not.toBe('egress-transit');
  });
});

describe('reportsAbsence', () => {
  const signal = (count: number, detail: string) => ({ id: 's', kind: 'k', at: at(0), count, detail });
  it('is true of zero events and of traffic that fell away', () => {
    expect(reportsAbsence(signal(0, 'No DDoS event detected'))).toBe(true);
    expect(reportsAbsence(signal(1, 'Inbound connections from AS64511 fell to zero'))).toBe(true);
  });
  it('is false of a finding that saw something', () => {
    expect(reportsAbsence(signal(3, 'UnauthorizedAccess:IAMUser/TorIPCaller from 185.220.101.47'))).toBe(
      false,
    );
  });
});

/**
 * Two services that share only their resolver fail to look up hosts together; the resolver's own
 * process died. The way out they share has a name, and it is what to restart.
 */
const resolverEnv = (crashed: boolean): Partial<Scenario['environment']> => ({
  services: [
    api('login-api', ['dns-cache']),
    api('step-runner', ['dns-cache']),
    { name: 'dns-cache', tier: 'critical', owner: 'platform' },
  ],
  metrics: [
    {
      namespace: 'AWS/EC2',
      metricName: 'NetworkPacketsOut',
      service: 'dns-cache',
      dimensions: { InstanceId: 'i-0d1' },
      points: stepPoints(95_000, crashed ? 1_300 : 95_000, -31, 2_000),
    },
  ],
  logs: [
    ...(crashed
      ? [
          {
            service: 'dns-cache',
            timestamp: at(-31),
            level: 'CRITICAL',
            message: 'general: critical: resolver.c:4987: INSIST(fctx->state != fetchstate_done) failed',
          },
          {
            service: 'dns-cache',
            timestamp: at(-31),
            level: 'ERROR',
            message: 'systemd[1]: named.service: Main process exited, code=killed, status=6/ABRT',
          },
        ]
      : []),
    {
      service: 'login-api',
      timestamp: at(-28),
      level: 'ERROR',
      count: 6_000,
      message: 'upstream request failed: getaddrinfo EAI_AGAIN api50.prv.example.internal',
    },
    {
      service: 'step-runner',
      timestamp: at(-25),
      level: 'ERROR',
      count: 21_000,
      message: 'step failed, will retry: getaddrinfo EAI_AGAIN smtp-relay.prv.example.internal',
    },
  ],
});

describe('lookups failing in several services that share a resolver', () => {
  it('name the resolver whose process died, restarted', async () => {
    const { rootCause } = await runScenario(scenario('login-api', resolverEnv(true)));
    expect(rootCause.culprit).toBe('dns-cache');
    expect(rootCause.mitigation).toMatchObject({ kind: 'restart', target: 'dns-cache' });
  });

  it('do not blame a resolver that shows nothing of its own', async () => {
    const { rootCause } = await runScenario(scenario('login-api', resolverEnv(false)));
    expect(rootCause.mitigation?.target).not.toBe('dns-cache');
  });
});
