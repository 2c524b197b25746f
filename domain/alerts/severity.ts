import type { Severity } from '../model.js';

/**
 * The one table of severity words: what every source calls severity, priority or urgency, mapped to
 * Firebreak's levels. docs/response.md prints the same table; keep them together.
 *
 * - CloudWatch has no severity of its own: the alarm's `severity` tag carries one of these words.
 * - PagerDuty: priority names (`P1`…`P5`) first, then urgency (`high`, `low`).
 * - Alertmanager and Grafana: the `severity` label (or annotation), e.g. `critical`, `page`, `warning`.
 * - A person on the CLI: `SEV1`…`SEV4`.
 *
 * Words are compared lowercased with spaces, dashes, underscores and dots removed, so `SEV 1`,
 * `sev-1`, `Sev_1` and `P 1` all read the same.
 */
export const SEVERITY_WORDS: Readonly<Record<string, Severity>> = {
  // SEV1: the source says wake everyone.
  critical: 'SEV1',
  crit: 'SEV1',
  fatal: 'SEV1',
  emergency: 'SEV1',
  disaster: 'SEV1',
  sev1: 'SEV1',
  sev0: 'SEV1',
  p0: 'SEV1',
  p1: 'SEV1',
  // SEV2: page the on-call now. Prometheus' `page` means exactly that.
  page: 'SEV2',
  pager: 'SEV2',
  high: 'SEV2',
  error: 'SEV2',
  major: 'SEV2',
  alert: 'SEV2',
  sev2: 'SEV2',
  p2: 'SEV2',
  // SEV3: someone should look today.
  warning: 'SEV3',
  warn: 'SEV3',
  medium: 'SEV3',
  moderate: 'SEV3',
  average: 'SEV3',
  minor: 'SEV3',
  ticket: 'SEV3',
  sev3: 'SEV3',
  p3: 'SEV3',
  // SEV4: informational, a backlog ticket.
  low: 'SEV4',
  info: 'SEV4',
  informational: 'SEV4',
  notice: 'SEV4',
  none: 'SEV4',
  sev4: 'SEV4',
  sev5: 'SEV4',
  p4: 'SEV4',
  p5: 'SEV4',
};

const key = (w: string) => w.toLowerCase().replace(/[\s_.-]+/g, '');

/** A severity hint from a source's word for it; undefined when the word means nothing to us. */
export const severityFromWord = (w: unknown): Severity | undefined =>
  typeof w === 'string' ? SEVERITY_WORDS[key(w)] : undefined;

/**
 * The first of a source's severity words that the table knows, and the first it does not (kept so
 * triage can say on the timeline which word it could not read and fell back to the catalog tier).
 */
export function readSeverity(...words: unknown[]): { hint?: Severity; unknownWord?: string } {
  const given = words.filter((w): w is string => typeof w === 'string' && w.trim() !== '');
  for (const w of given) {
    const hint = severityFromWord(w);
    if (hint) return { hint };
  }
  return given.length ? { unknownWord: given[0].trim().slice(0, 40) } : {};
}

/** The normalized alert's fields for a reading: the hint, or the word nobody could map. */
export const severityFields = (r: {
  hint?: Severity;
  unknownWord?: string;
}): { severityHint?: Severity; severityWord?: string } =>
  r.hint ? { severityHint: r.hint } : r.unknownWord ? { severityWord: r.unknownWord } : {};
