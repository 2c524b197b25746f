/**
 * The incident store with alert text masked on the way in: title, description, labels,
 * annotations and the raw payload of every linked alert, and whatever else is written (the
 * incident, timeline entries, updates) as a second line of defence. Wrapping the store where it is
 * wired covers every way an alert arrives (webhooks, EventBridge, SNS, the CLI, scenarios, a
 * person's summary) without each ingestion path redacting for itself.
 */
import type { NormalizedAlert } from '../model.js';
import type { IncidentStore } from '../ports.js';
import type { Redaction } from './redactor.js';

export function redactAlert(
  redaction: Redaction,
  incidentId: string,
  alert: NormalizedAlert,
): NormalizedAlert {
  return redaction.forIncident(incidentId).deep(alert);
}

export function redactingStore(inner: IncidentStore, redaction: Redaction): IncidentStore {
  const r = (id: string) => redaction.forIncident(id);
  const overrides: Partial<IncidentStore> = {
    create: (incident) => inner.create(r(incident.id).deep(incident)),
    update: (id, patch, opts) => inner.update(id, r(id).deep(patch), opts),
    appendEvent: (id, event) => inner.appendEvent(id, r(id).deep(event)),
    linkAlert: (id, alert) => inner.linkAlert(id, redactAlert(redaction, id, alert)),
    linkJoined: (joins) =>
      inner.linkJoined(joins.map((j) => ({ ...j, alert: redactAlert(redaction, j.incidentId, j.alert) }))),
  };
  return new Proxy(inner, {
    get(target, prop) {
      if (typeof prop === 'string' && prop in overrides) return overrides[prop as keyof IncidentStore];
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
