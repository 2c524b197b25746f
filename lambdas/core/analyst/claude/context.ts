/**
 * The opening user message of each step: the incident as data. Alert text and everything else an
 * outsider could have written is inside `<data>`; the instructions are in the system prompt alone.
 */
import type { Finding, Incident, Specialist, TimelineEvent } from '../../model.js';
import type { InvestigationContext } from '../../ports.js';
import { asData } from './untrusted.js';

const clip = (s: string | undefined, n: number) => (s && s.length > n ? `${s.slice(0, n)}…` : (s ?? ''));

function incidentData(ctx: InvestigationContext) {
  const { incident } = ctx;
  const catalog = ctx.services.find((s) => s.name === incident.service);
  return {
    id: incident.id,
    title: clip(incident.title, 300),
    service: incident.service,
    detectedAt: incident.detectedAt,
    investigationWindow: ctx.window,
    catalogEntry: catalog,
    alerts: ctx.alerts.slice(0, 10).map((a) => ({
      source: a.source,
      status: a.status,
      title: clip(a.title, 300),
      description: clip(a.description, 1500),
      service: a.service,
      resources: a.resources.slice(0, 10),
      severityHint: a.severityHint,
      startedAt: a.startedAt,
      labels: Object.fromEntries(Object.entries(a.labels).slice(0, 20)),
    })),
  };
}

export function triageBrief(ctx: InvestigationContext): string {
  return `Triage this incident.\n\n${asData('incident', incidentData(ctx))}`;
}

export function specialistBrief(specialist: Specialist, ctx: InvestigationContext): string {
  return `Investigate this incident as the ${specialist} specialist. Evidence tools cover the investigation window (you may look further back, never after it).\n\n${asData('incident', incidentData(ctx))}`;
}

export function synthesisBrief(findings: Finding[], ctx: InvestigationContext): string {
  const reported = findings.map((f) => ({
    specialist: f.specialist,
    status: f.status,
    hypotheses: f.hypotheses.slice(0, 5),
    ruledOut: f.ruledOut.slice(0, 10),
    notes: f.notes.slice(0, 5),
  }));
  return `Merge the specialists' findings into one root cause.\n\n${asData('incident', incidentData(ctx))}\n\n${asData('findings', reported)}`;
}

export function postmortemBrief(incident: Incident, timeline: TimelineEvent[]): string {
  const { postmortem: _p, ...record } = incident;
  const events = timeline
    .filter((e) => e.type !== 'state')
    .slice(-200)
    .map((e) => ({ at: e.at, type: e.type, actor: e.actor, text: clip(e.text, 400) }));
  return `Write the postmortem for this incident.\n\n${asData('incident-record', record)}\n\n${asData('timeline', events)}`;
}
