import * as z from 'zod';
import { policyFor } from '../../domain/config.js';
import { IncidentId, Monitor } from '../../domain/flow/phase-io.js';
import { inLinkOrder } from '../../domain/incidents/context.js';
import { loadIncident } from '../../domain/incidents/open.js';
import type { Ports } from '../../domain/ports.js';
import { record } from '../../domain/timeline.js';
import { firingAlarms } from '../triage/firing.js';

export const CheckRecoveryInput = z.object({ incidentId: IncidentId, monitor: Monitor });

const minutesSince = (from: string, now: Date) => (now.getTime() - new Date(from).getTime()) / 60_000;

/**
 * One turn of the monitor loop. Recovered means N consecutive healthy checks, not one lucky sample.
 * Decides what the loop does next, in this order: resolve; escalate to the tier whose time has come
 * (held while the alarm is already back to OK and confirming — nobody is paged for a recovery in
 * progress); re-triage when alerts joined, more alarms fire on the incident's services, or a SEV4
 * ticket's alarm still fires after its first checks; hand off to humans past the watch window; send
 * the update the cadence owes; wait.
 */
export async function checkRecovery(input: z.infer<typeof CheckRecoveryInput>, ports: Ports) {
  const incident = await loadIncident(ports.store, input.incidentId);
  const alerts = inLinkOrder(incident, await ports.store.alerts(incident.id));
  const alarmName = alerts[0]?.labels.alarmName ?? incident.title;
  const alarm = await ports.evidence.alarmState({ name: alarmName, service: incident.service });
  // PagerDuty, Alertmanager and Grafana incidents have no CloudWatch alarm to read: the source's own
  // latest word on the incident's fingerprint (resolved, recorded by ingestion) counts as healthy.
  const latest = alerts
    .filter((a) => a.fingerprint === incident.fingerprint && a.status !== 'info')
    .sort((a, b) => a.startedAt.localeCompare(b.startedAt))
    .at(-1);
  const state = latest?.status === 'resolved' ? 'OK' : alarm;
  const now = ports.clock.now();
  const monitor = input.monitor;
  const healthyChecks = state === 'OK' ? monitor.healthyChecks + 1 : 0;
  const checks = monitor.checks + 1;
  const policy = policyFor(ports.config, incident.severity ?? 'SEV3');
  const since = minutesSince(incident.declaredAt ?? incident.detectedAt, now);
  const dueTier = policy.escalation.filter((t) => t.afterMinutes <= since).length;
  const lastUpdate = monitor.lastUpdateAt ?? incident.declaredAt ?? incident.detectedAt;
  // Due at the check nearest the promised time: never more than half a check interval late.
  const updateDue =
    policy.updateCadenceSeconds > 0 &&
    minutesSince(lastUpdate, now) * 60 >= policy.updateCadenceSeconds - ports.config.checkIntervalSeconds / 2;
  const recovering = healthyChecks > 0;

  // Re-triage triggers: each is compared with what the last triage saw, so it fires once per change.
  const alertsNow = alerts.filter((a) => a.status === 'firing').length;
  const firing = await firingAlarms(ports, incident, incident.services);
  const triggers: string[] = [];
  if (monitor.alertsSeen !== undefined && alertsNow > monitor.alertsSeen) {
    // In link order the newest joiners come last: they are the ones the last triage did not count.
    const joined = alerts.filter((a) => a.status === 'firing').slice(monitor.alertsSeen);
    triggers.push(
      `${alertsNow - monitor.alertsSeen} alert(s) joined (${joined
        .map((a) => `${a.title}${a.severityHint ? ` ${a.severityHint}` : ''}`)
        .join(', ')
        .slice(0, 200)})`,
    );
  }
  if (monitor.firingSeen !== undefined && firing.length > monitor.firingSeen) {
    triggers.push(
      `impact growing: ${firing.length} alarms firing, was ${monitor.firingSeen} (${firing.join(', ').slice(0, 200)})`,
    );
  }
  const sinceDetected = minutesSince(incident.detectedAt, now);
  if (
    incident.severity === 'SEV4' &&
    state !== 'OK' &&
    sinceDetected >= ports.config.ticketWatchMinutes &&
    !monitor.retriage?.includes('SEV4 ticket')
  ) {
    triggers.push(`SEV4 ticket: ${alarmName} still firing after ${Math.round(sinceDetected)} min`);
  }

  let next: NonNullable<Monitor['next']> = 'wait';
  if (healthyChecks >= ports.config.healthyChecksToResolve) next = 'resolve';
  else if (triggers.length && !recovering) next = 'retriage';
  else if (dueTier > incident.escalationTier && !recovering) next = 'escalate';
  else if (since >= ports.config.monitorDeadlineMinutes) next = 'handoff';
  else if (updateDue) next = 'update';

  await record(
    ports,
    incident.id,
    'recovery-check',
    `check ${checks}: ${alarmName} is ${state} (${healthyChecks}/${ports.config.healthyChecksToResolve} healthy) → ${next}${next === 'retriage' ? ` (${triggers.join('; ')})` : ''}`,
    {
      state,
      healthyChecks,
      minutesSinceDeclared: Math.round(since),
      next,
      ...(next === 'retriage' ? { retriage: triggers } : {}),
    },
  );
  return {
    ...monitor,
    checks,
    healthyChecks,
    next,
    alarm: state,
    alertsSeen: Math.max(alertsNow, monitor.alertsSeen ?? 0),
    firingSeen: Math.max(firing.length, monitor.firingSeen ?? 0),
    ...(next === 'retriage' ? { retriage: triggers.join('; ').slice(0, 500) } : {}),
  };
}
