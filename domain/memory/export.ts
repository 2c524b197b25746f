/**
 * A reviewed incident as an eval scenario (the shared scenario format, ../shared/scenarios): its
 * alert as the store holds it, the services it touched, how it recovered, and the responders'
 * verdict as `expected`. Everything comes from the store, which masked secrets and personal data as
 * they came in (domain/redaction/): nothing is unmasked here. The telemetry the investigation read is
 * not kept per incident, so the scenario's environment carries no metrics, logs or changes: a replay
 * tests the pipeline on the alert alone unless someone adds them.
 */
import { ValidationError } from '../errors.js';
import { inLinkOrder } from '../incidents/context.js';
import { type Incident, type NormalizedAlert, OPEN_STATUSES } from '../model.js';
import { servicesOf } from './records.js';

/** The scenario as plain data; the caller validates it against the scenario schema before writing. */
export interface ExportedScenario {
  id: string;
  title: string;
  alert: { source: NormalizedAlert['source']; receivedAt?: string; payload: unknown };
  environment: {
    services: Array<{ name: string }>;
    recovery: { resolvedBy: string[] };
  };
  expected: {
    severity: NonNullable<Incident['severity']>;
    category: string;
    culprit?: string;
    mitigation?: string;
    resolved: boolean;
  };
}

/**
 * The alert to replay: the incident's own first firing one as delivered (masked), or a manual start
 * when its payload was cut. The store lists alerts by key, not by time, so a joined alert may come first.
 */
function alertOf(incident: Incident, alerts: NormalizedAlert[]): ExportedScenario['alert'] {
  const ordered = inLinkOrder(incident, alerts);
  const alert = ordered.find((a) => a.status === 'firing') ?? ordered[0];
  const receivedAt = incident.detectedAt;
  if (!alert) throw new ValidationError('it has no alert to replay');
  const raw = alert.raw as { truncated?: unknown } | undefined;
  // A payload cut to fit the item (domain/alerts/bound.ts) no longer parses as its source's format.
  if (raw && typeof raw === 'object' && !raw.truncated && alert.source !== 'manual')
    return { source: alert.source, receivedAt, payload: raw };
  return {
    source: 'manual',
    receivedAt,
    payload: {
      service: alert.service ?? 'unknown',
      summary: alert.title,
      ...(alert.severityHint ? { severity: alert.severityHint } : {}),
      startedAt: alert.startedAt,
    },
  };
}

/**
 * Refuses (ValidationError, one line) an incident that is still open, not reviewed, or whose review
 * confirmed no cause: there is nothing true to expect of a replay.
 */
export function scenarioOf(incident: Incident, alerts: NormalizedAlert[]): ExportedScenario {
  if (OPEN_STATUSES.includes(incident.status))
    throw new ValidationError(
      `${incident.id} is still ${incident.status}: export it once it is resolved and reviewed`,
    );
  const review = incident.review;
  if (!review)
    throw new ValidationError(
      `${incident.id} is not reviewed: run \`firebreak review ${incident.id} --verdict …\` first (only a reviewed cause is known to be true)`,
    );
  const confirmed = review.confirmed;
  if (!confirmed)
    throw new ValidationError(
      `${incident.id}'s review (${review.verdict}) confirmed no cause: nothing to expect`,
    );
  const m = incident.mitigation;
  const applied = m?.status === 'applied' || m?.status === 'dry-run';
  return {
    id:
      incident.id
        .toLowerCase()
        .replace(/[^a-z0-9-]+/g, '-')
        .replace(/^-+/, '') || 'incident',
    title: `${incident.title} (exported from ${incident.id})`,
    alert: alertOf(incident, alerts),
    environment: {
      services: servicesOf(incident).map((name) => ({ name })),
      recovery: {
        resolvedBy:
          m && applied
            ? [`${m.action.kind}:${m.action.target}`]
            : incident.status === 'RESOLVED'
              ? ['self']
              : [],
      },
    },
    expected: {
      severity: incident.severity ?? 'SEV3',
      category: confirmed.category,
      ...(confirmed.culprit ? { culprit: confirmed.culprit } : {}),
      // The first mitigation, when it was the right one: after a `wrong` verdict it answered another cause.
      ...(m && applied && review.verdict !== 'wrong' ? { mitigation: m.action.kind } : {}),
      resolved: incident.status === 'RESOLVED',
    },
  };
}
