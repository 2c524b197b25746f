/** The incident list: filters, the newest incidents first, paged with a cursor, refreshed live. */
import { SEVERITIES } from '../model.js';
import { type Html, html } from './html.js';
import { layout } from './layout.js';
import type { IncidentRow, ListQuery } from './view.js';

const STATUS_CHOICES = ['open', 'all', 'TRIAGE', 'ACTIVE', 'MITIGATED', 'TICKETED', 'RESOLVED', 'CANCELLED'];

export const age = (minutes: number) =>
  minutes < 60
    ? `${minutes} min`
    : minutes < 48 * 60
      ? `${Math.floor(minutes / 60)} h ${minutes % 60} min`
      : `${Math.floor(minutes / 1440)} d`;

const query = (q: ListQuery, extra: Record<string, string | undefined>) => {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries({
    status: q.status,
    severity: q.severity,
    service: q.service,
    ...extra,
  }))
    if (v) params.set(k, v);
  return params.toString();
};

export function rowsFragment(base: string, rows: IncidentRow[]): Html {
  if (!rows.length) return html`<tr><td colspan="6" class="muted">No incidents match.</td></tr>`;
  return html`${rows.map(
    (r) => html`<tr data-incident="${r.id}">
<td><span class="sev sev-${r.severity ?? 'none'}">${r.severity ?? '—'}</span></td>
<td class="status">${r.status}</td>
<td><a href="${base}/incidents/${r.id}">${r.title}</a><div class="muted">${r.id}${r.category ? ` · ${r.category}` : ''}</div></td>
<td>${r.service ?? '—'}</td>
<td title="${r.detectedAt}">${age(r.ageMinutes)}</td>
<td>${r.paged.length ? r.paged.join(', ') : 'nobody'}</td>
</tr>`,
  )}`;
}

export function listPage(
  base: string,
  q: ListQuery,
  page: { rows: IncidentRow[]; next?: string },
  who?: string,
): Html {
  const select = (name: string, value: string, options: string[], labels: Record<string, string> = {}) =>
    html`<select name="${name}">${options.map(
      (o) =>
        html`<option value="${o}"${o === value ? html` selected` : ''}>${labels[o] ?? (o || 'any')}</option>`,
    )}</select>`;
  const main = html`<h1>Incidents</h1>
<form class="filters" method="get" action="${base}/">
<label>Status ${select('status', q.status, STATUS_CHOICES, { open: 'open', all: 'all' })}</label>
<label>Severity ${select('severity', q.severity, ['', ...SEVERITIES])}</label>
<label>Service <input name="service" value="${q.service}" maxlength="100" placeholder="any"></label>
<button type="submit">Filter</button></form>
<table><thead><tr><th>Severity</th><th>Status</th><th>Incident</th><th>Service</th><th>Age</th><th>Paged</th></tr></thead>
<tbody id="rows" data-live="${base}/?${query(q, { cursor: q.cursor, fragment: 'rows' })}" data-every="3000">${rowsFragment(base, page.rows)}</tbody></table>
${page.next ? html`<p><a rel="next" href="${base}/?${query(q, { cursor: page.next })}">Older incidents →</a></p>` : ''}`;
  return layout(base, 'Incidents', main, { who });
}
