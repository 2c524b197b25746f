/** A person's start request (`firebreak start`, the Step Functions console) as a normalized alert. */
import { ValidationError } from '../errors.js';
import type { NormalizedAlert } from '../model.js';
import type { NormalizedDelivery } from './delivery.js';
import { severityFromWord } from './severity.js';
import { hash, obj, str, toIso } from './values.js';

export function fromManual(payload: unknown, receivedAt: string): NormalizedDelivery {
  const p = obj(payload);
  const service = str(p.service);
  const summary = str(p.summary);
  if (!service || !summary) throw new ValidationError('manual start needs service and summary');
  const severityHint = typeof p.severity === 'string' ? severityFromWord(p.severity) : undefined;
  if (p.severity !== undefined && !severityHint) throw new ValidationError('severity must be SEV1..SEV4');
  const at = toIso(p.startedAt, receivedAt);
  const alert: NormalizedAlert = {
    source: 'manual',
    sourceEventId: hash(`${service}|${summary}|${at}`),
    fingerprint: `manual:${service}:${hash(summary.toLowerCase())}`,
    status: 'firing',
    title: summary.slice(0, 200),
    description: summary,
    service,
    resources: [],
    severityHint,
    startedAt: at,
    links: [],
    labels: str(p.reportedBy) ? { reportedBy: String(p.reportedBy) } : {},
    raw: payload,
  };
  return { source: 'manual', alerts: [alert], notes: [] };
}
