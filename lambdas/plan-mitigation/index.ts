import * as z from 'zod';
import { policyFor } from '../../domain/config.js';
import { IncidentId } from '../../domain/flow/phase-io.js';
import { loadIncident } from '../../domain/incidents/open.js';
import { planMitigation as plan } from '../../domain/mitigation/plan.js';
import { describeAction } from '../../domain/notify/messages.js';
import { nextUpdateAt, notifyAudiences } from '../../domain/notify/notify.js';
import type { Ports } from '../../domain/ports.js';
import { record } from '../../domain/timeline.js';

export const PlanMitigationInput = z.object({ incidentId: IncidentId });

/**
 * Turns the root cause's suggestion into a plan the flow can route on (`next`): ask for approval,
 * execute, or only watch. A suggestion that is refused, disabled or cannot be automated is recorded
 * and, when it is a real option, sent to on-call as a proposal to run by hand.
 */
export async function planMitigation(input: z.infer<typeof PlanMitigationInput>, ports: Ports) {
  const incident = await loadIncident(ports.store, input.incidentId);
  const result = await plan(ports, incident);
  const now = ports.clock.now().toISOString();
  if (!result.proposed) {
    await record(
      ports,
      incident.id,
      'plan',
      `no automated mitigation: ${result.reason}; watching for recovery`,
    );
    return { proposed: false, next: result.next, reason: result.reason };
  }
  const updated = await ports.store.update(incident.id, { mitigation: result.record, updatedAt: now });
  if (result.next === 'monitor') {
    await record(
      ports,
      incident.id,
      'plan',
      `proposed only: ${describeAction(result.action)} (${result.reason})`,
      {
        action: result.action,
      },
    );
    await notifyAudiences(
      ports,
      'mitigation-proposed',
      updated,
      ['oncall'],
      {
        action: result.action,
        actionStatus: 'proposed',
        reason: result.reason,
        nextUpdateAt: nextUpdateAt(
          updated,
          policyFor(ports.config, updated.severity ?? 'SEV3').updateCadenceSeconds,
          ports.clock.now(),
        ),
      },
      { once: 'mitigation-proposed' },
    );
    return { proposed: true, action: result.action, next: result.next, reason: result.reason };
  }
  await record(
    ports,
    incident.id,
    'plan',
    `${result.next === 'approve' ? 'needs approval' : `will execute (no approval required for ${incident.severity})`}: ${describeAction(result.action)} — ${result.preview}`,
    { action: result.action, preview: result.preview },
  );
  return {
    proposed: true,
    action: result.action,
    next: result.next,
    reason: result.reason,
    preview: result.preview,
  };
}
