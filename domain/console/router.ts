/**
 * The console over HTTP, the same in `firebreak serve` and in the console Lambda: a plain request in,
 * a page out. Reads go through the read model (view.ts); a decision goes through the approval path
 * every other channel uses (domain/approval/approval.ts, answered by the caller's `decide`); closing
 * and reviewing go through the CLI's own domain functions (actions.ts).
 *
 *   GET  <base>/                        incident list (filters, cursor; ?fragment=rows for live refresh)
 *   GET  <base>/api/incidents           the same page as JSON (only what the list shows)
 *   GET  <base>/incidents/<id>          incident page (?fragment=main for live refresh); 404 page if unknown
 *   POST <base>/incidents/<id>/decision approve or reject the pending mitigation (signed form)
 *   POST <base>/incidents/<id>/close    close an open incident as resolved (signed form)
 *   POST <base>/incidents/<id>/review   record the verdict on a closed incident's root cause (signed form)
 *   GET  <base>/assets/console.{css,js}
 */
import { ApprovalRefused, cleanActor, pendingApproval, type RefusalCode } from '../approval/approval.js';
import type { Clock } from '../clock.js';
import type { FirebreakConfig } from '../config.js';
import { ValidationError } from '../errors.js';
import type { IncidentMemory } from '../memory/port.js';
import type { Incident } from '../model.js';
import { describeAction } from '../notify/messages.js';
import type { IncidentStore } from '../ports.js';
import { actionForms, incidentAction } from './actions.js';
import { CONSOLE_CSS, CONSOLE_JS } from './assets.js';
import { requestRef, signForm, verifyForm } from './form-token.js';
import { type DecisionForms, incidentMain, incidentPage } from './incident-page.js';
import { type HttpResponse, messagePage, notFoundPage, respond } from './layout.js';
import { listPage, rowsFragment } from './list-page.js';
import { incidentIdFrom, incidentView, ListQuery, listIncidents } from './view.js';

export type { HttpResponse } from './layout.js';

export interface ConsoleRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** The decoded body (a form, urlencoded). */
  body: string;
}

export interface ConsoleDecision {
  approved: boolean;
  /** `console:<who>`. */
  actor: string;
  reason?: string;
}

