/**
 * Model output is a proposal, checked against what code read from the evidence before anything else
 * sees it. Cited evidence ids must be ids a tool returned; a culprit must name something the
 * evidence, the changes or the catalog name; a category must be backed by evidence of its kind;
 * confidence is capped by the evidence that survives; a change blamed must precede the onset; every
 * parameter of a proposed action is checked against the evidence and sane bounds. This sits in front
 * of the plan phase's allow-list (which checks kind, target and parameter forms again) and human
 * approval — the model never decides what runs.
 */
import type { Category, Hypothesis, MitigationAction } from '../../model.js';
import type {
  AlarmEvent,
  ChangeRecord,
  InvestigationContext,
  LogSignature,
  MetricSeries,
  SecuritySignal,
  ServiceInfo,
  TriageDecision,
} from '../../ports.js';

/** Keeps only the cited ids that some tool actually returned (or an earlier, checked step cited). */
export const knownIds = (cited: string[], known: ReadonlySet<string>): string[] => [
  ...new Set(cited.filter((id) => known.has(id))),
];

const lower = (s: string | undefined) => (s ?? '').toLowerCase();

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

// ---------------------------------------------------------------------------------------------
// What the evidence holds, indexed for checking
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// Conclusions: culprit, category, confidence, time order
// ---------------------------------------------------------------------------------------------

export type Verdict = { ok: true } | { ok: false; reason: string };
const refuse = (reason: string): Verdict => ({ ok: false, reason });
const OK: Verdict = { ok: true };

/** Names things are known by: catalog services, changed services, resources and versions, metrics, alarms. */
function knownNames(facts: Facts): string[] {
  const names = new Set<string>();
  const add = (s: string | undefined) => {
    if (s && s.trim().length >= 2) names.add(lower(s.trim()));
  };
  for (const s of facts.catalog) add(s.name);
  for (const c of facts.changes) {
    for (const v of [c.service, c.resource, c.version, c.previousVersion, c.id]) add(v);
  }
  for (const item of facts.items.values()) {
    add(item.service);
    add(item.metricName);
  }
  return [...names];
}

const WORD = /[a-z0-9]/;
/** `needle` occurs in `hay` on word boundaries (so "api" does not match inside "rapid"). */
function mentions(hay: string, needle: string): boolean {
  if (!needle) return false;
  let from = 0;
  for (;;) {
    const i = hay.indexOf(needle, from);
    if (i < 0) return false;
    const before = i === 0 ? '' : hay[i - 1];
    const after = hay[i + needle.length] ?? '';
    if (!WORD.test(before) && !WORD.test(after)) return true;
    from = i + 1;
  }
}

/**
 * A culprit must name something the evidence, the changes or the catalog name: it mentions a known
 * name ("checkout v187", "payments-api's pool"), or the text of an evidence item mentions it (a
 * principal in a security signal, a queue in a log line). Invented names ("evil-corp-ddos") fail.
 */
export function groundCulprit(culprit: string, category: Category, facts: Facts): Verdict {
  const c = lower(culprit).trim();
  if (!c) {
    return category === 'unknown' || category === 'healthy'
      ? OK
      : refuse(`a ${category} conclusion names no culprit`);
  }
  if (knownNames(facts).some((n) => mentions(c, n) || mentions(n, c))) return OK;
  if (c.length >= 3) {
    for (const item of facts.items.values()) if (mentions(item.text, c)) return OK;
  }
  return refuse(
    `culprit "${culprit.slice(0, 80)}" names nothing in the evidence, the changes or the catalog`,
  );
}

/** Which kinds of evidence can back each category: a conclusion must cite at least one of them. */
export const CATEGORY_EVIDENCE: Record<Exclude<Category, 'unknown'>, readonly EvidenceKind[]> = {
  deployment: ['deployment'],
  configuration: ['change', 'deployment'],
  capacity: ['metric', 'log', 'alarm'],
  dependency: ['metric', 'log', 'alarm'],
  database: ['metric', 'log', 'alarm', 'change'],
  network: ['change', 'log', 'metric', 'alarm'],
  security: ['security', 'change'],
  code: ['log', 'metric'],
  healthy: ['metric', 'alarm'],
};

