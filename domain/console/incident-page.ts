/**
 * One incident: header, the decision waiting on a person (if any), the root cause with the evidence
 * each claim cites, the hypotheses that lost, the charts of what the investigation read, the
 * mitigation, messages by audience, similar incidents, the timeline and the postmortem.
 */
import { briefRows } from '../approval/brief.js';
import type { Hypothesis, Incident } from '../model.js';
import { describeAction } from '../notify/messages.js';
import { type ActionForms, closeSection, reviewSection } from './actions.js';
import { chartSvg, type Marker } from './chart.js';
import type { EvidenceSnapshot } from './evidence.js';
import { type Html, html } from './html.js';
import { layout } from './layout.js';
import { age } from './list-page.js';
import { renderMarkdown } from './markdown.js';
import type { IncidentView } from './view.js';

export const anchorOf = (evidenceId: string) => `ev-${evidenceId.replace(/[^A-Za-z0-9_-]/g, '_')}`;

const when = (iso?: string) => (iso ? `${iso.slice(0, 19).replace('T', ' ')} UTC` : '—');
const minutesBetween = (a?: string, b?: string) =>
  a && b ? Math.max(0, Math.round((Date.parse(b) - Date.parse(a)) / 60_000)) : undefined;
const pct = (n: number) => `${Math.round(n * 100)}%`;

/** What the decision forms need: signed fields per decision, and who is signed in (if anyone). */
export interface DecisionForms {
  action: string;
  approve: Record<string, string>;
  reject: Record<string, string>;
  /** The signed-in subject; without one the form asks for a name. */
  subject?: string;
}

function citeList(ids: string[], evidence?: EvidenceSnapshot): Html {
  const kept = new Set([
    ...(evidence?.series.map((s) => s.id) ?? []),
    ...(evidence?.logs.map((l) => l.id) ?? []),
    ...(evidence?.changes.map((c) => c.id) ?? []),
  ]);
  return html`${ids.map(
    (id, i) =>
      html`${i ? ', ' : ''}${kept.has(id) ? html`<a class="cite" href="#${anchorOf(id)}">${id}</a>` : html`<code title="not kept with the incident">${id}</code>`}`,
  )}`;
}

export function markersFor(incident: Incident, evidence?: EvidenceSnapshot): Marker[] {
  const markers: Marker[] = [];
  if (incident.impactStartedAt) markers.push({ kind: 'onset', at: incident.impactStartedAt, label: 'onset' });
  markers.push({ kind: 'detection', at: incident.detectedAt, label: 'detected' });
  const changes = evidence?.changes ?? [];
  const shown = changes.some((c) => c.cited) ? changes.filter((c) => c.cited) : changes.slice(0, 3);
  for (const c of shown)
    markers.push({
      kind: 'change',
      at: c.at,
      label: c.version ? `${c.service ?? ''} ${c.version}`.trim() : 'change',
    });
  const mitigated = incident.mitigatedAt ?? incident.mitigation?.appliedAt;
  if (mitigated) markers.push({ kind: 'mitigation', at: mitigated, label: 'mitigated' });
  if (incident.resolvedAt) markers.push({ kind: 'resolved', at: incident.resolvedAt, label: 'resolved' });
  return markers;
}

function header(v: IncidentView, now: Date): Html {
  const i = v.incident;
  const facts: Array<[string, string]> = [
    ['Incident', i.id],
    ['Services', (i.services.length ? i.services : [i.service ?? '—']).join(', ')],
    [
      'Impact',
      i.impact ? `${i.impact.level}${i.impact.summary ? `: ${i.impact.summary}` : ''}` : 'not measured',
    ],
    ['Impact began', when(i.impactStartedAt)],
    ['Detected', when(i.detectedAt)],
    ['Declared', when(i.declaredAt)],
    ['Mitigated', when(i.mitigatedAt)],
    ['Resolved', when(i.resolvedAt)],
    ['Open for', age(minutesBetween(i.detectedAt, i.resolvedAt ?? now.toISOString()) ?? 0)],
    ['Time to detect', i.impactStartedAt ? age(minutesBetween(i.impactStartedAt, i.detectedAt) ?? 0) : '—'],
    ['Paged', v.paged.length ? v.paged.join(', ') : 'nobody'],
    ['Escalation tier', String(i.escalationTier)],
  ];
  return html`<p class="muted"><a href="../">← all incidents</a></p>
<h1><span class="sev sev-${i.severity ?? 'none'}">${i.severity ?? '—'}</span> ${i.title}</h1>
<p><span class="status" id="status">${i.status}</span>${i.rootCause ? html` · <span class="muted">${i.rootCause.category}</span>` : ''}</p>
<div class="facts">${facts.map(([k, val]) => html`<div><span>${k}</span>${val}</div>`)}</div>
${v.alertTitles.length ? html`<p class="muted">Alerts: ${v.alertTitles.join(' · ')}</p>` : ''}
${i.failure ? html`<p><strong>Automation failed</strong> in ${i.failure.state}: ${i.failure.error} — ${i.failure.cause}</p>` : ''}`;
}

