/** What ingestion decided, per alert and for the delivery as a whole. */
import type { NormalizedAlert } from '../model.js';

/**
 * `queued`: stored, and ingestion goes on after the sender is answered (`serve`'s inbox, never an
 * outcome of one alert).
 */
export const DECISIONS = ['start', 'join', 'resolve', 'record', 'ignore', 'queued'] as const;
export type Decision = (typeof DECISIONS)[number];

export interface AlertOutcome {
  decision: Decision;
  reason: string;
  alert: NormalizedAlert;
  incidentId?: string;
  executionArn?: string;
}

export interface IngestResult {
  /** The weightiest decision among the delivery's alerts (start > join > resolve > record > ignore). */
  decision: Decision;
  reason: string;
  incidentId?: string;
  executionArn?: string;
  outcomes: AlertOutcome[];
  notes: string[];
}

const RANK: Record<Decision, number> = { start: 5, join: 4, resolve: 3, record: 2, ignore: 1, queued: 0 };

export function summarize(outcomes: AlertOutcome[], notes: string[]): IngestResult {
  if (!outcomes.length) {
    return {
      decision: 'ignore',
      reason: notes.join('; ') || 'the delivery carries no alert',
      outcomes,
      notes,
    };
  }
  const top = outcomes.reduce((a, b) => (RANK[b.decision] > RANK[a.decision] ? b : a));
  const others = outcomes.length - 1;
  const counts = DECISIONS.map((d) => [d, outcomes.filter((o) => o.decision === d).length] as const)
    .filter(([, n]) => n)
    .map(([d, n]) => `${n} ${d}`)
    .join(', ');
  return {
    decision: top.decision,
    reason: others ? `${top.reason} (${outcomes.length} alerts: ${counts})` : top.reason,
    incidentId: top.incidentId,
    executionArn: top.executionArn,
    outcomes,
    notes,
  };
}

/** The alert fields the CLI and the endpoints report (never the raw payload). */
export const alertSummary = (a: NormalizedAlert) => ({
  source: a.source,
  fingerprint: a.fingerprint,
  status: a.status,
  title: a.title,
  service: a.service ?? null,
  severityHint: a.severityHint ?? null,
  startedAt: a.startedAt,
});