export function groundCategory(category: Category, cited: FactItem[]): Verdict {
  if (category === 'unknown') return OK;
  const kinds = CATEGORY_EVIDENCE[category];
  if (cited.some((i) => kinds.includes(i.kind))) return OK;
  const had = [...new Set(cited.map((i) => i.kind))];
  return refuse(
    `category ${category} needs ${kinds.join(' or ')} evidence; it cites ${had.length ? had.join(', ') : 'none that survived'}`,
  );
}

/** Confidence a conclusion may claim for the number of cited ids that survived grounding. */
export function confidenceCap(surviving: number): number {
  if (surviving === 0) return 0.3;
  if (surviving === 1) return 0.75;
  if (surviving === 2) return 0.9;
  return 1;
}

/**
 * How late a change may be stamped and still have preceded the onset: deployments are recorded at
 * completion and take effect while they roll out, so they get a few minutes; other changes apply at
 * once. The same allowance the offline analyst gives a change that drove an effect.
 */
const GRACE_MS: Record<ChangeRecord['kind'], number> = { deployment: 6 * 60_000, change: 2 * 60_000 };

export const precedesOnset = (c: ChangeRecord, onset: string): boolean =>
  Date.parse(c.at) <= Date.parse(onset) + GRACE_MS[c.kind];

/** A change-caused conclusion must cite a change that landed before the onset. */
export function groundTimeOrder(category: Category, cited: FactItem[], onset: string): Verdict {
  if (category !== 'deployment' && category !== 'configuration') return OK;
  const changes = cited.filter((i) => i.change).map((i) => i.change as ChangeRecord);
  if (!changes.length || changes.some((c) => precedesOnset(c, onset))) return OK;
  return refuse(
    `the cited change${changes.length > 1 ? 's' : ''} (${changes
      .map((c) => `${c.id} at ${c.at}`)
      .join(', ')
      .slice(0, 160)}) came after the onset at ${onset}`,
  );
}

export interface GroundedConclusion<T> {
  value: T;
  /** Why it was set aside; absent when it stands. */
  setAside?: string;
  /** Ids cited that no tool returned (dropped). */
  dropped: string[];
}

/**
 * One hypothesis (or root cause) checked: invented ids dropped, confidence capped by what survived,
 * then culprit, category and time order must hold or the whole conclusion is set aside.
 */
export function groundConclusion<
  T extends Pick<Hypothesis, 'category' | 'culprit' | 'confidence' | 'evidence'>,
>(h: T, known: ReadonlySet<string>, facts: Facts): GroundedConclusion<T> {
  const evidence = knownIds(h.evidence, known);
  const dropped = h.evidence.filter((id) => !evidence.includes(id));
  const value = { ...h, evidence, confidence: Math.min(h.confidence, confidenceCap(evidence.length)) };
  const cited = evidence.map((id) => facts.items.get(id)).filter((i): i is FactItem => !!i);
  for (const verdict of [
    groundCulprit(h.culprit, h.category, facts),
    groundCategory(h.category, cited),
    groundTimeOrder(h.category, cited, facts.onset),
  ]) {
    if (!verdict.ok) return { value, setAside: verdict.reason, dropped };
  }
  return { value, dropped };
}

// ---------------------------------------------------------------------------------------------
// Actions: target and every parameter
// ---------------------------------------------------------------------------------------------

export interface ActionBounds {
  /** The most a scale action may multiply capacity by (a factor, or an absolute count over the current). */
  maxScaleFactor: number;
  /** Narrowest prefix a block may be widened to, whatever the sources: a sanity floor. */
  minIpv4Prefix: number;
  minIpv6Prefix: number;
}

