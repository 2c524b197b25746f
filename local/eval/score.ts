/**
 * Scores one finished run against its scenario's `expected`. The scorer only compares; it knows
 * nothing about how the analyst reached its answer.
 */
import type { Scenario } from '../../adapters/embedded/scenario/schema.js';
import { type Incident, SEVERITIES } from '../../domain/model.js';
import type { RunSummary } from '../runner.js';

/** One comparison: `pass` is null when the scenario does not ask for it. */
export interface Check {
  pass: boolean | null;
  got: string;
  want: string;
}

export const CHECKS = [
  'severity',
  'category',
  'culprit',
  'keywords',
  'forbidden',
  'mitigation',
  'resolved',
] as const;
export type CheckName = (typeof CHECKS)[number];

export interface ScenarioResult {
  id: string;
  file: string;
  difficulty: number | null;
  passed: boolean;
  checks: Record<CheckName, Check>;
  incidentId: string | null;
  executionStatus: 'SUCCEEDED' | 'FAILED' | 'ERROR';
  degraded: boolean;
  tokens: Incident['tokenUsage'] | null;
  wallSeconds: number;
  /** What the analyst concluded, in its own words (the root cause summary). */
  concluded?: string;
  error?: string;
}

const sevIndex = (s: string | null) => (s ? SEVERITIES.indexOf(s as (typeof SEVERITIES)[number]) : -1);
const lower = (s: string) => s.toLowerCase();

/** What the root cause says, as the scorer reads it: culprit, summary and causal chain. */
export const rootCauseText = (summary: RunSummary, incident?: Pick<Incident, 'rootCause'>) =>
  lower([summary.culprit, summary.rootCause, ...(incident?.rootCause?.causalChain ?? [])].join('\n'));

/** Scores one finished run against the scenario's expectations. */
export function score(
  expected: Scenario['expected'],
  summary: RunSummary,
  incident?: Pick<Incident, 'rootCause'>,
): Record<CheckName, Check> {
  const tolerance = expected.severityTolerance ?? 0;
  const gotSev = summary.severity;
  const text = rootCauseText(summary, incident);
  const named = lower(`${summary.culprit}\n${summary.rootCause}`);
  const keywords = expected.requiredKeywords ?? [];
  const missing = keywords.filter((k) => !text.includes(lower(k)));
  const forbidden = expected.forbiddenCategories ?? [];
  const gotMitigation = summary.mitigation.kind ?? 'none';
  const resolved = summary.status === 'RESOLVED';
  return {
    severity: {
      pass: gotSev !== null && Math.abs(sevIndex(gotSev) - sevIndex(expected.severity)) <= tolerance,
      got: gotSev ?? '—',
      want: tolerance ? `${expected.severity}±${tolerance}` : expected.severity,
    },
    category: {
      pass: summary.category === expected.category,
      got: summary.category,
      want: expected.category,
    },
    culprit: expected.culprit
      ? { pass: named.includes(lower(expected.culprit)), got: summary.culprit || '—', want: expected.culprit }
      : { pass: null, got: summary.culprit || '—', want: '—' },
    keywords: keywords.length
      ? {
          pass: missing.length === 0,
          got: missing.length ? `missing ${missing.join(', ')}` : 'all',
          want: keywords.join(', '),
        }
      : { pass: null, got: '—', want: '—' },
    forbidden: forbidden.length
      ? {
          pass: !forbidden.includes(summary.category),
          got: summary.category,
          want: `not ${forbidden.join('/')}`,
        }
      : { pass: null, got: summary.category, want: '—' },
    mitigation:
      expected.mitigation !== undefined
        ? { pass: gotMitigation === expected.mitigation, got: gotMitigation, want: expected.mitigation }
        : { pass: null, got: gotMitigation, want: '—' },
    resolved:
      expected.resolved !== undefined
        ? {
            pass: resolved === expected.resolved,
            got: summary.status,
            want: expected.resolved ? 'RESOLVED' : 'not resolved',
          }
        : { pass: null, got: summary.status, want: '—' },
  };
}
