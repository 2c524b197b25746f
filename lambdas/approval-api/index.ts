/**
 * The approval endpoint behind the links in approval requests.
 *
 *   GET  /approvals/<incident>?d=approve|reject&exp=…&n=…&sig=…  → a confirm page (changes nothing:
 *        mail scanners and link previews open links, and must not approve anything)
 *   POST /approvals/<incident>  (the confirm form: the same fields plus `by`, optional `reason`)
 *        → records the decision once and answers the waiting Step Functions task
 *
 * A forged, malformed, expired, superseded or used link gets a page saying so, and nothing changes:
 * the signature is checked before the store is read, and the one-time token is consumed by a single
 * conditional write before the workflow is told.
 */
import * as z from 'zod';
import { isLateAnswer, REJECTED_ERROR } from '../../adapters/aws/sfn-answerer.js';
import {
  ApprovalRefused,
  cleanActor,
  decideApproval,
  pendingApproval,
  type RefusalCode,
  undoDecision,
} from '../../domain/approval/approval.js';
import { approvalBrief, blastRadiusOf } from '../../domain/approval/brief.js';
import { type LinkClaims, verifyLink } from '../../domain/approval/links.js';
import type { Clock } from '../../domain/clock.js';
import { ValidationError } from '../../domain/errors.js';
import { describeAction } from '../../domain/notify/messages.js';
import type { IncidentStore, SigningKeySource, TaskAnswerer } from '../../domain/ports.js';
import { confirmPage, decidedPage, type HttpResponse, refusedPage } from './pages.js';

export type { HttpResponse } from './pages.js';

export const ApprovalHttpRequest = z.object({
  method: z.string().min(1).max(10),
  path: z.string().max(512),
  query: z.record(z.string(), z.string()).default({}),
  /** The decoded body (the confirm form, urlencoded). */
  body: z.string().max(8192).default(''),
});
export type ApprovalHttpRequest = z.input<typeof ApprovalHttpRequest>;

export interface ApprovalApiDeps {
  store: IncidentStore;
  clock: Clock;
  keys: SigningKeySource;
  answerer: TaskAnswerer;
}

const ROUTE = /^\/approvals\/([A-Za-z0-9_-]{1,64})\/?$/;

const REFUSAL_STATUS: Record<RefusalCode | 'malformed' | 'forged', number> = {
  malformed: 400,
  forged: 403,
  none: 404,
  used: 409,
  expired: 410,
  superseded: 410,
};

const REFUSAL_TITLE: Record<RefusalCode | 'malformed' | 'forged', string> = {
  malformed: 'Incomplete approval link',
  forged: 'Invalid approval link',
  none: 'No approval pending',
  used: 'Already decided',
  expired: 'Approval link expired',
  superseded: 'Approval link replaced',
};

const refuse = (code: keyof typeof REFUSAL_STATUS, message: string) =>
  refusedPage(REFUSAL_STATUS[code], REFUSAL_TITLE[code], message);

export async function handleApprovalRequest(
  input: ApprovalHttpRequest,
  deps: ApprovalApiDeps,
): Promise<HttpResponse> {
  const parsed = ApprovalHttpRequest.safeParse(input);
  if (!parsed.success) return refuse('malformed', 'The request could not be read.');
  const req = parsed.data;
  const route = ROUTE.exec(req.path);
  if (!route) return refusedPage(404, 'Not found', 'There is nothing at this address.');
  const incidentId = route[1];
  const method = req.method.toUpperCase();
  if (method !== 'GET' && method !== 'POST') {
    return {
      ...refusedPage(405, 'Method not allowed', 'Open the link from your message.'),
      headers: { allow: 'GET, POST' },
    };
  }
  const fields = method === 'GET' ? req.query : Object.fromEntries(new URLSearchParams(req.body));
  const verdict = verifyLink(await deps.keys.key(), incidentId, fields, deps.clock.now());
  if (!verdict.ok) {
    return refuse(verdict.code, `${verdict.message} Ask on-call for a fresh request or use the CLI.`);
  }
  return method === 'GET'
    ? confirm(verdict.claims, req.path, fields, deps)
    : decide(verdict.claims, fields, deps);
}

async function confirm(
  claims: LinkClaims,
  path: string,
  fields: Record<string, string>,
  deps: ApprovalApiDeps,
): Promise<HttpResponse> {
  try {
    const pending = await pendingApproval(deps, claims.incidentId, { approvalToken: claims.nonce });
    const incident = await deps.store.get(claims.incidentId);
    return confirmPage({
      incidentId: claims.incidentId,
      title: incident?.title ?? '',
      severity: incident?.severity ?? '',
      decision: claims.decision,
      action: pending.action,
      expiresAt: pending.expiresAt,
      brief: incident
        ? approvalBrief(incident, pending.action, {
            preview: incident.mitigation?.detail || undefined,
            expiresAt: pending.expiresAt,
            blastRadius: blastRadiusOf(incident, await deps.store.timeline(incident.id)),
          })
        : undefined,
      path,
      fields: { d: fields.d, exp: fields.exp, n: fields.n, sig: fields.sig },
    });
  } catch (err) {
    if (err instanceof ApprovalRefused) return refuse(err.code, `${err.message}.`);
    throw err;
  }
}

async function decide(
  claims: LinkClaims,
  fields: Record<string, string>,
  deps: ApprovalApiDeps,
): Promise<HttpResponse> {
  let by: string;
  try {
    by = cleanActor(fields.by ?? '');
  } catch (err) {
    if (err instanceof ValidationError)
      return refuse('malformed', `${err.message}. Go back and enter your name.`);
    throw err;
  }
  const approved = claims.decision === 'approve';
  const actor = `link:${by}`;
  let decided: Awaited<ReturnType<typeof decideApproval>>;
  try {
    decided = await decideApproval(
      deps,
      claims.incidentId,
      { approved, actor, reason: fields.reason },
      { approvalToken: claims.nonce },
    );
  } catch (err) {
    if (err instanceof ApprovalRefused) return refuse(err.code, `${err.message}.`);
    throw err;
  }
  try {
    if (approved)
      await deps.answerer.approve(decided.taskToken, { approved: true, by: actor, at: decided.decidedAt });
    else
      await deps.answerer.reject(
        decided.taskToken,
        REJECTED_ERROR,
        `${actor} rejected ${describeAction(decided.action)}${fields.reason ? `: ${fields.reason.slice(0, 500)}` : ''}`,
      );
  } catch (err) {
    const late = isLateAnswer(err);
    await undoDecision(deps, await deps.store.get(claims.incidentId), decided.pending, {
      late,
      detail: `${(err as Error).name}: ${(err as Error).message}`,
    });
    return late
      ? refusedPage(
          410,
          'Too late',
          'The workflow stopped waiting for this decision before it arrived; it has escalated instead.',
        )
      : refusedPage(
          503,
          'Not delivered',
          'Your decision could not be delivered to the workflow and was withdrawn. Try again in a moment, or use the CLI.',
        );
  }
  return decidedPage(claims.decision, claims.incidentId, decided.action, by);
}
