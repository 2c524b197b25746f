import type { Clock } from '../clock.js';
import type { Audience, Incident } from '../model.js';
import type { IncidentStore, MessageKind, Notifier } from '../ports.js';
import { record } from '../timeline.js';
import { composeMessage, type MessageContext } from './messages.js';

/**
 * Sends one kind of message to each audience and notes every delivery on the timeline, so the
 * record always says who was told what.
 */
export async function notifyAudiences(
  deps: { store: IncidentStore; notifier: Notifier; clock: Clock },
  kind: MessageKind,
  incident: Incident,
  audiences: readonly Audience[],
  ctx: MessageContext = {},
): Promise<number> {
  for (const audience of new Set(audiences)) {
    const message = composeMessage(kind, incident, audience, ctx);
    await deps.notifier.publish(message);
    await record(deps, incident.id, 'notification', `${kind} sent to ${audience}: ${message.subject}`, {
      kind,
      audience,
      subject: message.subject,
      sms: message.sms,
    });
  }
  return new Set(audiences).size;
}
