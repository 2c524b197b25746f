import { z } from 'zod';
import { investigationContext } from '../core/incidents/context.js';
import { loadIncident } from '../core/incidents/open.js';
import { isEnabled, knownTargets, needsApproval, vetAction } from '../core/mitigation/allow-list.js';
import { describeAction } from '../core/notify/messages.js';
import { notifyAudiences } from '../core/notify/notify.js';
import { IncidentId } from '../core/phase-io.js';
import type { Ports } from '../core/ports.js';
import { record } from '../core/timeline.js';

export const PlanMitigationInput = z.object({ incidentId: IncidentId });

/**
 * Turns the root cause's suggestion into a plan the flow can route on (`next`): ask for approval,
 * execute, or only watch. A suggestion that fails the allow-list is recorded and dropped.
 */
export async function planMitigation(input: z.infer<typeof PlanMitigationInput>, ports: Ports) {
  const incident = await loadIncident(ports.store, input.incidentId);
  const severity = incident.severity ?? 'SEV3';
  const proposal = incident.rootCause?.mitigation;
  const now = ports.clock.now().toISOString();
  if (!proposal) {
    await record(
      ports,
      incident.id,
      'plan',
      'no mitigation proposed: watching for recovery and escalating if none',
    );
    return { proposed: false, next: 'monitor' as const, reason: 'no mitigation proposed' };
  }
  const ctx = await investigationContext(ports, incident);
  const changes = await ports.evidence.changes({ ...ctx.window });
  const verdict = vetAction(proposal, knownTargets(incident, ctx.services, changes));
  if (!verdict.ok) {
    await record(
      ports,
      incident.id,
      'plan-rejected',
      `proposal refused by the allow-list: ${verdict.reason}`,
    );
    return { proposed: false, next: 'monitor' as const, reason: verdict.reason };
  }
  const action = verdict.action;
  if (!isEnabled(ports.config, action)) {
    const reason = `${action.kind} is not enabled in Firebreak's configuration; run it by hand if you agree`;
    const updated = await ports.store.update(incident.id, {
      mitigation: { action, status: 'proposed', detail: reason },
      updatedAt: now,
    });
    await record(ports, incident.id, 'plan', `proposed only: ${describeAction(action)} (${reason})`, {
      action,
    });
    await notifyAudiences(ports, 'mitigation-proposed', updated, ['oncall'], { action, reason });
    return { proposed: true, action, next: 'monitor' as const, reason };
  }
  const approval = needsApproval(ports.config, severity);
  await ports.store.update(incident.id, {
    mitigation: { action, status: approval ? 'awaiting-approval' : 'approved', detail: '' },
    updatedAt: now,
  });
  await record(
    ports,
    incident.id,
    'plan',
    `${approval ? 'needs approval' : 'will execute (no approval required for ' + severity + ')'}: ${describeAction(action)}`,
    { action },
  );
  return {
    proposed: true,
    action,
    next: approval ? ('approve' as const) : ('execute' as const),
    reason: action.rationale,
  };
}
