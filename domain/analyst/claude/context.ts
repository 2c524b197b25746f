/**
 * The opening user message of each step: the incident as data. Alert text and everything else an
 * outsider could have written is inside `<data>`; the instructions are in the system prompt alone.
 */
import type { Finding, Incident, Specialist, TimelineEvent } from '../../model.js';
import type { InvestigationContext, ServiceInfo } from '../../ports.js';
import type { Baseline } from './baseline.js';
import { precedesOnset } from './grounding/index.js';
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

/** Walks the catalog one way (what a service calls, or what calls it), nearest first, with the hop count. */
function walk(
  start: string,
  next: (name: string) => string[],
  depth = 3,
): Array<{ service: string; hops: number }> {
  const out: Array<{ service: string; hops: number }> = [];
  const seen = new Set([start.toLowerCase()]);
  let frontier = [start];
  for (let hops = 1; hops <= depth && frontier.length; hops++) {
    const found: string[] = [];
    for (const name of frontier) {
      for (const n of next(name)) {
        if (seen.has(n.toLowerCase())) continue;
        seen.add(n.toLowerCase());
        found.push(n);
        out.push({ service: n, hops });
      }
    }
    frontier = found;
  }
  return out;
}

/** The affected service's place in the dependency graph, both ways. */
export function dependencyGraph(service: string | undefined, catalog: ServiceInfo[]) {
  if (!service) return undefined;
  const byName = new Map(catalog.map((s) => [s.name.toLowerCase(), s]));
  const info = (name: string) => byName.get(name.toLowerCase());
  const brief = ({ service: name, hops }: { service: string; hops: number }) => ({
    service: name,
    hops,
    tier: info(name)?.tier,
    userFacing: info(name)?.userFacing,
  });
  return {
    service,
    dependsOn: walk(service, (n) => info(n)?.dependsOn ?? []).map(brief),
    dependedOnBy: walk(service, (n) =>
      catalog.filter((s) => s.dependsOn?.some((d) => d.toLowerCase() === n.toLowerCase())).map((s) => s.name),
    ).map(brief),
  };
}

/**
 * What a responder knows at declaration and the model would otherwise have to rediscover: when it
 * began, where the service sits in the graph, what changed and when relative to the onset, and the
 * offline analyst's ranked hypotheses as a baseline to confirm or refute.
 */
export function responderData(
  baseline: Baseline,
  ctx: InvestigationContext,
  limits: { changes: number; hypotheses: number; knowledge?: number } = { changes: 20, hypotheses: 5 },
) {
  const onsetMs = Date.parse(baseline.onset);
  const changes = [...baseline.facts.changes]
    .sort((a, b) => Math.abs(Date.parse(a.at) - onsetMs) - Math.abs(Date.parse(b.at) - onsetMs))
    .slice(0, limits.changes)
    .sort((a, b) => a.at.localeCompare(b.at))
    .map((c) => ({
      id: c.id,
      kind: c.kind,
      service: c.service,
      resource: c.resource,
      version: c.version,
      previousVersion: c.previousVersion,
      at: c.at,
      minutesBeforeOnset: Math.round((onsetMs - Date.parse(c.at)) / 6_000) / 10,
      precedesOnset: precedesOnset(c, baseline.onset),
      actor: c.actor,
      summary: clip(c.summary, 200),
    }));
  return {
    onset: baseline.onset,
    dependencyGraph: dependencyGraph(baseline.service ?? ctx.incident.service, ctx.services),
    changes,
    changesNotShown: Math.max(0, baseline.facts.changes.length - changes.length),
    knowledge: baseline.knowledge.slice(0, limits.knowledge ?? 6).map((m) => ({
      entry: m.entry.id,
      title: m.entry.title,
      category: m.entry.category,
      role: m.entry.role,
      blames: m.entry.blames,
      specificity: m.entry.specificity,
      meaning: m.entry.meaning,
      rulesOut: m.entry.rulesOut,
      mitigations: m.entry.mitigations,
      matchedOn: m.matchedOn.slice(0, 6),
    })),
    baselineHypotheses: baseline.ranked.slice(0, limits.hypotheses).map((c) => ({
      category: c.category,
      culprit: c.culprit,
      confidence: c.confidence,
      summary: clip(c.summary, 400),
      evidence: c.evidence.slice(0, 8),
      mitigation: c.mitigation,
    })),
  };
}

export function triageBrief(ctx: InvestigationContext, baseline: Baseline): string {
  return `Triage this incident.\n\n${asData('incident', incidentData(ctx))}\n\n${asData('responder-context', responderData(baseline, ctx, { changes: 10, hypotheses: 3 }))}`;
}

/** The specialist's concern goes here, not in the system prompt, so all six share one cached prefix. */
export function specialistBrief(
  specialist: Specialist,
  focus: string,
  ctx: InvestigationContext,
  baseline: Baseline,
): string {
  return `You are the ${specialist.toUpperCase()} specialist on this incident. ${focus}\n\nEvidence tools cover the investigation window (you may look further back, never after it). The baseline hypotheses below come from a deterministic analysis of the same evidence: confirm or refute them from your concern, do not copy them.\n\n${asData('incident', incidentData(ctx))}\n\n${asData('responder-context', responderData(baseline, ctx))}`;
}

export function synthesisBrief(findings: Finding[], ctx: InvestigationContext, baseline: Baseline): string {
  const reported = findings.map((f) => ({
    specialist: f.specialist,
    status: f.status,
    hypotheses: f.hypotheses.slice(0, 5),
    ruledOut: f.ruledOut.slice(0, 10),
    notes: f.notes.slice(0, 5),
  }));
  return `Merge the specialists' findings into one root cause. The baseline hypotheses come from a deterministic analysis of the same evidence: confirm or refute them.\n\n${asData('incident', incidentData(ctx))}\n\n${asData('responder-context', responderData(baseline, ctx, { changes: 30, hypotheses: 5 }))}\n\n${asData('findings', reported)}`;
}

export function postmortemBrief(incident: Incident, timeline: TimelineEvent[]): string {
  const { postmortem: _p, ...record } = incident;
  const events = timeline
    .filter((e) => e.type !== 'state')
    .slice(-200)
    .map((e) => ({ at: e.at, type: e.type, actor: e.actor, text: clip(e.text, 400) }));
  return `Write the postmortem for this incident.\n\n${asData('incident-record', record)}\n\n${asData('timeline', events)}`;
}
