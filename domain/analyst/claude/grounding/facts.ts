import type {
  AlarmEvent,
  ChangeRecord,
  InvestigationContext,
  LogSignature,
  MetricSeries,
  SecuritySignal,
  ServiceInfo,
} from '../../../ports.js';

/** Keeps only the cited ids that some tool actually returned (or an earlier, checked step cited). */
export const knownIds = (cited: string[], known: ReadonlySet<string>): string[] => [
  ...new Set(cited.filter((id) => known.has(id))),
];

export const lower = (s: string | undefined) => (s ?? '').toLowerCase();

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

export type EvidenceKind = 'metric' | 'log' | 'deployment' | 'change' | 'alarm' | 'security';

/** One evidence item as grounding sees it: its kind, what it is about, and its text to search. */
export interface FactItem {
  id: string;
  kind: EvidenceKind;
  service?: string;
  at?: string;
  /** Lower-cased names and text of the item: what a culprit or a parameter may be found in. */
  text: string;
  /** For metrics: the latest value, for bounds on absolute scale targets. */
  latest?: number;
  metricName?: string;
  /** For changes: the record itself. */
  change?: ChangeRecord;
}

export interface Facts {
  /** When the incident began, from the evidence (the offline analyst's onset). */
  onset: string;
  catalog: ServiceInfo[];
  scope: Set<string>;
  changes: ChangeRecord[];
  items: Map<string, FactItem>;
}

export const metricFact = (m: MetricSeries): FactItem => ({
  id: m.id,
  kind: 'metric',
  service: m.service,
  at: m.points[0]?.[0],
  text: lower([m.service, m.namespace, m.metricName, ...Object.entries(m.dimensions).flat(), m.id].join(' ')),
  latest: m.points.at(-1)?.[1],
  metricName: m.metricName,
});

export const logFact = (l: LogSignature): FactItem => ({
  id: l.id,
  kind: 'log',
  service: l.service,
  at: l.firstSeen,
  text: lower([l.service, l.level, l.signature, l.sample, l.id].join(' ')),
});

export const changeFact = (c: ChangeRecord): FactItem => ({
  id: c.id,
  kind: c.kind === 'deployment' ? 'deployment' : 'change',
  service: c.service,
  at: c.at,
  text: lower(
    [c.service, c.resource, c.version, c.previousVersion, c.actor, c.summary, c.status, c.id].join(' '),
  ),
  change: c,
});

export const alarmFact = (a: AlarmEvent): FactItem => ({
  id: a.id,
  kind: 'alarm',
  service: a.service,
  at: a.at,
  text: lower([a.name, a.service, a.state, a.id].join(' ')),
});

export const securityFact = (s: SecuritySignal): FactItem => ({
  id: s.id,
  kind: 'security',
  at: s.at,
  text: lower([s.kind, s.source, s.detail, s.id].join(' ')),
});

export function buildFacts(input: {
  ctx: InvestigationContext;
  onset: string;
  metrics: MetricSeries[];
  logs: LogSignature[];
  changes: ChangeRecord[];
  alarms: AlarmEvent[];
  security: SecuritySignal[];
}): Facts {
  const items = new Map<string, FactItem>();
  for (const f of [
    ...input.metrics.map(metricFact),
    ...input.logs.map(logFact),
    ...input.changes.map(changeFact),
    ...input.alarms.map(alarmFact),
    ...input.security.map(securityFact),
  ])
    items.set(f.id, f);
  return {
    onset: input.onset,
    catalog: input.ctx.services,
    scope: incidentScope(input.ctx),
    changes: input.changes,
    items,
  };
}

/** The facts plus what this step's tools showed (a tool may look further back than the snapshot). */
export function withSeen(facts: Facts, seen: Iterable<FactItem>): Facts {
  const items = new Map(facts.items);
  const changes = [...facts.changes];
  for (const item of seen) {
    if (!items.has(item.id) && item.change) changes.push(item.change);
    items.set(item.id, item);
  }
  return { ...facts, items, changes };
}
