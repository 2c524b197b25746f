/**
 * What they all stand on: the store the alarming service lost, and another service, both stand on
 * one file server whose own throughput fell to nothing in the same minute: the file server is the
 * cause. Without the second service failing, or when the store shows a known cause of its own, the
 * story stays with the store.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

type Env = Partial<Scenario['environment']>;
type Log = NonNullable<Env['logs']>[number];

const storm = (opts: { neighbour: boolean; ownCause?: boolean }): Env => ({
  services: [
    api('mail-proxy', ['mailbox-store']),
    { name: 'mailbox-store', tier: 'critical' as const, owner: 'mail', dependsOn: ['file-server'] },
    { name: 'vpn-gateway', tier: 'internal' as const, owner: 'it', dependsOn: ['file-server'] },
    { name: 'file-server', tier: 'critical' as const, owner: 'storage' },
  ],
  metrics: [
    {
      namespace: 'AWS/FSx',
      metricName: 'DataReadOperations',
      service: 'file-server',
      points: stepPoints(6_000, 0, -10, 300),
    },
  ],
  logs: [
    {
      service: 'mail-proxy',
      timestamp: at(-9),
      level: 'ERROR',
      count: 8_000,
      message:
        'imap-login: Error: proxy: Login for mailbox-store-11:143 timed out in state=banner (after 30 secs)',
    },
    ...(opts.ownCause
      ? [
          {
            service: 'mailbox-store',
            timestamp: at(-10),
            level: 'ERROR',
            count: 300,
            message: 'dovecot: Error: write(/var/mail/index) failed: No space left on device',
          } satisfies Log,
        ]
      : []),
    ...(opts.neighbour
      ? [
          {
            service: 'vpn-gateway',
            timestamp: at(-8),
            level: 'ERROR',
            count: 40,
            message: 'openvpn: Cannot open file /etc/openvpn/ccd/client: Input/output error',
          } satisfies Log,
        ]
      : []),
  ],
});

const conclude = async (e: Env) => (await runScenario(scenario('mail-proxy', e))).rootCause;

describe('a dependency lost with its neighbours', () => {
  it('blames what they all stand on', async () => {
    const rc = await conclude(storm({ neighbour: true }));
    expect(rc.category).toBe('dependency');
    expect(rc.culprit).toBe('file-server');
  });

  it('stays with the lost dependency when nothing else standing there failed', async () => {
    const rc = await conclude(storm({ neighbour: false }));
    expect(rc.culprit).not.toBe('file-server');
  });

  it('stays with the lost dependency when it shows a known cause of its own', async () => {
    const rc = await conclude(storm({ neighbour: true, ownCause: true }));
    expect(rc.culprit).toBe('mailbox-store');
  });
});
