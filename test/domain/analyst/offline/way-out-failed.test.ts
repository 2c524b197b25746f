/**
 * Two services that share nothing else time out on outside hosts together, and the instance both
 * route through (it does their NAT) reports its volume failing. The instance's failure is told as
 * what it is for them: their way out is cut, and traffic moves around it. When only one service
 * calls the failing instance, its failure stays its own story.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const env = (bothBehindIt: boolean): Partial<Scenario['environment']> => ({
  services: [
    api('ticket-app', ['egress-box']),
    api('mail-poller', bothBehindIt ? ['egress-box'] : []),
    api('egress-box', [], { userFacing: false }),
  ],
  metrics: [
    {
      namespace: 'AWS/EC2',
      metricName: 'NetworkOut',
      service: 'egress-box',
      dimensions: { InstanceId: 'i-0f4c2a91d7e3b8a15' },
      points: stepPoints(600_000_000, 150_000, -12, 20_000_000),
    },
  ],
  logs: [
    {
      service: 'egress-box',
      timestamp: at(-13),
      level: 'ERROR',
      count: 4,
      message:
        '[5123465.337902] blk_update_request: I/O error, dev nvme0n1, sector 18345216 op 0x1:(WRITE) flags 0x800',
    },
    {
      service: 'ticket-app',
      timestamp: at(-12),
      level: 'ERROR',
      count: 1870,
      message:
        'GET https://tracker.example.net/rest/api/3/project/search failed after 10002 ms: java.net.SocketTimeoutException: Connect timed out',
    },
    {
      service: 'mail-poller',
      timestamp: at(-11),
      level: 'ERROR',
      count: 1290,
      message:
        'Poll failed for mailbox 77120 (imap.example-mail.com:993): java.net.SocketTimeoutException: connect timed out',
    },
  ],
});

describe('the instance two cut-off services route through, failing', () => {
  it('is their way out failing: network, routed around', async () => {
    const run = await runScenario(scenario('ticket-app', env(true)));
    expect(run.rootCause.category).toBe('network');
    expect(run.rootCause.summary).toContain('egress-box');
    expect(run.rootCause.mitigation).toMatchObject({ kind: 'failover', target: 'egress-box' });
  });

  it('stays its own failure when only one of them calls it', async () => {
    const run = await runScenario(scenario('ticket-app', env(false)));
    expect(run.rootCause.summary).not.toMatch(/their way out/);
  });
});
