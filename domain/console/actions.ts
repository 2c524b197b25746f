/**
 * Closing and reviewing an incident from its page: the forms (signed by form-token.ts for this
 * incident and this action, with an expiry) and what a posted form does. Both go through the same
 * domain functions as `firebreak incidents close` and `firebreak review`, named `console:<who>`.
 *
 *   POST <base>/incidents/<id>/close    reason              → closeIncident, status RESOLVED
 *   POST <base>/incidents/<id>/review   verdict, category?, culprit?, cause? → reviewIncident
 *
 * A refused form (forged, expired, bad input, wrong state) gets a page saying why, and nothing is
 * written; a done one redirects (303) back to the incident page, which shows the result.
 */
import { cleanActor } from '../approval/approval.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import { closeIncident } from '../incidents/close-by-hand.js';
import { Verdict } from '../memory/records.js';
import { reviewIncident } from '../memory/review.js';
import { CATEGORIES, type Incident, OPEN_STATUSES } from '../model.js';
import { type IncidentAction, signAction, verifyAction } from './form-token.js';
import { type Html, html } from './html.js';
import { HTML_HEADERS, type HttpResponse, messagePage, notFoundPage } from './layout.js';
import type { ConsoleDeps } from './router.js';
import { incidentIdFrom } from './view.js';

/** How long a rendered close or review form stays usable (as the decision forms). */
export const ACTION_FORM_TTL_SECONDS = 30 * 60;
export const REASON_MAX = 2000;

/** The signed fields of each form the incident's state allows, and who is signed in. */
export interface ActionForms {
  close?: { action: string; fields: Record<string, string> };
  review?: { action: string; fields: Record<string, string> };
  subject?: string;
}

/** Close while open; review once closed, when there is a root cause to judge. */
export async function actionForms(
  deps: Pick<ConsoleDeps, 'base' | 'formKey'>,
  incident: Incident,
  now: Date,
  subject?: string,
): Promise<ActionForms> {
  const key = await deps.formKey();
  const expiresAt = Math.floor(now.getTime() / 1000) + ACTION_FORM_TTL_SECONDS;
  const form = (action: IncidentAction) => ({
    action: `${deps.base}/incidents/${incident.id}/${action}`,
    fields: signAction(key, { incidentId: incident.id, action, expiresAt }),
  });
  const open = OPEN_STATUSES.includes(incident.status);
  return {
    ...(open ? { close: form('close') } : {}),
    ...(!open && incident.rootCause ? { review: form('review') } : {}),
    subject,
  };
}

const hidden = (fields: Record<string, string>) =>
  html`${Object.entries(fields).map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`)}`;

const nameField = (forms: ActionForms, verb: string) =>
  forms.subject
    ? html`<p class="muted">${verb} as <strong>${forms.subject}</strong> (your sign-in).</p>`
    : html`<label>Your name (goes on the timeline)<input name="by" required maxlength="80" autocomplete="name"></label>`;

/** The close form, while the incident is open. */
export function closeSection(forms?: ActionForms): Html {
  if (!forms?.close) return html``;
  return html`<h2 id="close">Close</h2>
<form class="close" method="post" action="${forms.close.action}">${hidden(forms.close.fields)}${nameField(forms, 'Closed')}
<label>Why it is closed (goes on the timeline)<textarea name="reason" required maxlength="${REASON_MAX}" rows="2"></textarea></label>
<p class="muted">Closes the incident as RESOLVED. Refused while a run still responds to it.</p><button type="submit" id="close-incident">Close as resolved</button></form>`;
}

/** The review already recorded, and the review form once the incident is closed. */
export function reviewSection(incident: Incident, forms?: ActionForms): Html {
  const r = incident.review;
  if (!r && !forms?.review) return html``;
  const recorded = r
    ? html`<p id="review"><strong>${r.verdict}</strong> (${r.score}/100) by ${r.by} at ${r.at.slice(0, 16).replace('T', ' ')} UTC${r.confirmed ? html`; confirmed ${r.confirmed.category}${r.confirmed.culprit ? ` (${r.confirmed.culprit})` : ''}${r.confirmed.summary ? `: ${r.confirmed.summary}` : ''}` : ''}</p>`
    : '';
  const rc = incident.rootCause;
  const form = forms?.review
    ? html`<form class="review" method="post" action="${forms.review.action}">${hidden(forms.review.fields)}${nameField(forms, 'Reviewed')}
