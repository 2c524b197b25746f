/**
 * What an alert asks of ingestion, from fields the normalizer sets itself — never from labels a
 * sender controls (an Alertmanager label cannot make an alert "acknowledge" anything).
 */
import { PAGERDUTY_ACKNOWLEDGED } from '../alerts/pagerduty.js';
import type { NormalizedAlert } from '../model.js';

/**
 * - fire: a problem is happening (ALARM, firing, incident.triggered) → start or join
 * - resolve: the source says it is over (OK, resolved, incident.resolved) → resolve
 * - acknowledge: a person took it (incident.acknowledged) → record, set acknowledgedAt
 * - note: anything else worth knowing (INSUFFICIENT_DATA, suppressed or muted ALARM, other
 *   PagerDuty events) → recorded on an open incident's timeline, never paged
 */
export type Intent = 'fire' | 'resolve' | 'acknowledge' | 'note';

export function intentOf(alert: NormalizedAlert): Intent {
  if (alert.status === 'firing') return 'fire';
  if (alert.status === 'resolved') return 'resolve';
  if (alert.source === 'pagerduty-v3' && alert.labels.eventType === PAGERDUTY_ACKNOWLEDGED)
    return 'acknowledge';
  return 'note';
}

/** Why an alert that asks for nothing is only noted: said once, in the words an operator expects. */
export function noteReason(alert: NormalizedAlert): string {
  if (alert.labels.actionsSuppressedBy) return `actions suppressed by ${alert.labels.actionsSuppressedBy}`;
  if (alert.labels.mutedBy) return `muted by ${alert.labels.mutedBy}`;
  if (alert.labels.state === 'INSUFFICIENT_DATA') return 'INSUFFICIENT_DATA is recorded, not paged';
  if (alert.labels.contributorId) return 'a contributor of a multi-time-series alarm recovered';
  if (alert.source === 'pagerduty-v3') return `PagerDuty ${alert.labels.eventType}`;
  return `${alert.source} ${alert.labels.state ?? alert.status}`;
}
