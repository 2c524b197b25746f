/**
 * The console's decision forms are signed: each carries the incident, the decision, the approval
 * request it was rendered for (the hash of its one-time token, never the token) and an expiry, with
 * an HMAC-SHA256 under a key only the server holds. A form someone else built (a forged request from
 * another site, an edited decision, another incident) fails the signature and changes nothing; one
 * rendered for an earlier request no longer matches the pending one.
 *
 * The close and review forms are signed the same way over the incident, the action and an expiry
 * (under their own prefix, so neither kind of signature passes as the other): one rendered for
 * another incident, or posted to the other action, fails the signature.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import * as z from 'zod';

export const DecisionForm = z.object({
  d: z.enum(['approve', 'reject']),
  req: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/),
  exp: z.string().regex(/^\d{10,11}$/),
  sig: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  by: z.string().max(200).optional(),
  reason: z.string().max(500).optional(),
});
export type DecisionForm = z.infer<typeof DecisionForm>;

export interface FormClaims {
  incidentId: string;
  decision: 'approve' | 'reject';
  /** A digest of the pending request's token hash: binds the form to that one request. */
  request: string;
  /** Unix seconds. */
  expiresAt: number;
}

/** The request a form names, from the stored token hash (shortened: it only has to differ). */
export const requestRef = (tokenHash: string) =>
  createHash('sha256').update(`console-request\n${tokenHash}`).digest('base64url').slice(0, 32);

const mac = (key: Uint8Array, c: FormClaims) =>
  createHmac('sha256', key)
    .update(`firebreak-console-v1\n${c.incidentId}\n${c.decision}\n${c.request}\n${c.expiresAt}`)
    .digest();

export function signForm(key: Uint8Array, claims: FormClaims): Record<string, string> {
  return {
    d: claims.decision,
    req: claims.request,
    exp: String(claims.expiresAt),
    sig: mac(key, claims).toString('base64url'),
  };
}

export type FormVerdict =
  | { ok: true; claims: FormClaims; form: DecisionForm }
  | { ok: false; code: 'malformed' | 'forged' | 'expired'; message: string };

/** Signature first (a forged form learns nothing), then expiry. Reads no store. */
export function verifyForm(key: Uint8Array, incidentId: string, fields: unknown, now: Date): FormVerdict {
  const parsed = DecisionForm.safeParse(fields);
  if (!parsed.success) return { ok: false, code: 'malformed', message: 'The decision form is incomplete.' };
  const f = parsed.data;
  const claims: FormClaims = { incidentId, decision: f.d, request: f.req, expiresAt: Number(f.exp) };
  const expected = mac(key, claims);
  const given = Buffer.from(f.sig, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, code: 'forged', message: 'This decision form was not issued by this console.' };
  if (claims.expiresAt * 1000 <= now.getTime())
    return {
      ok: false,
      code: 'expired',
      message: `This decision form expired at ${new Date(claims.expiresAt * 1000).toISOString()}.`,
    };
  return { ok: true, claims, form: f };
}

/** What a person may do to an incident from its page besides deciding an approval. */
export const INCIDENT_ACTIONS = ['close', 'review'] as const;
export type IncidentAction = (typeof INCIDENT_ACTIONS)[number];

export interface ActionClaims {
  incidentId: string;
  action: IncidentAction;
  /** Unix seconds. */
  expiresAt: number;
}

/** The signed fields of a close or review form; the person's own fields are checked by the action. */
export const ActionToken = z.object({
  exp: z.string().regex(/^\d{10,11}$/),
  sig: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
});

const actionMac = (key: Uint8Array, c: ActionClaims) =>
  createHmac('sha256', key)
    .update(`firebreak-console-action-v1\n${c.incidentId}\n${c.action}\n${c.expiresAt}`)
    .digest();

export function signAction(key: Uint8Array, claims: ActionClaims): Record<string, string> {
  return { exp: String(claims.expiresAt), sig: actionMac(key, claims).toString('base64url') };
}

export type ActionVerdict =
  | { ok: true; claims: ActionClaims }
  | { ok: false; code: 'malformed' | 'forged' | 'expired'; message: string };

/** As verifyForm: signature first, then expiry; the incident and action come from the address. */
export function verifyAction(
  key: Uint8Array,
  incidentId: string,
  action: IncidentAction,
  fields: unknown,
  now: Date,
): ActionVerdict {
  const parsed = ActionToken.safeParse(fields);
  if (!parsed.success) return { ok: false, code: 'malformed', message: `The ${action} form is incomplete.` };
  const claims: ActionClaims = { incidentId, action, expiresAt: Number(parsed.data.exp) };
  const expected = actionMac(key, claims);
  const given = Buffer.from(parsed.data.sig, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return {
      ok: false,
      code: 'forged',
      message: `This ${action} form was not issued by this console for ${incidentId}.`,
    };
  if (claims.expiresAt * 1000 <= now.getTime())
    return {
      ok: false,
      code: 'expired',
      message: `This ${action} form expired at ${new Date(claims.expiresAt * 1000).toISOString()}; reload the page.`,
    };
  return { ok: true, claims };
}