<label>The analyst's cause was<select name="verdict" required><option value="">choose…</option>${Verdict.options.map((v) => html`<option value="${v}">${v}</option>`)}</select></label>
<label>Confirmed category (optional)<select name="category"><option value="">${rc ? `as the analyst said (${rc.category})` : 'none'}</option>${CATEGORIES.map((c) => html`<option value="${c}">${c}</option>`)}</select></label>
<label>Culprit (optional)<input name="culprit" maxlength="200"></label>
<label>Cause in a sentence (optional)<textarea name="cause" maxlength="500" rows="2"></textarea></label>
<button type="submit" id="review-incident">${r ? 'Review again' : 'Record the review'}</button></form>`
    : '';
  return html`<h2 id="review-heading">Review</h2>${recorded}${form}`;
}

/** The person's fields of a review form, with messages about form fields rather than CLI flags. */
function reviewFields(fields: Record<string, string>) {
  const issues: string[] = [];
  const verdict = Verdict.safeParse(fields.verdict ?? '');
  if (!verdict.success) issues.push('the verdict must be correct, partly or wrong');
  const category = (fields.category ?? '').trim();
  if (category && !(CATEGORIES as readonly string[]).includes(category))
    issues.push(`the category must be one of ${CATEGORIES.join(', ')}`);
  const optional = (name: string, max: number) => {
    const v = (fields[name] ?? '').trim();
    if (v.length > max) issues.push(`the ${name} is longer than ${max} characters`);
    return v || undefined;
  };
  const culprit = optional('culprit', 200);
  const cause = optional('cause', 500);
  if (issues.length) throw new ValidationError(`review refused: ${issues.join('; ')}`, issues);
  return { verdict: verdict.data, category: category || undefined, culprit, cause };
}

/** A typed name (or the signed-in subject) as the actor: the approvals' rule, in the form's words. */
function nameOf(raw: string): string {
  try {
    return cleanActor(raw);
  } catch {
    throw new ValidationError(
      'your name is required and may use letters, digits, spaces and ._@:+/- only (80 at most)',
    );
  }
}

export async function incidentAction(
  action: IncidentAction,
  rawId: string,
  body: string,
  deps: ConsoleDeps,
  who?: string,
): Promise<HttpResponse> {
  const { base } = deps;
  const refuse = (status: number, title: string, message: string) =>
    messagePage(base, status, title, [message, 'Nothing was changed.'], who);
  const incidentId = incidentIdFrom(rawId);
  if (!incidentId) return notFoundPage(base, 'incident with this id', who);
  if (body.length > 8192) return refuse(400, 'Form refused', 'The form is too large.');
  const fields = Object.fromEntries(new URLSearchParams(body));
  const token = verifyAction(await deps.formKey(), incidentId, action, fields, deps.clock.now());
  if (!token.ok) {
    const [status, title] = {
      malformed: [400, 'Incomplete form'],
      forged: [403, 'Form refused'],
      expired: [410, 'Form expired'],
    }[token.code] as [number, string];
    return refuse(status, title, token.message);
  }
  try {
    const actor = `console:${nameOf(who ?? fields.by ?? '')}`;
    const incident = await deps.store.get(incidentId);
    if (!incident) return notFoundPage(base, 'incident with this id', who);
    if (action === 'close') {
      await closeIncident(
        { store: deps.store, clock: deps.clock, drivenBy: deps.drivenBy },
        { incidentId, status: 'RESOLVED', reason: fields.reason ?? '', by: actor },
      );
    } else {
      const input = reviewFields(fields);
      if (OPEN_STATUSES.includes(incident.status))
        throw new ConflictError(`${incidentId} is still ${incident.status}: close it before reviewing it`);
      await reviewIncident(
        { store: deps.store, memory: deps.memory, clock: deps.clock },
        { incidentId, ...input, by: actor },
      );
    }
  } catch (err) {
    if (err instanceof ValidationError) return refuse(400, 'Form refused', `${err.message}.`);
    if (err instanceof NotFoundError) return notFoundPage(base, 'incident with this id', who);
    if (err instanceof ConflictError) return refuse(409, 'Not possible now', `${err.message}.`);
    throw err;
  }
  return {
    statusCode: 303,
    headers: { ...HTML_HEADERS, location: `${base}/incidents/${incidentId}` },
    body: '',
  };
}
