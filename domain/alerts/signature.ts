/**
 * Who sent a webhook. Every check runs on the raw body before it is parsed, compares in constant
 * time, and accepts any of several secrets so a secret can be rotated without dropping alerts.
 *
 * - PagerDuty V3: `X-PagerDuty-Signature: v1=<hex HMAC-SHA256(secret, raw body)>[, v1=<hex>…]`.
 * - Grafana: `X-Grafana-Alerting-Signature: <hex HMAC-SHA256(secret, [timestamp ":"] raw body)>`,
 *   with the optional `X-Grafana-Alerting-Signature-Timestamp` (Unix seconds) checked against a
 *   5-minute window; or a shared token as below.
 * - Alertmanager and SNS over HTTPS: a shared token, as `Authorization: Bearer <token>` or
 *   HTTP Basic auth with the token as the password (Alertmanager's `authorization`/`basic_auth`,
 *   SNS's `https://user:token@host/…` subscription URL).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export type AuthFailure =
  | 'missing-signature'
  | 'bad-signature'
  | 'stale-signature'
  | 'missing-token'
  | 'bad-token';
export type AuthResult = { ok: true; method: string } | { ok: false; reason: AuthFailure; detail: string };

const hmacHex = (secret: string, body: Buffer | string): Buffer =>
  createHmac('sha256', secret).update(body).digest();

/** Constant-time equality of a hex signature and a digest; false for anything that is not hex of that length. */
function sameDigest(hexCandidate: string, digest: Buffer): boolean {
  if (!/^[0-9a-fA-F]+$/.test(hexCandidate) || hexCandidate.length !== digest.length * 2) return false;
  return timingSafeEqual(Buffer.from(hexCandidate, 'hex'), digest);
}

/** Constant-time equality of two secrets of any length (both are hashed to equal length first). */
export function sameSecret(candidate: string, secret: string): boolean {
  const a = createHash('sha256').update(candidate).digest();
  const b = createHash('sha256').update(secret).digest();
  return timingSafeEqual(a, b);
}

/** PagerDuty V3: any `v1=` signature in the header made with any of the secrets. */
export function verifyPagerDuty(
  rawBody: Buffer | string,
  header: string | undefined,
  secrets: string[],
): AuthResult {
  if (!header?.trim())
    return { ok: false, reason: 'missing-signature', detail: 'no X-PagerDuty-Signature header' };
  const candidates = header
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.startsWith('v1='))
    .map((s) => s.slice(3));
  if (!candidates.length)
    return { ok: false, reason: 'bad-signature', detail: 'X-PagerDuty-Signature has no v1= signature' };
  const digests = secrets.map((secret) => hmacHex(secret, rawBody));
  // Every pair is compared, match or not, so timing says nothing about which one matched.
  let matched = false;
  for (const c of candidates) for (const d of digests) matched = sameDigest(c, d) || matched;
  return matched
    ? { ok: true, method: 'pagerduty-v1' }
    : { ok: false, reason: 'bad-signature', detail: 'X-PagerDuty-Signature matches no configured secret' };
}

export const GRAFANA_SIGNATURE = 'x-grafana-alerting-signature';
export const GRAFANA_TIMESTAMP = 'x-grafana-alerting-signature-timestamp';
const MAX_SKEW_SECONDS = 300;

/** Grafana's HMAC header, over `timestamp:body` when a timestamp header is sent, else over the body. */
export function verifyGrafanaHmac(
  rawBody: Buffer | string,
  headers: Record<string, string | undefined>,
  secrets: string[],
  now: Date,
): AuthResult {
  const signature = headers[GRAFANA_SIGNATURE]?.trim();
  if (!signature) return { ok: false, reason: 'missing-signature', detail: `no ${GRAFANA_SIGNATURE} header` };
  const timestamp = headers[GRAFANA_TIMESTAMP]?.trim();
  let signed: Buffer | string = rawBody;
  if (timestamp) {
    const seconds = Number(timestamp);
    if (!Number.isFinite(seconds) || Math.abs(now.getTime() / 1000 - seconds) > MAX_SKEW_SECONDS) {
      return {
        ok: false,
        reason: 'stale-signature',
        detail: `${GRAFANA_TIMESTAMP} is not within 5 minutes of now`,
      };
    }
    signed = Buffer.concat([Buffer.from(`${timestamp}:`), Buffer.from(rawBody)]);
  }
  let matched = false;
  for (const secret of secrets) matched = sameDigest(signature, hmacHex(secret, signed)) || matched;
  return matched
    ? { ok: true, method: 'grafana-hmac' }
    : { ok: false, reason: 'bad-signature', detail: `${GRAFANA_SIGNATURE} matches no configured secret` };
}

/** The token a request presents: the Bearer credentials, or the password of Basic auth. */
export function presentedToken(authorization: string | undefined): string | undefined {
  const value = authorization?.trim();
  if (!value) return undefined;
  const [scheme, ...rest] = value.split(/\s+/);
  const credentials = rest.join(' ');
  if (/^bearer$/i.test(scheme)) return credentials || undefined;
  if (/^basic$/i.test(scheme)) {
    const decoded = Buffer.from(credentials, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon >= 0 ? decoded.slice(colon + 1) || undefined : undefined;
  }
  return undefined;
}

export function verifyToken(authorization: string | undefined, secrets: string[]): AuthResult {
  const token = presentedToken(authorization);
  if (!token) {
    return {
      ok: false,
      reason: 'missing-token',
      detail: 'no Authorization: Bearer <token> or Basic credentials',
    };
  }
  let matched = false;
  for (const secret of secrets) matched = sameSecret(token, secret) || matched;
  return matched
    ? { ok: true, method: 'token' }
    : { ok: false, reason: 'bad-token', detail: 'the token matches no configured secret' };
}
