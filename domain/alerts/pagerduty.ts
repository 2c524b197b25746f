/**
 * PagerDuty V3 webhooks: `{event: {id, event_type, resource_type, occurred_at, agent, data}}`.
 * Incident events are normalized with the PagerDuty incident as the fingerprint; `data` is the
 * incident itself or, for notes, status updates, responders and workflows, an object that
 * references it. Service events are refused: they describe configuration, not a problem.
 */
import * as z from 'zod';
import { ValidationError } from '../errors.js';
import type { NormalizedAlert } from '../model.js';
import { type NormalizedDelivery, parseShape } from './delivery.js';
import { readSeverity, severityFields } from './severity.js';
import { obj, str, text, toIso } from './values.js';

const Webhook = z.looseObject({
  event: z.looseObject({
    id: z.string().min(1),
    event_type: z.string().min(1),
    resource_type: z.string().optional(),
    occurred_at: z.string().optional(),
    agent: z.looseObject({ summary: z.string().nullish() }).nullish(),
    data: z.looseObject({}),
  }),
});

/** The event types that change what Firebreak does; every other incident.* event is recorded. */
export const PAGERDUTY_FIRING = new Set(['incident.triggered', 'incident.reopened']);
export const PAGERDUTY_RESOLVED = 'incident.resolved';
export const PAGERDUTY_ACKNOWLEDGED = 'incident.acknowledged';

function detailOf(type: string, data: Record<string, unknown>): string | undefined {
  return (
    str(data.content) ??
    str(data.message) ??
    (type.startsWith('incident.workflow') ? str(data.summary) : undefined)
  );
}

export function fromPagerDuty(payload: unknown, receivedAt: string): NormalizedDelivery {
  const { event } = parseShape(Webhook, payload, 'PagerDuty V3 webhook');
  const type = event.event_type;
  if (event.resource_type === 'service' || type.startsWith('service.')) {
    throw new ValidationError(
      `PagerDuty ${type} is a service event, not an incident: subscribe the webhook to incident.* events only`,
    );
  }
  if (!type.startsWith('incident.')) {
    throw new ValidationError(`unsupported PagerDuty event type ${type}: expected incident.*`);
  }
  const data = event.data;
  const isIncident = data.type === 'incident';
  const ref = isIncident ? data : obj(data.incident);
  const incidentId = str(ref.id);
  if (!incidentId)
    throw new ValidationError(`PagerDuty ${type} names no incident (data.id / data.incident.id)`);
  const service = str(obj(data.service).summary);
  const priority = str(obj(data.priority).summary);
  const urgency = str(data.urgency);
  const status: NormalizedAlert['status'] = PAGERDUTY_FIRING.has(type)
    ? 'firing'
    : type === PAGERDUTY_RESOLVED
      ? 'resolved'
      : 'info';
  const title = str(data.title) ?? str(ref.summary) ?? `PagerDuty incident ${incidentId}`;
  const detail = detailOf(type, data);
  const agent = str(event.agent?.summary);
  const labels: Record<string, string> = {
    eventType: type,
    pagerdutyIncident: incidentId,
    ...(text(data.number) ? { incidentNumber: String(text(data.number)) } : {}),
    ...(str(data.incident_key) ? { incidentKey: String(data.incident_key) } : {}),
    ...(urgency ? { urgency } : {}),
    ...(priority ? { priority } : {}),
    ...(agent ? { agent } : {}),
  };
  const alert: NormalizedAlert = {
    source: 'pagerduty-v3',
    sourceEventId: event.id,
    fingerprint: `pagerduty:${incidentId}`,
    status,
    title,
    description: [
      `${type}${agent ? ` by ${agent}` : ''}`,
      detail,
      priority ? `priority ${priority}` : '',
      urgency ? `urgency ${urgency}` : '',
    ]
      .filter(Boolean)
      .join(' — '),
    service,
    resources: [],
    // A priority name says more than urgency (two values); either may be a word we do not know.
    ...severityFields(readSeverity(priority, urgency)),
    // A trigger starts when PagerDuty created the incident; anything else when it happened.
    startedAt: toIso(
      status === 'firing' ? (data.created_at ?? event.occurred_at) : event.occurred_at,
      receivedAt,
    ),
    links: [str(ref.html_url)].filter((l): l is string => !!l),
    labels,
    raw: payload,
  };
  return { source: 'pagerduty-v3', alerts: [alert], notes: [], deliveryId: event.id };
}