function decision(v: IncidentView, forms?: DecisionForms): Html {
  const p = v.pending;
  if (!p) return html``;
  if (!p.open || !forms)
    return html`<h2>Approval</h2><p class="muted">The approval request for ${describeAction(p.record.action)} was ${p.why ?? 'closed'}.</p>`;
  const hidden = (fields: Record<string, string>) =>
    html`${Object.entries(fields).map(([k, val]) => html`<input type="hidden" name="${k}" value="${val}">`)}`;
  const name = forms.subject
    ? html`<p class="muted">Decided as <strong>${forms.subject}</strong> (your sign-in).</p>`
    : html`<label>Your name (goes on the timeline)<input name="by" required maxlength="80" autocomplete="name"></label>`;
  return html`<h2 id="approval">Approval needed</h2>
<dl class="brief">${briefRows(p.brief).map(([label, value]) => html`${label ? html`<dt>${label}</dt>` : ''}<dd>${value}</dd>`)}</dl>
<div class="decide">
<form class="approve" method="post" action="${forms.action}">${hidden(forms.approve)}${name}
<p>Approving runs this action against production.</p><button type="submit" id="approve">Approve ${p.brief.action}</button></form>
<form class="reject" method="post" action="${forms.action}">${hidden(forms.reject)}${name}
<label>Why (optional)<textarea name="reason" maxlength="500" rows="2"></textarea></label>
<p>Rejecting runs nothing and pages the next escalation tier.</p><button type="submit" id="reject">Reject</button></form>
</div>`;
}

function rootCause(v: IncidentView): Html {
  const rc = v.incident.rootCause;
  if (!rc) return html`<h2>Root cause</h2><p class="muted">Not established yet.</p>`;
  const winner = (h: Hypothesis) => h.category === rc.category && h.culprit === rc.culprit;
  const losing = v.findings.flatMap((e) => {
    const f = (e.data as { finding?: { specialist?: string; hypotheses?: Hypothesis[] } } | undefined)
      ?.finding;
    return (f?.hypotheses ?? [])
      .filter((h) => !winner(h))
      .map((h) => ({ specialist: f?.specialist ?? e.actor, h }));
  });
  return html`<h2>Root cause</h2>
<p id="root-cause"><strong>${rc.category}${rc.culprit ? ` (${rc.culprit})` : ''}</strong> · confidence <strong id="confidence">${pct(rc.confidence)}</strong>${rc.degraded ? ' · degraded (offline analyst)' : ''}</p>
<p>${rc.summary}</p>
${rc.causalChain.length ? html`<ol>${rc.causalChain.map((c) => html`<li>${c}</li>`)}</ol>` : ''}
<p>Cites: ${rc.evidence.length ? citeList(rc.evidence, v.evidence) : 'no evidence'}</p>
${rc.signatures?.length ? html`<p class="muted">Known failure signatures: ${rc.signatures.join(', ')}</p>` : ''}
<h2>Hypotheses that lost</h2>
${
  rc.ruledOut.length || losing.length
    ? html`<ul id="ruled-out">${rc.ruledOut.map((r) => html`<li>${r}</li>`)}${losing.map(
        ({ specialist, h }) =>
          html`<li>${specialist}: ${h.category}${h.culprit ? ` (${h.culprit})` : ''} at ${pct(h.confidence)} — ${h.summary}${h.evidence.length ? html` · cites ${citeList(h.evidence, v.evidence)}` : ''}</li>`,
      )}</ul>`
    : html`<p class="muted">No competing hypothesis was recorded.</p>`
}`;
}