export const DEFAULT_ACTION_BOUNDS: ActionBounds = {
  maxScaleFactor: 3,
  minIpv4Prefix: 16,
  minIpv6Prefix: 48,
};

/** A value a parameter names must appear in the text of some evidence item. */
function namedByEvidence(value: string, facts: Facts): boolean {
  const v = lower(value).trim();
  if (v.length < 2) return false;
  if (knownNames(facts).includes(v)) return true;
  for (const item of facts.items.values()) if (mentions(item.text, v)) return true;
  return false;
}

function rollbackVerdict(action: MitigationAction, facts: Facts): Verdict {
  const target = lower(action.target);
  if (!changedTargets(facts.changes).has(target)) {
    return refuse(`rollback of ${action.target}: nothing of that name changed in the window`);
  }
  const records = facts.changes.filter((c) => lower(c.service) === target || lower(c.resource) === target);
  const versions = new Set(
    records.flatMap((c) => [c.version, c.previousVersion]).filter(Boolean) as string[],
  );
  for (const key of ['toVersion', 'fromVersion']) {
    const v = action.params[key];
    if (v !== undefined && !versions.has(String(v))) {
      return refuse(
        `rollback of ${action.target}: ${key}=${String(v).slice(0, 40)} is not a version the evidence shows for it`,
      );
    }
  }
  let blamed: ChangeRecord | undefined;
  const changeId = action.params.change;
  if (changeId !== undefined) {
    blamed = records.find((c) => c.id === String(changeId));
    if (!blamed) {
      return refuse(
        `rollback of ${action.target}: change=${String(changeId).slice(0, 60)} is not a change the evidence shows for it`,
      );
    }
  } else if (action.params.fromVersion !== undefined) {
    blamed = records.find((c) => c.version === String(action.params.fromVersion));
  }
  if (blamed) {
    return precedesOnset(blamed, facts.onset)
      ? OK
      : refuse(
          `rollback of ${action.target}: ${blamed.id} at ${blamed.at} came after the onset at ${facts.onset}`,
        );
  }
  if (!records.some((c) => precedesOnset(c, facts.onset))) {
    return refuse(`rollback of ${action.target}: every change to it came after the onset at ${facts.onset}`);
  }
  return OK;
}

/** The current level of what a scale action sets, from the evidence's metrics for the target. */
function currentLevel(target: string, key: string, facts: Facts): number | undefined {
  const pattern =
    key === 'reservedConcurrency'
      ? /concurren/i
      : /(desired|running|pending)?task.?count|desiredcount|instances?|capacity|replicas?/i;
  const levels = [...facts.items.values()]
    .filter(
      (i) => i.kind === 'metric' && lower(i.service) === target && i.metricName && pattern.test(i.metricName),
    )
    .map((i) => i.latest)
    .filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  return levels.length ? Math.max(...levels) : undefined;
}

function scaleVerdict(action: MitigationAction, facts: Facts, bounds: ActionBounds): Verdict {
  const target = lower(action.target);
  for (const [key, value] of Object.entries(action.params)) {
    if (typeof value !== 'number' || !Number.isFinite(value)) return refuse(`scale: ${key} must be a number`);
    if (key === 'factor') {
      if (value <= 0 || value > bounds.maxScaleFactor) {
        return refuse(`scale: factor ${value} is outside (0, ${bounds.maxScaleFactor}]`);
      }
      continue;
    }
    if (!Number.isInteger(value) || value < 1)
      return refuse(`scale: ${key}=${value} must be a whole number ≥ 1`);
    const current = currentLevel(target, key, facts);
    if (current === undefined) {
      return refuse(
        `scale: ${key}=${value} but no evidence shows the current level of ${action.target}; propose a factor instead`,
      );
    }
    const ceiling = Math.max(1, Math.ceil(current * bounds.maxScaleFactor));
    if (value > ceiling) {
      return refuse(
        `scale: ${key}=${value} is more than ${bounds.maxScaleFactor}× the current ${current} of ${action.target}`,
      );
    }
  }
  return OK;
}

