import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  GRAFANA_SIGNATURE,
  GRAFANA_TIMESTAMP,
  presentedToken,
  verifyGrafanaHmac,
  verifyPagerDuty,
  verifyToken,
} from '../../../domain/alerts/signature.js';
import { fixtureText } from '../../lambdas/ingest/fixtures.js';

const body = fixtureText('pagerduty-triggered');
const secret = 'pd-secret-0123456789abcdef';
const sign = (key: string, msg: string) => createHmac('sha256', key).update(msg).digest('hex');

describe('PagerDuty X-PagerDuty-Signature', () => {
  it('accepts the HMAC-SHA256 of the raw body', () => {
    expect(verifyPagerDuty(body, `v1=${sign(secret, body)}`, [secret])).toEqual({
      ok: true,
      method: 'pagerduty-v1',
    });
  });

  it('accepts any matching signature of a comma-separated list, and any configured secret (rotation)', () => {
    const header = `v1=${sign('an-old-secret-000000', body)}, v1=${sign(secret, body)}`;
    expect(verifyPagerDuty(body, header, ['another-secret-1111111', secret]).ok).toBe(true);
  });

  it('refuses a signature over different bytes, a wrong secret, a missing or malformed header', () => {
    const reformatted = JSON.stringify(JSON.parse(body));
    expect(verifyPagerDuty(reformatted, `v1=${sign(secret, body)}`, [secret])).toMatchObject({
      ok: false,
      reason: 'bad-signature',
    });
    expect(verifyPagerDuty(body, `v1=${sign('wrong-secret-00000000', body)}`, [secret]).ok).toBe(false);
    expect(verifyPagerDuty(body, undefined, [secret])).toMatchObject({ reason: 'missing-signature' });
    expect(verifyPagerDuty(body, '  ', [secret])).toMatchObject({ reason: 'missing-signature' });
    expect(verifyPagerDuty(body, `v0=${sign(secret, body)}`, [secret])).toMatchObject({
      reason: 'bad-signature',
    });
    expect(verifyPagerDuty(body, 'v1=zz-not-hex', [secret])).toMatchObject({ reason: 'bad-signature' });
    expect(verifyPagerDuty(body, `v1=${sign(secret, body).slice(0, 40)}`, [secret]).ok).toBe(false);
  });
});

describe('Grafana HMAC', () => {
  const now = new Date('2026-11-20T10:00:00Z');
  const ts = String(now.getTime() / 1000);

  it('accepts the HMAC of the body, or of timestamp:body within five minutes', () => {
    expect(verifyGrafanaHmac(body, { [GRAFANA_SIGNATURE]: sign(secret, body) }, [secret], now).ok).toBe(true);
    const headers = { [GRAFANA_SIGNATURE]: sign(secret, `${ts}:${body}`), [GRAFANA_TIMESTAMP]: ts };
    expect(verifyGrafanaHmac(body, headers, [secret], now).ok).toBe(true);
  });

  it('refuses a stale timestamp and a signature that ignores the timestamp', () => {
    const old = String(now.getTime() / 1000 - 600);
    expect(
      verifyGrafanaHmac(
        body,
        { [GRAFANA_SIGNATURE]: sign(secret, `${old}:${body}`), [GRAFANA_TIMESTAMP]: old },
        [secret],
        now,
      ),
    ).toMatchObject({ ok: false, reason: 'stale-signature' });
    expect(
      verifyGrafanaHmac(
        body,
        { [GRAFANA_SIGNATURE]: sign(secret, body), [GRAFANA_TIMESTAMP]: ts },
        [secret],
        now,
      ),
    ).toMatchObject({ ok: false, reason: 'bad-signature' });
  });
});

describe('shared tokens (Alertmanager, Grafana, SNS over HTTPS)', () => {
  const token = 'am-token-abcdefghijklmnop';
  const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;

  it('reads Bearer credentials and the password of Basic auth', () => {
    expect(presentedToken(`Bearer ${token}`)).toBe(token);
    expect(presentedToken(basic('alertmanager', token))).toBe(token);
    expect(presentedToken('Digest abc')).toBeUndefined();
    expect(presentedToken(basic('only-user', ''))).toBeUndefined();
  });

  it('accepts a configured token and refuses others', () => {
    expect(verifyToken(`Bearer ${token}`, [token]).ok).toBe(true);
    expect(verifyToken(basic('sns', token), ['old-token-zzzzzzzzzzzz', token]).ok).toBe(true);
    expect(verifyToken(`Bearer ${token}x`, [token])).toMatchObject({ ok: false, reason: 'bad-token' });
    expect(verifyToken(undefined, [token])).toMatchObject({ ok: false, reason: 'missing-token' });
  });
});
