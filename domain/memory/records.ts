/**
 * Incident memory: what Firebreak remembers of a finished (or declared) incident, the index keys it
 * is found under, and how a match is described and weighed. Pure: the adapter (dynamo-memory.ts)
 * stores and queries these records.
 *
 * Index items live in the incident table beside everything else:
 *
 *   pk                      sk                       what
 *   MEM#fp#<fingerprint>    <detectedAt>#<id>        the incident, found by its alert/alarm
 *   MEM#svc#<service>       <detectedAt>#<id>        the incident, found by each service it touched (≤ MAX_SERVICES)
 *   MEM#cat#<category>      <detectedAt>#<id>        the incident, found by its (confirmed) cause category
 *
 * The sort key is time first, so "within the horizon, newest first" is one bounded Query per key.
 */
import * as z from 'zod';
import { ActionKind, Category, type Incident, IncidentStatus, Severity } from '../model.js';

/** Services an incident is indexed (and looked up) under: the first few it touched. */
export const MAX_SERVICES = 3;

export const memoryKeys = {
  fingerprint: (fp: string) => `MEM#fp#${fp}`,
  service: (service: string) => `MEM#svc#${service}`,
  category: (category: string) => `MEM#cat#${category}`,
  sort: (detectedAt: string, id: string) => `${detectedAt}#${id}`,
};

export const Verdict = z.enum(['correct', 'partly', 'wrong']);
export type Verdict = z.infer<typeof Verdict>;

/** A cause as responders confirmed it: only reviewed causes count as confirmed memory. */
export const ConfirmedCause = z.object({
  category: Category,
  culprit: z.string().default(''),
  summary: z.string().default(''),
});
export type ConfirmedCause = z.infer<typeof ConfirmedCause>;

export const MemoryRecord = z.object({
  id: z.string(),
  title: z.string(),
  status: IncidentStatus,
  severity: Severity.optional(),
  fingerprint: z.string(),
  services: z.array(z.string()).default([]),
  detectedAt: z.string(),
  resolvedAt: z.string().optional(),
  /** The analyst's conclusion, as it stood when the record was written. */
  category: Category.optional(),
  culprit: z.string().optional(),
  summary: z.string().optional(),
  signatures: z.array(z.string()).default([]),
  mitigation: z.object({ kind: ActionKind, target: z.string(), status: z.string() }).optional(),
  minutesToResolve: z.number().optional(),
  verdict: Verdict.optional(),
  confirmed: ConfirmedCause.optional(),
});
export type MemoryRecord = z.infer<typeof MemoryRecord>;

const cut = (s: string | undefined, n: number) => (s === undefined ? undefined : s.slice(0, n));

/** The category an incident is remembered under: the confirmed one when reviewed, else the analyst's. */
export function categoryOf(incident: Incident): Category | undefined {
  const c = incident.review?.confirmed?.category ?? incident.rootCause?.category;
  // `unknown` and `healthy` say nothing about what broke: indexing them would only add noise.
  return c && c !== 'unknown' && c !== 'healthy' ? c : undefined;
}

export function servicesOf(incident: Pick<Incident, 'service' | 'services'>): string[] {
  const all = [...(incident.service ? [incident.service] : []), ...incident.services];
  return [...new Set(all)].slice(0, MAX_SERVICES);
}

/** Every partition an incident is indexed under. */
export function partitionsOf(incident: Incident): string[] {
  const category = categoryOf(incident);
  return [
    memoryKeys.fingerprint(incident.fingerprint),
    ...servicesOf(incident).map(memoryKeys.service),
    ...(category ? [memoryKeys.category(category)] : []),
  ];
}

export function recordOf(incident: Incident): MemoryRecord {
  const rc = incident.rootCause;
  const resolvedMs = incident.resolvedAt
    ? Date.parse(incident.resolvedAt) - Date.parse(incident.detectedAt)
    : NaN;
  return MemoryRecord.parse({
    id: incident.id,
    title: incident.title.slice(0, 200),
    status: incident.status,
    severity: incident.severity,
    fingerprint: incident.fingerprint,
    services: servicesOf(incident),
    detectedAt: incident.detectedAt,
    resolvedAt: incident.resolvedAt,
    category: rc?.category,
    culprit: cut(rc?.culprit, 200),
    summary: cut(rc?.summary, 300),
    signatures: (rc?.signatures ?? []).slice(0, 10),
    mitigation: incident.mitigation
      ? {
          kind: incident.mitigation.action.kind,
          target: incident.mitigation.action.target.slice(0, 200),
          status: incident.mitigation.status,
        }
      : undefined,
    minutesToResolve: Number.isFinite(resolvedMs) ? Math.max(0, Math.round(resolvedMs / 60_000)) : undefined,
    verdict: incident.review?.verdict,
    confirmed: incident.review?.confirmed,
  });
}