/** A decision that was recorded but could not reach the waiting run; the message says what to do. */
export class DecisionNotDelivered extends Error {
  override name = 'DecisionNotDelivered';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface ConsoleDeps {
  /** Where the console is mounted: `/console`. */
  base: string;
  store: IncidentStore;
  clock: Clock;
  config: FirebreakConfig;
  memory?: IncidentMemory;
  /** Signs and checks decision forms. */
  formKey: () => Promise<Uint8Array>;
  /**
   * Records the decision and answers the waiting run, as the CLI and the links do; throws
   * ApprovalRefused (nothing changed) or DecisionNotDelivered (withdrawn). Returns what happened.
   */
  decide: (incidentId: string, decision: ConsoleDecision) => Promise<string>;
  /** Who is signed in (the token's subject, in AWS); without it the decision form asks for a name. */
  subject?: string;
  /**
   * Whether a live run is waiting for this decision and judges its expiry by its own clock (a local
   * run on a simulated clock); then the expiry check is the run's, as for `firebreak approve`.
   */
  awaitingDecision?: (incidentId: string) => Promise<boolean>;
  /**
   * What still drives an open incident (a live local run, a running execution), named; a close is
   * refused while there is one (domain/incidents/close-by-hand.ts).
   */
  drivenBy?: (incident: Incident) => Promise<string | undefined>;
}

/** How long a rendered decision form stays usable: a page left open is reloaded, not trusted. */
export const FORM_TTL_SECONDS = 30 * 60;

const REFUSAL: Record<RefusalCode | 'malformed' | 'forged', [number, string]> = {
  malformed: [400, 'Incomplete decision'],
  forged: [403, 'Decision refused'],
  none: [404, 'No approval pending'],
  used: [409, 'Already decided'],
  expired: [410, 'Approval expired'],
  superseded: [410, 'Approval replaced'],
};

const json = (statusCode: number, body: unknown): HttpResponse => ({
  statusCode,
  headers: {
    'content-type': 'application/json',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  },
  body: JSON.stringify(body),
});

/** An OIDC subject as an actor name: the characters cleanActor refuses become `_`. */
export const subjectName = (subject: string) => subject.replace(/[^A-Za-z0-9 ._@:+/-]/g, '_').slice(0, 72);

export async function handleConsoleRequest(req: ConsoleRequest, deps: ConsoleDeps): Promise<HttpResponse> {
  const { base } = deps;
  const who = deps.subject ? subjectName(deps.subject) : undefined;
  if (!req.path.startsWith(base)) return notFoundPage(base, 'page at this address', who);
  const path = req.path.slice(base.length) || '/';
  const method = req.method.toUpperCase();
  const incidentRoute = /^\/incidents\/([^/]{1,200})(?:\/(decision|close|review))?\/?$/.exec(path);
  if (method === 'POST' && incidentRoute) {
    const [, rawId, act] = incidentRoute;
    if (act === 'decision') return decide(rawId, req.body, deps, who);
    if (act === 'close' || act === 'review') return incidentAction(act, rawId, req.body, deps, who);
  }
  if (method !== 'GET' && method !== 'HEAD')
    return {
      ...messagePage(base, 405, 'Method not allowed', ['This address only reads.'], who),
      headers: { allow: 'GET' },
    };
  if (path === '/assets/console.css') return respond(200, CONSOLE_CSS, 'text/css; charset=utf-8');
  if (path === '/assets/console.js') return respond(200, CONSOLE_JS, 'text/javascript; charset=utf-8');
  const now = deps.clock.now();
  if (path === '/' || path === '/api/incidents') {
    const q = ListQuery.safeParse(req.query);
    if (!q.success) {
      const reason = q.error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`).join('; ');
      return path === '/'
        ? messagePage(base, 400, 'Bad filter', [reason.slice(0, 300)], who)
        : json(400, { error: 'bad-query', reason: reason.slice(0, 300) });
    }
    const page = await listIncidents(deps.store, q.data, deps.config, now);
    if (path === '/api/incidents') return json(200, { incidents: page.rows, next: page.next ?? null });
    return q.data.fragment === 'rows'
      ? respond(200, rowsFragment(base, page.rows))
      : respond(200, listPage(base, q.data, page, who));
  }
  if (incidentRoute && !incidentRoute[2]) {
    const id = incidentIdFrom(incidentRoute[1]);
    const waiting = id ? ((await deps.awaitingDecision?.(id)) ?? false) : false;
    const view = id
      ? await incidentView({ ...deps, memoryBounds: deps.config.memory }, id, now, { waiting })
      : undefined;
    if (!view || !id) return notFoundPage(base, 'incident with this id', who);
    const forms = view.pending?.open
      ? await decisionForms(deps, id, view.pending.record.tokenHash, now)
      : undefined;
    const actions = await actionForms(deps, view.incident, now, who);
    return req.query.fragment === 'main'
      ? respond(200, incidentMain(base, view, now, forms, actions))
      : respond(200, incidentPage(base, view, now, forms, who, actions));
  }
  return notFoundPage(base, 'page at this address', who);
}

async function decisionForms(
  deps: ConsoleDeps,
  incidentId: string,
  tokenHash: string,
  now: Date,
): Promise<DecisionForms> {
  const key = await deps.formKey();
  const claims = {
    incidentId,
    request: requestRef(tokenHash),
    expiresAt: Math.floor(now.getTime() / 1000) + FORM_TTL_SECONDS,
  };
  return {
    action: `${deps.base}/incidents/${incidentId}/decision`,
    approve: signForm(key, { ...claims, decision: 'approve' }),
    reject: signForm(key, { ...claims, decision: 'reject' }),
    subject: deps.subject ? subjectName(deps.subject) : undefined,
  };
}

async function decide(rawId: string, body: string, deps: ConsoleDeps, who?: string): Promise<HttpResponse> {
  const { base } = deps;
  const refuse = (code: keyof typeof REFUSAL, message: string) =>
    messagePage(
      base,
      REFUSAL[code][0],
      REFUSAL[code][1],
      [message, 'Nothing was approved, rejected or run.'],
      who,
    );
  const incidentId = incidentIdFrom(rawId);
  if (!incidentId) return notFoundPage(base, 'incident with this id', who);
  if (body.length > 8192) return refuse('malformed', 'The form is too large.');
  const fields = Object.fromEntries(new URLSearchParams(body));
  const verdict = verifyForm(await deps.formKey(), incidentId, fields, deps.clock.now());
  if (!verdict.ok) return refuse(verdict.code, verdict.message);
  let actor: string;
  try {
    actor = `console:${cleanActor(deps.subject ? subjectName(deps.subject) : (verdict.form.by ?? ''))}`;
  } catch (err) {
    if (err instanceof ValidationError)
      return refuse('malformed', `${err.message}. Go back and enter your name.`);
    throw err;
  }
  const approved = verdict.claims.decision === 'approve';
  try {
    // A waiting run judges expiry by its own clock (its gate refuses a late decision itself).
    const pending = (await deps.awaitingDecision?.(incidentId))
      ? await deps.store.getApprovalToken(incidentId)
      : await pendingApproval(deps, incidentId);
    if (!pending) throw new ApprovalRefused('none', `no approval is pending for ${incidentId}`);
    if (requestRef(pending.tokenHash) !== verdict.claims.request)
      throw new ApprovalRefused(
        'superseded',
        `this form belongs to an earlier approval request for ${incidentId}; reload the page`,
      );
    if (pending.usedAt)
      throw new ApprovalRefused(
        'used',
        `the approval for ${incidentId} was already decided at ${pending.usedAt}`,
      );
    const outcome = await deps.decide(incidentId, {
      approved,
      actor,
      reason: verdict.form.reason || undefined,
    });
    return messagePage(
      base,
      200,
      approved ? 'Approved' : 'Rejected',
      [
        `${approved ? 'Approved' : 'Rejected'} ${describeAction(pending.action)} for ${incidentId} as ${actor}.`,
        outcome,
      ],
      who,
    );
  } catch (err) {
    if (err instanceof ApprovalRefused) return refuse(err.code, `${err.message}.`);
    if (err instanceof DecisionNotDelivered)
      return messagePage(base, err.status, 'Not delivered', [err.message], who);
    throw err;
  }
}