// ---- addresses: enough IPv4/IPv6 to compare ranges ----

interface Range {
  v: 4 | 6;
  base: bigint;
  prefix: number;
}

function parseIpv4(s: string): bigint | undefined {
  const parts = s.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return undefined;
  return parts.reduce((acc, p) => (acc << 8n) | BigInt(Number(p)), 0n);
}

function parseIpv6(s: string): bigint | undefined {
  if (!/^[0-9a-f:]+$/i.test(s) || (s.match(/::/g) ?? []).length > 1) return undefined;
  const [head, tail] = s.includes('::') ? s.split('::') : [s, undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const missing = 8 - h.length - t.length;
  if ((tail === undefined && h.length !== 8) || missing < 0) return undefined;
  const groups = [...h, ...Array(tail === undefined ? 0 : missing).fill('0'), ...t];
  if (groups.length !== 8 || groups.some((g) => !/^[0-9a-f]{1,4}$/i.test(g))) return undefined;
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(Number.parseInt(g, 16)), 0n);
}

export function parseRange(text: string): Range | undefined {
  const [addr, len, ...rest] = text.trim().split('/');
  if (rest.length) return undefined;
  const v4 = parseIpv4(addr);
  const v: 4 | 6 | undefined = v4 !== undefined ? 4 : parseIpv6(addr) !== undefined ? 6 : undefined;
  if (!v) return undefined;
  const bits = v === 4 ? 32 : 128;
  const prefix = len === undefined ? bits : /^\d{1,3}$/.test(len) ? Number(len) : Number.NaN;
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > bits) return undefined;
  const value = (v4 ?? parseIpv6(addr)) as bigint;
  const mask = ((1n << BigInt(bits)) - 1n) ^ ((1n << BigInt(bits - prefix)) - 1n);
  return { v, base: value & mask, prefix };
}

const contains = (outer: Range, inner: Range): boolean => {
  if (outer.v !== inner.v || inner.prefix < outer.prefix) return false;
  const bits = BigInt(outer.v === 4 ? 32 : 128);
  return inner.base >> (bits - BigInt(outer.prefix)) === outer.base >> (bits - BigInt(outer.prefix));
};

/** The narrowest prefix that covers every range given (all of one family). */
function coveringPrefix(ranges: Range[]): number {
  const bits = ranges[0].v === 4 ? 32 : 128;
  let prefix = Math.min(...ranges.map((r) => r.prefix));
  while (prefix > 0) {
    const shift = BigInt(bits - prefix);
    const first = ranges[0].base >> shift;
    if (ranges.every((r) => r.base >> shift === first)) break;
    prefix--;
  }
  return prefix;
}

const ADDRESS = /(?:\d{1,3}\.){3}\d{1,3}(?:\/\d{1,2})?|(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4}(?:\/\d{1,3})?/gi;

/** Addresses and ranges the security signals and log lines name: the sources a block may cover. */
export function evidenceSources(facts: Facts): Range[] {
  const out: Range[] = [];
  for (const item of facts.items.values()) {
    if (item.kind !== 'security' && item.kind !== 'log') continue;
    for (const m of item.text.match(ADDRESS) ?? []) {
      const r = parseRange(m);
      if (r) out.push(r);
    }
  }
  return out;
}

