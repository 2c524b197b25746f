import { z } from 'zod';
import { openApproval } from '../core/approval.js';
import { loadIncident } from '../core/incidents/open.js';
import { MitigationAction } from '../core/model.js';
import { notifyAudiences } from '../core/notify/notify.js';
import { IncidentId } from '../core/phase-io.js';
import type { Ports } from '../core/ports.js';
import { record } from '../core/timeline.js';

export const RequestApprovalInput = z.object({
  incidentId: IncidentId,
  action: MitigationAction,
  taskToken: z.string().min(1).max(8192),
});

/**
 * Runs as a `.waitForTaskToken` task: stores the pending approval and asks on-call. The engine then
 * waits until someone answers (SendTaskSuccess/SendTaskFailure) or the state's timeout passes.
 */
export async function requestApproval(
  input: z.infer<typeof RequestApprovalInput>,
  ports: Ports,
  opts: { approvalUrl?: (incidentId: string, token: string) => string } = {},
) {
  const incident = await loadIncident(ports.store, input.incidentId);
  const { approvalToken, expiresAt } = await openApproval(
    ports,
    incident.id,
    input.action,
    input.taskToken,
    ports.config.approvalTimeoutSeconds,
  );
  await record(ports, incident.id, 'approval-requested', `approval requested until ${expiresAt}`, {
    action: input.action,
  });
  const approvalLink = opts.approvalUrl?.(incident.id, approvalToken);
  await notifyAudiences(ports, 'approval-request', incident, ['oncall'], {
    action: input.action,
    actionStatus: 'Awaiting approval',
    approvalExpiresAt: expiresAt,
    approvalLink:
      approvalLink ?? `run: firebreak approve ${incident.id}  (or: firebreak reject ${incident.id})`,
  });
  return { requested: true, expiresAt };
}
