import * as z from 'zod';
import { policyFor } from '../../domain/config.js';
import { ValidationError } from '../../domain/errors.js';
import { IncidentId } from '../../domain/flow/phase-io.js';
import { loadIncident } from '../../domain/incidents/open.js';
import { isEnabled, needsApproval, sameAction } from '../../domain/mitigation/allow-list.js';
import { MitigationAction } from '../../domain/model.js';
import { describeAction } from '../../domain/notify/messages.js';
import { nextUpdateAt, notifyAudiences } from '../../domain/notify/notify.js';
import type { Ports } from '../../domain/ports.js';
import { record } from '../../domain/timeline.js';

export const MitigateInput = z.object({ incidentId: IncidentId, action: MitigationAction });

/**
 * Executes the approved action. Checks again, here at the point of no return, that the action is
 * enabled and is exactly the one the plan recorded and (where required) a human approved: the
 * flow's routing alone is not trusted. Before/after state goes on the record either way.
 */
export async function mitigate(input: z.infer<typeof MitigateInput>, ports: Ports) {
  const incident = await loadIncident(ports.store, input.incidentId);
  const severity = incident.severity ?? 'SEV3';
  const planned = incident.mitigation;
  const matches = !!planned && sameAction(planned.action, input.action);
  if (!isEnabled(ports.config, input.action))
    throw new ValidationError(`${input.action.kind} is not enabled`);
  if (!matches || !planned) {
    throw new ValidationError(
      `refusing to run ${describeAction(input.action)}: it is not the planned action`,
    );
  }
  if (planned.status === 'applied') return { status: 'applied' as const }; // a retried invocation
  if (planned.status !== 'approved' && needsApproval(ports.config, severity)) {
    throw new ValidationError(`refusing to run ${describeAction(input.action)}: it has not been approved`);
  }
  const outcome = await ports.actions.execute(input.action, { dryRun: ports.config.dryRun, incident });
  const now = ports.clock.now().toISOString();
  const status = outcome.status;
  const updated = await ports.store.update(incident.id, {
    status: status === 'applied' ? 'MITIGATED' : incident.status,
    ...(status === 'applied' ? { mitigatedAt: now } : {}),
    mitigation: {
      ...planned,
      status,
      appliedAt: now,
      before: outcome.before,
      after: outcome.after,
      detail: outcome.detail,
    },
    updatedAt: now,
  });
  await record(
    ports,
    incident.id,
    `mitigation-${status}`,
    `${status}: ${describeAction(input.action)} — ${outcome.detail}`,
    { before: outcome.before, after: outcome.after, detail: outcome.detail },
  );
  const policy = policyFor(ports.config, severity);
  await notifyAudiences(
    ports,
    'mitigation-applied',
    updated,
    status === 'failed' ? ['oncall'] : policy.audiences,
    {
      action: input.action,
      actionStatus: status,
      actionPreview: outcome.detail,
      reason: status === 'failed' ? outcome.detail : undefined,
      nextUpdateAt: nextUpdateAt(updated, policy.updateCadenceSeconds, ports.clock.now()),
    },
    { once: `mitigation-${status}` },
  );
  return { status };
}
