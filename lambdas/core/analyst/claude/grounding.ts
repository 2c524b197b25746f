/**
 * Model output is a proposal, checked against what code read from the evidence before anything else
 * sees it. Cited evidence ids must be ids a tool returned; services must be in the catalog or the
 * alert; a proposed action must act on something the evidence ties to this incident. This sits in
 * front of the plan phase's allow-list (which checks kind, target and parameters again) and human
 * approval — the model never decides what runs.
 */
import type { MitigationAction } from '../../model.js';
import type { ChangeRecord, InvestigationContext, TriageDecision } from '../../ports.js';

/** Keeps only the cited ids that some tool actually returned (or an earlier, checked step cited). */
export const knownIds = (cited: string[], known: ReadonlySet<string>): string[] => [
  ...new Set(cited.filter((id) => known.has(id))),
];

const lower = (s: string) => s.toLowerCase();

/** The incident's own services: from the alert (not from any model), plus their dependencies. */
export function incidentScope(ctx: InvestigationContext, depth = 3): Set<string> {
  const roots = [ctx.incident.service, ...ctx.alerts.map((a) => a.service)].filter((s): s is string => !!s);
  const deps = new Map(ctx.services.map((s) => [lower(s.name), (s.dependsOn ?? []).map(lower)]));
  const scope = new Set(roots.map(lower));
  let frontier = [...scope];
  for (let i = 0; i < depth && frontier.length; i++) {
    const next: string[] = [];
    for (const name of frontier) {
      for (const dep of deps.get(name) ?? []) {
        if (!scope.has(dep)) {
          scope.add(dep);
          next.push(dep);
        }
      }
    }
    frontier = next;
  }
  return scope;
}

/** Services and resources that changed in the window: the only things a rollback can undo. */
export function changedTargets(changes: ChangeRecord[]): Set<string> {
  return new Set(
    changes
      .flatMap((c) => [c.service, c.resource])
      .filter((s): s is string => !!s)
      .map(lower),
  );
}

export type ActionVerdict = { ok: true } | { ok: false; reason: string };

/**
 * Whether a model-proposed action is supported by the evidence:
 * - a rollback must undo a deployment or change in the window, and any version parameter must be one
 *   the change records show for that target;
 * - any other action must target the incident's services (or their dependencies) or something that
 *   changed in the window.
 */
export function groundAction(
  action: MitigationAction,
  ctx: InvestigationContext,
  changes: ChangeRecord[],
): ActionVerdict {
  const target = lower(action.target);
  const changed = changedTargets(changes);
  const scope = incidentScope(ctx);
  if (action.kind === 'rollback') {
    if (!changed.has(target)) {
      return {
        ok: false,
        reason: `rollback of ${action.target}: nothing of that name changed in the window`,
      };
    }
    const records = changes.filter(
      (c) => lower(c.service ?? '') === target || lower(c.resource ?? '') === target,
    );
    const versions = new Set(
      records.flatMap((c) => [c.version, c.previousVersion]).filter(Boolean) as string[],
    );
    for (const key of ['toVersion', 'fromVersion']) {
      const v = action.params[key];
      if (v !== undefined && !versions.has(String(v))) {
        return {
          ok: false,
          reason: `rollback of ${action.target}: ${key}=${String(v).slice(0, 40)} is not a version the evidence shows for it`,
        };
      }
    }
    return { ok: true };
  }
  if (!scope.has(target) && !changed.has(target)) {
    return { ok: false, reason: `${action.kind} of ${action.target}: not a service of this incident` };
  }
  return { ok: true };
}

const SEVERITY_ORDER = ['SEV1', 'SEV2', 'SEV3', 'SEV4'] as const;

/**
 * Keeps a model's triage within one level of the deterministic baseline (the measured impact), and
 * lets it move at all only with a cited reason: evidence ids the model was shown. Text in an alert or
 * a log line cannot talk a SEV1 down to an unpaged SEV4, page executives for noise, or add a service:
 * named services must be in the catalog and be the incident's own or next to them in the graph.
 * Everything set aside is returned as notes for the timeline.
 */
export function groundTriage(
  proposed: TriageDecision & { evidence?: string[] },
  baseline: TriageDecision,
  ctx: InvestigationContext,
  seen?: ReadonlySet<string>,
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
  return {
    decision: {
      severity,
      specialists: [...new Set(proposed.specialists)],
      services: [...new Set([...baseline.services, ...kept])],
      rationale: proposed.rationale,
    },
    notes,
  };
}
