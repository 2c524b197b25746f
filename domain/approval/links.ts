/**
 * Signed, expiring approval links. Each link carries one decision for one request of one incident,
 * an expiry, the request's one-time token and an HMAC-SHA256 over all of them with a key only the
 * pipeline holds. Changing any part (the decision of a reject link, the expiry, the incident) breaks
 * the signature; the one-time token makes a used or superseded link worthless even with a valid one.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import * as z from 'zod';
import { ValidationError } from '../errors.js';
import { IncidentId } from '../flow/phase-io.js';
import type { SigningKeySource } from '../ports.js';

export const LINK_DECISIONS = ['approve', 'reject'] as const;
export type LinkDecision = (typeof LINK_DECISIONS)[number];

/** The query of an approval link, as parsed from the URL or the confirm form. */
export const LinkQuery = z.object({
  d: z.enum(LINK_DECISIONS),
  exp: z.string().regex(/^\d{10,11}$/, 'not an expiry'),
  n: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, 'not an approval token'),
  sig: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'not a signature'),
});
export type LinkQuery = z.infer<typeof LinkQuery>;

export interface LinkClaims {
  incidentId: string;
  decision: LinkDecision;
  /** Unix seconds. */
  expiresAt: number;
  /** The request's one-time approval token. */
  nonce: string;
}

/** RFC 2104: a key shorter than the hash's output (32 bytes for SHA-256) weakens the MAC. */
export const MIN_KEY_BYTES = 32;

function mac(key: Uint8Array, c: LinkClaims): Buffer {
  if (key.length < MIN_KEY_BYTES)
    throw new ValidationError(`the approval link key must be at least ${MIN_KEY_BYTES} bytes`);
  // Versioned and newline-separated: no field can contain a newline (ids, decisions, digits, base64url).
  return createHmac('sha256', key)
    .update(`firebreak-approval-v1\n${c.incidentId}\n${c.decision}\n${c.expiresAt}\n${c.nonce}`)
    .digest();
}

export function signLink(key: Uint8Array, claims: LinkClaims): string {
  return mac(key, claims).toString('base64url');
}

/** `https://…/approvals/<incident>?d=approve&exp=…&n=…&sig=…` */
export function approvalUrl(baseUrl: string, key: Uint8Array, claims: LinkClaims): string {
  const query = new URLSearchParams({
    d: claims.decision,
    exp: String(claims.expiresAt),
    n: claims.nonce,
    sig: signLink(key, claims),
  });
  return `${baseUrl.replace(/\/+$/, '')}/approvals/${encodeURIComponent(claims.incidentId)}?${query}`;
}

/** Both links of one request, expiring together. */
export async function approvalLinks(
  settings: { baseUrl: string; keys: SigningKeySource },
  incidentId: string,
  nonce: string,
  expiresAt: string,
): Promise<{ approve: string; reject: string }> {
  const key = await settings.keys.key();
  const exp = Math.floor(new Date(expiresAt).getTime() / 1000);
  const claims = { incidentId, nonce, expiresAt: exp };
  return {
    approve: approvalUrl(settings.baseUrl, key, { ...claims, decision: 'approve' }),
    reject: approvalUrl(settings.baseUrl, key, { ...claims, decision: 'reject' }),
  };
}

export type LinkVerdict =
  | { ok: true; claims: LinkClaims }
  | { ok: false; code: 'malformed' | 'forged' | 'expired'; message: string };

/**
 * Checks a link's signature first (a forged link learns nothing, not even whether it expired), then
 * its expiry. Touches no store: the caller checks the one-time token afterwards.
 */
export function verifyLink(key: Uint8Array, incidentId: string, query: unknown, now: Date): LinkVerdict {
  const id = IncidentId.safeParse(incidentId);
  const parsed = LinkQuery.safeParse(query);
  if (!id.success || !parsed.success) {
    return { ok: false, code: 'malformed', message: 'This is not a complete approval link.' };
  }
  const claims: LinkClaims = {
    incidentId: id.data,
    decision: parsed.data.d,
    expiresAt: Number(parsed.data.exp),
    nonce: parsed.data.n,
  };
  const expected = mac(key, claims);
  const given = Buffer.from(parsed.data.sig, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return {
      ok: false,
      code: 'forged',
      message: 'This approval link is not valid: its signature does not match.',
    };
  }
  if (claims.expiresAt * 1000 <= now.getTime()) {
    return {
      ok: false,
      code: 'expired',
      message: `This approval link expired at ${new Date(claims.expiresAt * 1000).toISOString()}.`,
    };
  }
  return { ok: true, claims };
}

/** A fixed key, for tests and local use. */
export const staticKey = (key: Uint8Array): SigningKeySource => ({ key: async () => key });