function blockVerdict(action: MitigationAction, facts: Facts, bounds: ActionBounds): Verdict {
  for (const [key, value] of Object.entries(action.params)) {
    if (key !== 'cidr') {
      if (!namedByEvidence(String(value), facts)) {
        return refuse(`block-traffic: ${key}=${String(value).slice(0, 60)} is not named by any evidence`);
      }
      continue;
    }
    const range = parseRange(String(value));
    if (!range) return refuse(`block-traffic: cidr=${String(value).slice(0, 60)} is not an address range`);
    const floor = range.v === 4 ? bounds.minIpv4Prefix : bounds.minIpv6Prefix;
    if (range.prefix < floor) {
      return refuse(`block-traffic: cidr=${value} is wider than /${floor}`);
    }
    const covered = evidenceSources(facts).filter((s) => contains(range, s));
    if (!covered.length) {
      return refuse(`block-traffic: cidr=${value} covers no source address the evidence names`);
    }
    const needed = coveringPrefix(covered);
    if (range.prefix < needed) {
      return refuse(
        `block-traffic: cidr=${value} is wider than the evidence's sources (/${needed} covers them)`,
      );
    }
  }
  return OK;
}

const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;

function failoverVerdict(action: MitigationAction, facts: Facts): Verdict {
  const { from, to, region } = action.params;
  if (from !== undefined && !namedByEvidence(String(from), facts)) {
    return refuse(`failover: from=${String(from).slice(0, 60)} is not named by any evidence`);
  }
  for (const [key, value] of [
    ['to', to],
    ['region', region],
  ] as const) {
    if (value === undefined) continue;
    if (typeof value !== 'string' || !REGION.test(value)) {
      return refuse(`failover: ${key}=${String(value).slice(0, 60)} is not a region`);
    }
    if (from !== undefined && lower(String(from)) === lower(value)) {
      return refuse(`failover: ${key} is the region being failed away from`);
    }
  }
  return OK;
}

function namedParamsVerdict(action: MitigationAction, facts: Facts, keys: string[]): Verdict {
  for (const key of keys) {
    const value = action.params[key];
    if (value === undefined) continue;
    if (typeof value !== 'string' || !namedByEvidence(value, facts)) {
      return refuse(`${action.kind}: ${key}=${String(value).slice(0, 60)} is not named by any evidence`);
    }
  }
  return OK;
}

/**
 * Whether a model-proposed action is supported by the evidence:
 * - a rollback must undo a deployment or change in the window that preceded the onset, with any
 *   version or change id the change records show for that target;
 * - any other action must target the incident's services (or their dependencies) or something that
 *   changed, and some cited evidence must name that target;
 * - every parameter is bounded: scale by at most the configured factor (absolute counts only against
 *   a current level the metrics show), blocks no wider than the evidence's sources, and keys,
 *   principals, secrets, rules and flags only as the evidence names them.
 */
export function groundAction(
  action: MitigationAction,
  facts: Facts,
  cited: FactItem[],
  bounds: ActionBounds = DEFAULT_ACTION_BOUNDS,
): Verdict {
  if (action.kind === 'rollback') return rollbackVerdict(action, facts);
  const target = lower(action.target);
  if (!facts.scope.has(target) && !changedTargets(facts.changes).has(target)) {
    return refuse(`${action.kind} of ${action.target}: not a service of this incident`);
  }
  if (!cited.some((i) => lower(i.service) === target || mentions(i.text, target))) {
    return refuse(`${action.kind} of ${action.target}: no cited evidence names it`);
  }
  switch (action.kind) {
    case 'scale':
      return scaleVerdict(action, facts, bounds);
    case 'restart':
      return Object.keys(action.params).length ? refuse('restart takes no parameters') : OK;
    case 'feature-flag': {
      const enabled = action.params.enabled;
      if (enabled !== undefined && typeof enabled !== 'boolean')
        return refuse('feature-flag: enabled must be true or false');
      return namedParamsVerdict(action, facts, ['application', 'environment']);
    }
    case 'failover':
      return failoverVerdict(action, facts);
    case 'block-traffic':
      return blockVerdict(action, facts, bounds);
    case 'rotate-credentials':
      return namedParamsVerdict(action, facts, ['accessKeyId', 'principal', 'secret']);
  }
}

// ---------------------------------------------------------------------------------------------
// Triage
// ---------------------------------------------------------------------------------------------

const SEVERITY_ORDER = ['SEV1', 'SEV2', 'SEV3', 'SEV4'] as const;

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