function evidenceSection(v: IncidentView): Html {
  const e = v.evidence;
  if (!e)
    return html`<h2>Evidence</h2><p class="muted">The investigation kept no evidence with this incident.</p>`;
  const markers = markersFor(v.incident, e);
  const badge = (cited: boolean) => (cited ? html` <span class="cited">cited</span>` : '');
  return html`<h2>Metrics the investigation read</h2>
<p class="muted">Window ${when(e.window.from)} – ${when(e.window.to)}. Markers: onset, detection, changes, mitigation.</p>
${e.series.map(
  (s) =>
    html`<div class="evidence" id="${anchorOf(s.id)}"><div><strong>${s.label}</strong>${s.service ? html` · ${s.service}` : ''}${s.unit ? html` · ${s.unit}` : ''}${badge(s.cited)}</div>${chartSvg(s, markers)}</div>`,
)}
<h2>Log signatures</h2>
${
  e.logs.length
    ? e.logs.map(
        (
          l,
        ) => html`<div class="evidence log" id="${anchorOf(l.id)}"><div><strong>${l.level}</strong> · ${l.service ?? ''} · <strong>${l.count}×</strong> · ${when(l.firstSeen)} – ${when(l.lastSeen)}${badge(l.cited)}</div>
<div class="muted">${l.signature}</div><pre>${l.sample}</pre></div>`,
      )
    : html`<p class="muted">None.</p>`
}
<h2>Changes</h2>
${
  e.changes.length
    ? e.changes.map(
        (c) =>
          html`<div class="evidence change" id="${anchorOf(c.id)}"><div><strong>${c.kind}</strong> · ${c.service ?? ''} ${c.version ? `${c.previousVersion ?? '?'} → ${c.version}` : ''} · ${when(c.at)}${c.actor ? ` · by ${c.actor}` : ''}${badge(c.cited)}</div><div>${c.summary}</div></div>`,
      )
    : html`<p class="muted">None in the window.</p>`
}`;
}

function mitigation(v: IncidentView): Html {
  const m = v.incident.mitigation;
  if (!m) return html`<h2>Mitigation</h2><p class="muted">None proposed.</p>`;
  const json = (x: unknown) => (x === undefined ? '—' : JSON.stringify(x, null, 1));
  return html`<h2>Mitigation</h2>
<p id="mitigation"><strong>${describeAction(m.action)}</strong> · <span class="status">${m.status}</span>${m.approvedBy ? ` · decided by ${m.approvedBy} at ${when(m.decidedAt)}` : ''}${m.appliedAt ? ` · applied ${when(m.appliedAt)}` : ''}</p>
${m.action.rationale ? html`<p>${m.action.rationale}</p>` : ''}${m.detail ? html`<p class="muted">${m.detail}</p>` : ''}
<table><tr><th>Before</th><th>After</th></tr><tr><td><pre>${json(m.before)}</pre></td><td><pre>${json(m.after)}</pre></td></tr></table>`;
}

function messages(v: IncidentView): Html {
  const entries = Object.entries(v.messages);
  return html`<h2>Messages sent</h2>${
    entries.length
      ? entries.map(
          ([audience, list]) =>
            html`<h3>${audience}</h3><ul>${(list ?? []).map((m) => html`<li>${when(m.at)} · ${m.kind}: ${m.subject}${m.sms ? html`<div class="muted">SMS: ${m.sms}</div>` : ''}</li>`)}</ul>`,
        )
      : html`<p class="muted">None.</p>`
  }`;
}

function similar(base: string, v: IncidentView): Html {
  if (!v.similar) return html``;
  return html`<h2>Similar past incidents</h2>${
    v.similar.length
      ? html`<ul>${v.similar.map(
          (s) =>
            html`<li><a href="${base}/incidents/${s.record.id}">${s.record.id}</a> (${s.record.detectedAt.slice(0, 10)}, ${s.record.status}, same ${s.matchedOn.join(' + ')}): ${s.record.title}${s.record.summary ? ` — ${s.record.summary}` : ''}</li>`,
        )}</ul>`
      : html`<p class="muted">None in memory.</p>`
  }`;
}

function timeline(v: IncidentView): Html {
  const shown = v.timeline.filter((e) => e.type !== 'state');
  return html`<h2>Timeline</h2><table id="timeline">${shown.map(
    (e) =>
      html`<tr><td class="muted">${e.at.slice(11, 19)}</td><td>${e.type}</td><td>${e.actor}</td><td>${e.text}</td></tr>`,
  )}</table>`;
}

export function incidentMain(
  base: string,
  v: IncidentView,
  now: Date,
  forms?: DecisionForms,
  actions?: ActionForms,
): Html {
  return html`${header(v, now)}${decision(v, forms)}${closeSection(actions)}${rootCause(v)}${reviewSection(v.incident, actions)}${evidenceSection(v)}${mitigation(v)}${messages(v)}${similar(base, v)}${timeline(v)}
<h2>Postmortem</h2>${v.incident.postmortem ? html`<div class="postmortem">${renderMarkdown(v.incident.postmortem)}</div>` : html`<p class="muted">Not written yet.</p>`}`;
}

export function incidentPage(
  base: string,
  v: IncidentView,
  now: Date,
  forms?: DecisionForms,
  who?: string,
  actions?: ActionForms,
): Html {
  return layout(base, `${v.incident.id} ${v.incident.title}`, incidentMain(base, v, now, forms, actions), {
    live: `${base}/incidents/${v.incident.id}?fragment=main`,
    who,
  });
}
