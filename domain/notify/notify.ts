import type { Clock } from '../clock.js';
import type { FirebreakConfig } from '../config.js';
import type { Audience, Incident } from '../model.js';
import type { IncidentRecords, MessageKind, Notifier } from '../ports.js';
import { record } from '../timeline.js';
import { composeMessage, type MessageContext } from './messages.js';

/**
 * When the next scheduled update goes out: the monitor loop sends one every cadence after the
 * declaration, so messages in between can promise the same time. Undefined when none is scheduled.
 */
export function nextUpdateAt(incident: Incident, cadenceSeconds: number, now: Date): string | undefined {
  if (!cadenceSeconds || incident.status === 'RESOLVED') return undefined;
  const start = new Date(incident.declaredAt ?? incident.detectedAt).getTime();
  const periods = Math.max(1, Math.ceil((now.getTime() - start) / (cadenceSeconds * 1000)));
  return new Date(start + periods * cadenceSeconds * 1000).toISOString();
}

/** The links every message carries: the incident console (with the id) and the runbooks. */
export function incidentLinks(config: FirebreakConfig | undefined, incidentId: string): string[] {
  const links: string[] = [];
  const consoleUrl = config?.links.console;
  if (consoleUrl) {
    links.push(
      consoleUrl.includes('{id}')
        ? consoleUrl.replace('{id}', encodeURIComponent(incidentId))
        : `${consoleUrl.replace(/\/$/, '')}/${encodeURIComponent(incidentId)}`,
    );
  }
  if (config?.links.runbooks) links.push(config.links.runbooks);
  links.push(`firebreak incidents show ${incidentId}`);
  return links;
}

/**
 * Sends one kind of message to each audience and notes every delivery on the timeline, so the
 * record always says who was told what. With `once`, an audience already told on that occasion
 * (same key on the timeline) is skipped: a retried phase does not page people twice.
 */
export async function notifyAudiences(
  deps: { store: IncidentRecords; notifier: Notifier; clock: Clock; config?: FirebreakConfig },
  kind: MessageKind,
  incident: Incident,
  audiences: readonly Audience[],
  ctx: MessageContext = {},
  opts: { once?: string } = {},
): Promise<number> {
  const now = deps.clock.now().toISOString();
  let unique = [...new Set(audiences)];
  if (opts.once) {
    const told = new Set(
      (await deps.store.timeline(incident.id))
        .filter((e) => e.type === 'notification')
        .map((e) => e.data as { key?: string; audience?: string } | undefined)
        .filter((d) => d?.key === opts.once)
        .map((d) => d?.audience),
    );
    unique = unique.filter((a) => !told.has(a));
  }
  const withLinks = { ...ctx, links: ctx.links ?? incidentLinks(deps.config, incident.id) };
  for (const audience of unique) {
    const message = composeMessage(kind, incident, audience, withLinks, now);
    await deps.notifier.publish(message);
    await record(deps, incident.id, 'notification', `${kind} sent to ${audience}: ${message.subject}`, {
      kind,
      audience,
      subject: message.subject,
      sms: message.sms,
      ...(opts.once ? { key: opts.once } : {}),
    });
  }
  return unique.length;
}