/** A past incident like this one, and why it matched. */
export interface SimilarIncident {
  record: MemoryRecord;
  /** What it shares with this incident. */
  matchedOn: Array<'fingerprint' | 'service' | 'category' | 'signature'>;
  score: number;
}

export interface SimilarResult {
  matches: SimilarIncident[];
  /** How many index items the lookup read (the bound the benchmark checks). */
  itemsRead: number;
  horizonDays: number;
}

const WEIGHTS = { fingerprint: 4, service: 2, category: 1, signature: 2 } as const;

/**
 * Ranks candidate records against the incident: shared alert first, then service, shared
 * failure signatures and category; a reviewed (confirmed) incident outranks an unreviewed one
 * of equal likeness, then the most recent wins.
 */
export function rankSimilar(
  incident: Incident,
  candidates: Array<{ record: MemoryRecord; partition: string }>,
  limit: number,
): SimilarIncident[] {
  const byId = new Map<string, SimilarIncident>();
  const signatures = new Set(incident.rootCause?.signatures ?? []);
  for (const { record, partition } of candidates) {
    if (record.id === incident.id) continue;
    const kind = partition.startsWith('MEM#fp#')
      ? 'fingerprint'
      : partition.startsWith('MEM#svc#')
        ? 'service'
        : 'category';
    const entry = byId.get(record.id) ?? { record, matchedOn: [], score: 0 };
    if (!entry.matchedOn.includes(kind)) {
      entry.matchedOn.push(kind);
      entry.score += WEIGHTS[kind];
    }
    byId.set(record.id, entry);
  }
  for (const entry of byId.values()) {
    if (entry.record.signatures.some((s) => signatures.has(s))) {
      entry.matchedOn.push('signature');
      entry.score += WEIGHTS.signature;
    }
    if (entry.record.confirmed) entry.score += 0.5;
  }
  return [...byId.values()]
    .sort((a, b) => b.score - a.score || b.record.detectedAt.localeCompare(a.record.detectedAt))
    .slice(0, limit);
}

/** A past incident's cause in a phrase: the confirmed one when reviewed. */
export function causeOf(r: MemoryRecord): string | undefined {
  const c = r.confirmed ?? (r.category ? { category: r.category, summary: r.summary ?? '' } : undefined);
  if (!c) return undefined;
  const what = c.summary || c.category;
  // One line among others: the first sentence, cut, is enough to recognise a cause.
  const short = what.length > 140 ? `${what.slice(0, 139)}…` : what;
  return `${short}${r.confirmed ? ' (confirmed)' : ''}`;
}

function lastTime(r: MemoryRecord): string {
  const parts = [causeOf(r) ?? 'cause not recorded'];
  if (r.mitigation && (r.mitigation.status === 'applied' || r.mitigation.status === 'dry-run'))
    parts.push(
      `${r.mitigation.kind} ${r.mitigation.target} fixed it${r.minutesToResolve !== undefined ? ` in ${r.minutesToResolve} min` : ''}`,
    );
  else if (r.minutesToResolve !== undefined) parts.push(`resolved in ${r.minutesToResolve} min`);
  return `${r.id} on ${r.detectedAt.slice(0, 10)}: ${parts.join('; ')}`;
}

/** One line for responders: "seen 3 times in 30 days; last time: …", or undefined when never seen. */
export function describeHistory(result: SimilarResult): string | undefined {
  const { matches } = result;
  if (!matches.length) return undefined;
  const sameAlert = matches.filter((m) => m.matchedOn.includes('fingerprint'));
  const counted = sameAlert.length ? sameAlert : matches;
  const what = sameAlert.length ? 'this alert' : 'similar incidents';
  const latest = [...counted].sort((a, b) => b.record.detectedAt.localeCompare(a.record.detectedAt))[0];
  const times = counted.length === 1 ? 'once' : `${counted.length} times`;
  return `${what} seen ${times} in ${result.horizonDays} days; last time: ${lastTime(latest!.record)}`;
}

/** Markdown lines for "Related incidents" (postmortem) and `incidents show`. */
export function relatedLines(result: SimilarResult): string[] {
  return result.matches.map(
    (m) =>
      `${m.record.id} (${m.record.detectedAt.slice(0, 10)}, ${m.record.status}, same ${m.matchedOn.join(' + ')}): ${m.record.title} — ${causeOf(m.record) ?? 'cause not recorded'}${m.record.verdict ? `; reviewed: ${m.record.verdict}` : ''}`,
  );
}
