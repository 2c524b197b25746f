/**
 * The pages a person sees after clicking an approval link. Plain HTML, no script, everything
 * escaped: incident titles and action targets came from alerts and models.
 */

import { type ApprovalBrief, briefRows } from '../../domain/approval/brief.js';
import type { MitigationAction } from '../../domain/model.js';
import { describeAction } from '../../domain/notify/messages.js';

export interface HttpResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

/** Links carry signatures: never cached, never framed, never sent on as a referrer. */
const HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'",
};

function page(statusCode: number, title: string, paragraphs: string[], extra = ''): HttpResponse {
  const body = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(title)} · Firebreak</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}
h1{font-size:1.4rem}dt{font-weight:600}dd{margin:0 0 .6rem 0}button{font-size:1rem;padding:.5rem 1.2rem}
input,textarea{font-size:1rem;width:100%;box-sizing:border-box;margin:.2rem 0 .8rem}.warn{color:#8a1c1c}</style>
</head><body><h1>${escapeHtml(title)}</h1>
${paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n')}
${extra}
</body></html>`;
  return { statusCode, headers: { ...HEADERS }, body };
}

export const refusedPage = (statusCode: number, title: string, message: string): HttpResponse =>
  page(statusCode, title, [message, 'Nothing was approved, rejected or run.']);

export function confirmPage(opts: {
  incidentId: string;
  title: string;
  severity: string;
  decision: 'approve' | 'reject';
  action: MitigationAction;
  expiresAt: string;
  path: string;
  fields: Record<string, string>;
  /** The decision's facts (cause, evidence, what changes, undo); absent only if the incident is gone. */
  brief?: ApprovalBrief;
}): HttpResponse {
  const verb = opts.decision === 'approve' ? 'Approve' : 'Reject';
  const hidden = Object.entries(opts.fields)
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join('');
  const params = Object.entries(opts.action.params);
  const form = `<dl>
<dt>Incident</dt><dd>${escapeHtml(opts.incidentId)} · ${escapeHtml(opts.severity)} · ${escapeHtml(opts.title)}</dd>
<dt>Action</dt><dd>${escapeHtml(describeAction(opts.action))}</dd>
<dt>Parameters</dt><dd>${params.length ? escapeHtml(params.map(([k, v]) => `${k}=${v}`).join(', ')) : 'none'}</dd>
${opts.action.rationale ? `<dt>Why</dt><dd>${escapeHtml(opts.action.rationale)}</dd>` : ''}
${
  opts.brief
    ? briefRows({ ...opts.brief, expiresAt: opts.expiresAt })
        .filter(([label]) => label !== 'Action')
        .map(
          ([label, value]) => `${label ? `<dt>${escapeHtml(label)}</dt>` : ''}<dd>${escapeHtml(value)}</dd>`,
        )
        .join('\n')
    : `<dt>Request expires</dt><dd>${escapeHtml(opts.expiresAt)}</dd>`
}
</dl>
<form method="post" action="${escapeHtml(opts.path)}">${hidden}
<label>Your name (goes on the incident timeline)<input name="by" required maxlength="80" autocomplete="name"></label>
${opts.decision === 'reject' ? '<label>Why (optional)<textarea name="reason" maxlength="500" rows="3"></textarea></label>' : ''}
<button type="submit">${verb} this action</button></form>
<p class="warn">${opts.decision === 'approve' ? 'Approving runs this action against production.' : 'Rejecting runs nothing and pages the next escalation tier.'}</p>`;
  return page(200, `${verb} mitigation for ${opts.incidentId}?`, [], form);
}

export const decidedPage = (
  decision: 'approve' | 'reject',
  incidentId: string,
  action: MitigationAction,
  by: string,
) =>
  page(200, decision === 'approve' ? 'Approved' : 'Rejected', [
    `${decision === 'approve' ? 'Approved' : 'Rejected'} ${describeAction(action)} for ${incidentId}, recorded as decided by ${by}.`,
    decision === 'approve'
      ? 'Firebreak runs the action now and reports the outcome to on-call.'
      : 'Nothing runs; the next escalation tier is paged.',
  ]);
