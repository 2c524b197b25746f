import * as z from 'zod';
import { policyFor } from '../../domain/config.js';
import { IncidentId } from '../../domain/flow/phase-io.js';
import { investigationContext } from '../../domain/incidents/context.js';
import { loadIncident } from '../../domain/incidents/open.js';
import { SEVERITIES, type Severity } from '../../domain/model.js';
import type { Ports } from '../../domain/ports.js';
import { record } from '../../domain/timeline.js';
import { firingAlarms } from './firing.js';

export const TriageInput = z.object({
  incidentId: IncidentId,
  executionArn: z.string().optional(),
  /** Set by the monitor loop: why severity is re-evaluated (alerts joined, impact grew, ticket still firing). */
  retriage: z.string().max(500).optional(),
  /**
   * Set after the investigation: re-evaluate only if alerts joined since the first triage counted
   * `alertsSeen` firing ones; otherwise the decision stands as it was (no analyst call, no entry).
   */
  joinedSince: z
    .object({ alertsSeen: z.number().int().nonnegative(), firingSeen: z.number().int().nonnegative() })
    .optional(),
});

const rank = (s: Severity) => SEVERITIES.indexOf(s);
/** The entry leads with the decided severity; an analyst's rationale may lead with its own. */
const withoutSeverity = (rationale: string) => rationale.replace(/^\s*SEV[1-4]\s*[:\-–]\s*/i, '');

/**
 * Classifies severity, picks the specialists to run, and fixes the cadence the flow will use.
 * Its output drives every Choice on severity downstream.
 *
 * Run again by the monitor loop (`retriage`), it re-measures and may only raise: severity never
 * falls by itself while alarms fire. A raise is recorded with its reason and evidence and returned
 * as `raised`, so the flow re-declares to the new level's audiences.
 */
export async function triage(given: z.infer<typeof TriageInput>, ports: Ports) {
  const incident = await loadIncident(ports.store, given.incidentId);
  const ctx = await investigationContext(ports, incident);
  let input = given;
  if (given.joinedSince && incident.severity) {
    const firingNow = ctx.alerts.filter((a) => a.status === 'firing');
    const { alertsSeen, firingSeen } = given.joinedSince;
    if (firingNow.length <= alertsSeen) {
      const severity = incident.severity;
      const { updateCadenceSeconds } = policyFor(ports.config, severity);
      const { checkIntervalSeconds } = ports.config;
      const services = incident.services;
      return {
        severity,
        specialists: [],
        services,
        updateCadenceSeconds,
        checkIntervalSeconds,
        alertsSeen,
        firingSeen,
        raised: false,
        from: severity,
        reason: '',
      };
    }
    // In link order the newest joiners come last: the ones the first triage did not count.
    const joined = firingNow
      .slice(alertsSeen)
      .map((a) => `${a.title}${a.severityHint ? ` ${a.severityHint}` : ''}`);
    input = {
      ...given,
      retriage: `${joined.length} alert(s) joined during the investigation (${joined.join(', ').slice(0, 200)})`,
    };
  }
  const { value: decision, degraded, usage } = await ports.analyst.triage(ctx);
  const why: string[] = [];
  let severity = decision.severity;

  // Joined alerts speak through the mapping table only, one step at a time, as the first one does
  // (whose word the analyst already weighed against the measurement).
  const strongest = ctx.alerts
    .filter((a) => a.status === 'firing' && a.severityHint && a.fingerprint !== incident.fingerprint)
    .sort((a, b) => rank(a.severityHint as Severity) - rank(b.severityHint as Severity))[0];
  if (strongest?.severityHint && rank(strongest.severityHint) < rank(severity)) {
    const to = SEVERITIES[Math.max(rank(strongest.severityHint), rank(severity) - 1)];
    why.push(`${strongest.title} (${strongest.source}) says ${strongest.severityHint}`);
    severity = to;
  }
  for (const a of ctx.alerts.filter((x) => x.severityWord)) {
    await record(
      ports,
      incident.id,
      'severity-word-unknown',
      `${a.source} severity "${a.severityWord}" is not in the mapping table; severity falls back to the measured impact and the catalog tier`,
      { source: a.source, word: a.severityWord, alert: a.sourceEventId },
    );
  }

  const now = ports.clock.now();
  const current = incident.severity;
  if (input.retriage && current === 'SEV4' && rank(severity) > rank('SEV3')) {
    // A ticket is not silence: an alarm that does not clear is not the noise a ticket assumed.
    const minutes = Math.round((now.getTime() - new Date(incident.detectedAt).getTime()) / 60_000);
    const alarm = ctx.alerts[0]?.labels.alarmName ?? incident.title;
    const state = await ports.evidence.alarmState({ name: alarm, service: incident.service });
    if (state !== 'OK' && minutes >= ports.config.ticketWatchMinutes) {
      why.push(`${alarm} still firing ${minutes} min after detection`);
      severity = 'SEV3';
    }
  }
  const services = [...new Set([...(incident.service ? [incident.service] : []), ...decision.services])];
  const firing = await firingAlarms(ports, incident, services);
  const alertsSeen = ctx.alerts.filter((a) => a.status === 'firing').length;
  const policyOut = (s: Severity) => ({
    severity: s,
    specialists: decision.specialists,
    services,
    updateCadenceSeconds: policyFor(ports.config, s).updateCadenceSeconds,
    checkIntervalSeconds: ports.config.checkIntervalSeconds,
    alertsSeen,
    firingSeen: firing.length,
  });

  if (input.retriage && current) {
    const raised = rank(severity) < rank(current);
    const kept = raised ? severity : current;
    const reason = raised
      ? `raised ${current} → ${severity}: ${[input.retriage, ...why].join('; ')}`
      : `kept ${current} (measured ${severity}${rank(severity) > rank(current) ? '; never lowered while alarms fire' : ''}): ${input.retriage}`;
    await ports.store.update(incident.id, {
      ...(raised ? { severity } : {}),
      ...(decision.impact ? { impact: decision.impact } : {}),
      services: [...new Set([...incident.services, ...services])],
      updatedAt: now.toISOString(),
    });
    await record(
      ports,
      incident.id,
      raised ? 'severity-raised' : 'retriaged',
      `${reason}. Evidence: ${withoutSeverity(decision.rationale)}`,
      {
        from: current,
        to: kept,
        measured: decision.severity,
        trigger: input.retriage,
        why,
        firingAlarms: firing,
        alerts: alertsSeen,
        ...(decision.impact ? { impact: decision.impact } : {}),
      },
      ports.analyst.name,
    );
    return { ...policyOut(kept), raised, from: current, reason: reason.slice(0, 480) };
  }

  await ports.store.update(incident.id, {
    severity,
    services,
    executionArn: input.executionArn ?? incident.executionArn,
    updatedAt: now.toISOString(),
    ...(decision.impact ? { impact: decision.impact } : {}),
    ...(usage ? { tokenUsage: usage } : {}),
  });
  await record(
    ports,
    incident.id,
    'triaged',
    `${severity}${severity !== decision.severity ? ` (measured ${decision.severity})` : ''}: ${withoutSeverity(decision.rationale)}${why.length ? ` Joined alerts: ${why.join('; ')}.` : ''}${degraded ? ' (degraded: offline analyst)' : ''}`,
    {
      severity,
      specialists: decision.specialists,
      services,
      measured: decision.severity,
      ...(decision.impact ? { impact: decision.impact } : {}),
    },
    ports.analyst.name,
  );
  return { ...policyOut(severity), raised: false, from: severity, reason: '' };
}
