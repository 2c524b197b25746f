/**
 * What the investigation read, kept for people: the metric series, log signatures and changes the
 * analyst had in front of it, as one timeline entry (`evidence-read`) written when the root cause is
 * recorded. The evidence adapters answer live (CloudWatch, Logs Insights, CloudTrail) and nothing
 * else keeps their answers, so without this the console could name a cited metric but never draw it.
 *
 * Bounded like the phase outputs (domain/flow/phase-outputs.ts): a few series of at most
 * MAX_POINTS points each (evenly thinned), the cited log signatures with a clipped sample, the
 * changes in the window. The largest snapshot these bounds allow is well under DynamoDB's 400 KB
 * item limit (test/local/console/evidence.test.ts measures it).
 */
import * as z from 'zod';
import type { RootCause } from '../model.js';
import type { Evidence, TimeWindow } from '../ports.js';
import { clip } from '../text.js';

export const EVIDENCE_EVENT = 'evidence-read';

export const EVIDENCE_LIMITS = {
  series: 6,
  points: 120,
  logs: 8,
  sample: 300,
  changes: 10,
  name: 200,
} as const;
const L = EVIDENCE_LIMITS;

const name = z.string().transform((s) => clip(s, L.name));

export const SeriesSummary = z.object({
  id: z.string().max(L.name),
  label: name,
  unit: z.string().max(40).optional(),
  service: name.optional(),
  cited: z.boolean(),
  points: z.array(z.tuple([z.string(), z.number()])).max(L.points),
});
export type SeriesSummary = z.infer<typeof SeriesSummary>;

export const LogSummary = z.object({
  id: z.string().max(L.name),
  service: name.optional(),
  level: z.string().max(20),
  signature: name,
  sample: z.string().transform((s) => clip(s, L.sample)),
  count: z.number(),
  firstSeen: z.string(),
  lastSeen: z.string(),
  cited: z.boolean(),
});
export type LogSummary = z.infer<typeof LogSummary>;

export const ChangeSummary = z.object({
  id: z.string().max(L.name),
  kind: z.enum(['deployment', 'change']),
  service: name.optional(),
  at: z.string(),
  summary: z.string().transform((s) => clip(s, 300)),
  actor: name.optional(),
  version: name.optional(),
  previousVersion: name.optional(),
  cited: z.boolean(),
});
export type ChangeSummary = z.infer<typeof ChangeSummary>;

export const EvidenceSnapshot = z.object({
  window: z.object({ from: z.string(), to: z.string() }),
  series: z.array(SeriesSummary).max(L.series),
  logs: z.array(LogSummary).max(L.logs),
  changes: z.array(ChangeSummary).max(L.changes),
});
export type EvidenceSnapshot = z.infer<typeof EvidenceSnapshot>;

/** Every n-th point so at most `max` remain, always keeping the last. */
export function thin<T>(points: T[], max: number): T[] {
  if (points.length <= max) return points;
  const step = points.length / (max - 1);
  const kept = Array.from({ length: max - 1 }, (_, i) => points[Math.floor(i * step)]);
  return [...kept, points[points.length - 1]];
}

/** How far a series moved: its range against its first value, so flat series sort last. */
const movement = (values: number[]) => {
  if (!values.length) return 0;
  const max = Math.max(...values);
  const min = Math.min(...values);
  return (max - min) / (Math.abs(values[0]) + 1);
};

/**
 * Reads the evidence over the investigation window and keeps what a person needs to see it: cited
 * items first, then the series that moved most and the loudest log signatures. Reads only.
 */
export async function snapshotEvidence(
  evidence: Evidence,
  window: TimeWindow,
  rootCause: Pick<RootCause, 'evidence'>,
  services: string[],
): Promise<EvidenceSnapshot> {
  const cited = new Set(rootCause.evidence);
  const scope = { ...window, ...(services.length ? { services } : {}) };
  const [metrics, logs, changes] = await Promise.all([
    evidence.metrics(scope),
    evidence.logs(scope),
    evidence.changes(scope),
  ]);
  const byInterest = <T extends { id: string }>(items: T[], score: (t: T) => number) =>
    [...items].sort((a, b) => Number(cited.has(b.id)) - Number(cited.has(a.id)) || score(b) - score(a));
  return EvidenceSnapshot.parse({
    window,
    series: byInterest(metrics, (m) => movement(m.points.map(([, v]) => v)))
      .slice(0, L.series)
      .map((m) => ({
        id: m.id.slice(0, L.name),
        label: `${m.metricName}${m.stat ? ` (${m.stat})` : ''}${Object.values(m.dimensions).length ? ` · ${Object.values(m.dimensions).join(', ')}` : ''}`,
        unit: m.unit?.slice(0, 40),
        service: m.service,
        cited: cited.has(m.id),
        points: thin(m.points, L.points),
      })),
    logs: byInterest(logs, (l) => l.count)
      .slice(0, L.logs)
      .map((l) => ({ ...l, id: l.id.slice(0, L.name), level: l.level.slice(0, 20), cited: cited.has(l.id) })),
    changes: byInterest(changes, (c) => Date.parse(c.at))
      .slice(0, L.changes)
      .map((c) => ({
        id: c.id.slice(0, L.name),
        kind: c.kind,
        service: c.service,
        at: c.at,
        summary: c.summary,
        actor: c.actor,
        version: c.version,
        previousVersion: c.previousVersion,
        cited: cited.has(c.id),
      })),
  });
}
