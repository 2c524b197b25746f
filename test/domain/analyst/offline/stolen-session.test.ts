/**
 * An application's own session in someone else's hands: an admin's token, issued to one address,
 * used from another. Its sessions are revoked (the account named in a form an action takes). A
 * WAF rule in count mode that matched injected script let it through: that is no block at the
 * edge. A count-mode rate rule is still only a count of requests.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { securityPattern } from '../../../../domain/analyst/offline/evidence/security.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const XSS_COUNTED = {
  timestamp: at(-90),
  kind: 'waf-count',
  source: 'aws-wafv2:forum-edge',
  count: 14,
  detail:
    'CrossSiteScripting_BODY (count mode, not blocking) matched POST /api/v3/comment from 198.51.100.212',
};
const HIJACK = {
  timestamp: at(-30),
  kind: 'session-anomaly',
  source: 'forum-backend',
  count: 11,
  detail:
    'Admin person_id=2 JWT (issued 03:36 to 203.0.113.8) used from 185.220.101.47 with python-requests/2.31.0',
};

const env = (hijacked: boolean): Partial<Scenario['environment']> => ({
  services: [api('forum-web', ['forum-backend']), api('forum-backend')],
  metrics: [
    {
      namespace: 'Forum/API',
      metricName: 'AdminActions',
      service: 'forum-backend',
      points: stepPoints(0, 9, -30, 0),
    },
  ],
  securityEvents: hijacked ? [XSS_COUNTED, HIJACK] : [XSS_COUNTED],
});

const conclude = async (hijacked: boolean) =>
  (await runScenario(scenario('forum-web', env(hijacked), 'site settings changed by an admin account')))
    .rootCause;

describe("an admin's session used from another address", () => {
  it("is the account's credentials in someone else's hands: its sessions are revoked", async () => {
    const rc = await conclude(true);
    expect(rc.category).toBe('security');
    expect(rc.mitigation).toMatchObject({ kind: 'rotate-credentials', params: { principal: 'person_id:2' } });
  });

  it('is not concluded from the injection attempt alone', async () => {
    const rc = await conclude(false);
    expect(rc.mitigation?.kind).not.toBe('rotate-credentials');
  });
});

describe('a WAF rule in count mode', () => {
  const signal = (detail: string) => ({ id: 's', kind: 'waf-count', at: at(0), count: 5, detail });
  it('that matched injected script let it through: no block', () => {
    expect(securityPattern(signal(XSS_COUNTED.detail))).not.toBe('waf-blocks');
  });
  it('that counted a rate of requests is still only a count at the edge', () => {
    expect(securityPattern(signal('register-rate-per-ip (count mode) matched 1,240 client IPs'))).toBe(
      'waf-blocks',
    );
  });
});
