/** Grounding a conclusion: culprit, category, confidence and time order against the facts. */
import type { Category, Hypothesis } from '../../../model.js';
import type { ChangeRecord } from '../../../ports.js';
import { mentionsWord } from '../../../text.js';

import { type EvidenceKind, type FactItem, type Facts, knownIds, lower } from './facts.js';

export type Verdict = { ok: true } | { ok: false; reason: string };
export const refuse = (reason: string): Verdict => ({ ok: false, reason });
export const OK: Verdict = { ok: true };

/** Names things are known by: catalog services, changed services, resources and versions, metrics, alarms. */
export function knownNames(facts: Facts): string[] {
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
  if (knownNames(facts).some((n) => mentionsWord(c, n) || mentionsWord(n, c))) return OK;
  if (c.length >= 3) {
    for (const item of facts.items.values()) if (mentionsWord(item.text, c)) return OK;
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
export const GRACE_MS: Record<ChangeRecord['kind'], number> = { deployment: 6 * 60_000, change: 2 * 60_000 };

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
