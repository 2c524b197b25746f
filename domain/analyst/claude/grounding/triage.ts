import type { InvestigationContext, TriageDecision } from '../../../ports.js';

import { type Facts, knownIds, lower } from './facts.js';

export const SEVERITY_ORDER = ['SEV1', 'SEV2', 'SEV3', 'SEV4'] as const;

/**
 * Specialists the evidence calls for, whatever a model says: security when there are security
 * signals, changes when something in the incident's scope changed.
 */
export function requiredSpecialists(facts: Facts): Array<TriageDecision['specialists'][number]> {
  const out: Array<TriageDecision['specialists'][number]> = [];
  if ([...facts.items.values()].some((i) => i.kind === 'security')) out.push('security');
  const inScope = facts.changes.some(
    (c) => facts.scope.has(lower(c.service)) || facts.scope.has(lower(c.resource)) || !c.service,
  );
  if (inScope) out.push('changes');
  return out;
}

/**
 * Keeps a model's triage within one level of the deterministic baseline (the measured impact), and
 * lets it move at all only with a cited reason: evidence ids the model was shown. Text in an alert or
 * a log line cannot talk a SEV1 down to an unpaged SEV4, page executives for noise, or add a service:
 * named services must be in the catalog and be the incident's own or next to them in the graph.
 * Specialists the evidence calls for (see requiredSpecialists) cannot be dropped.
 * Everything set aside is returned as notes for the timeline.
 */
export function groundTriage(
  proposed: TriageDecision & { evidence?: string[] },
  baseline: TriageDecision,
  ctx: InvestigationContext,
  seen?: ReadonlySet<string>,
  facts?: Facts,
): { decision: TriageDecision; notes: string[] } {
  const notes: string[] = [];
  const p = SEVERITY_ORDER.indexOf(proposed.severity);
  const b = SEVERITY_ORDER.indexOf(baseline.severity);
  let severity = proposed.severity;
  const cited = seen ? knownIds(proposed.evidence ?? [], seen) : (proposed.evidence ?? []);
  if (p !== b && cited.length === 0) {
    severity = baseline.severity;
    notes.push(
      `model severity ${proposed.severity} set aside: no evidence cited (measured ${baseline.severity})`,
    );
  } else if (Math.abs(p - b) > 1) {
    severity = SEVERITY_ORDER[p < b ? b - 1 : b + 1];
    notes.push(`model severity ${proposed.severity} held to ${severity} (measured ${baseline.severity})`);
  } else if (p !== b) {
    // Accepted, and said so: who is paged moved away from the measurement, on this evidence.
    notes.push(
      `model moved severity ${baseline.severity} → ${severity} one step from the measurement, citing ${cited.slice(0, 3).join(', ')}`,
    );
  }
  const catalog = new Map(ctx.services.map((s) => [lower(s.name), s.name]));
  const own = [ctx.incident.service, ...ctx.incident.services, ...baseline.services]
    .filter((s): s is string => !!s)
    .map(lower);
  const near = new Set(own);
  for (const s of ctx.services) {
    const deps = (s.dependsOn ?? []).map(lower);
    if (near.has(lower(s.name))) for (const d of deps) near.add(d);
    if (deps.some((d) => own.includes(d))) near.add(lower(s.name));
  }
  const kept: string[] = [];
  for (const s of proposed.services) {
    const name = catalog.get(lower(s));
    if (name && near.has(lower(s))) kept.push(name);
    else
      notes.push(
        `service "${s.slice(0, 60)}" set aside: ${name ? 'not connected to this incident' : 'not in the catalog'}`,
      );
  }
  const specialists = [...new Set(proposed.specialists)];
  for (const required of facts ? requiredSpecialists(facts) : []) {
    if (specialists.includes(required)) continue;
    specialists.push(required);
    notes.push(
      required === 'security'
        ? 'security specialist kept: the window has security signals'
        : 'changes specialist kept: something in scope changed in the window',
    );
  }
  return {
    decision: {
      severity,
      specialists,
      services: [...new Set([...baseline.services, ...kept])],
      rationale: proposed.rationale,
      // The measurement is the baseline's: a model refines the level, not what was measured.
      ...(baseline.impact ? { impact: baseline.impact } : {}),
    },
    notes,
  };
}
