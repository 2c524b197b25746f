import * as z from 'zod';
import { openApproval } from '../../domain/approval/approval.js';
import { blastRadiusOf } from '../../domain/approval/brief.js';
import { approvalLinks } from '../../domain/approval/links.js';
import { policyFor } from '../../domain/config.js';
import { ValidationError } from '../../domain/errors.js';
import { IncidentId } from '../../domain/flow/phase-io.js';
import { loadIncident } from '../../domain/incidents/open.js';
import { sameAction } from '../../domain/mitigation/allow-list.js';
import { MitigationAction } from '../../domain/model.js';
import { describeAction } from '../../domain/notify/messages.js';
import { nextUpdateAt, notifyAudiences } from '../../domain/notify/notify.js';
import type { Ports } from '../../domain/ports.js';
import { record } from '../../domain/timeline.js';

export const RequestApprovalInput = z.object({
  incidentId: IncidentId,
  action: MitigationAction,
  taskToken: z.string().min(1).max(8192),
});

/**
 * Runs as a `.waitForTaskToken` task: stores the pending approval (task token, hashed one-time
 * token, expiry) and asks on-call, naming the exact action, its parameters and what it will change.
 * The engine then waits until someone answers (SendTaskSuccess / SendTaskFailure) or the state's
 * timeout passes. Only the action the plan recorded can be put up for approval.
 */
export async function requestApproval(input: z.infer<typeof RequestApprovalInput>, ports: Ports) {
  const incident = await loadIncident(ports.store, input.incidentId);
  const planned = incident.mitigation;
  if (planned?.status !== 'awaiting-approval' || !sameAction(planned.action, input.action)) {
    throw new ValidationError(
      `refusing to request approval for ${describeAction(input.action)}: it is not the planned action`,
    );
  }
  const { approvalToken, expiresAt } = await openApproval(
    ports,
    incident.id,
    input.action,
    input.taskToken,
    ports.config.approvalTimeoutSeconds,
  );
  const now = ports.clock.now().getTime();
  const linkTtl = Math.min(
    ports.config.approvalLinkTtlSeconds ?? Number.POSITIVE_INFINITY,
    ports.config.approvalTimeoutSeconds,
  );
  const linkExpiry = new Date(now + linkTtl * 1000).toISOString();
  const links = ports.approvalLinks
    ? await approvalLinks(ports.approvalLinks, incident.id, approvalToken, linkExpiry)
    : undefined;
  await record(
    ports,
    incident.id,
    'approval-requested',
    `approval requested for ${describeAction(input.action)} until ${expiresAt}${links ? ' (signed links sent)' : ''}`,
    { action: input.action, expiresAt, links: !!links },
  );
  await notifyAudiences(ports, 'approval-request', incident, ['oncall'], {
    action: input.action,
    actionStatus: 'awaiting-approval',
    actionPreview: planned.detail || undefined,
    blastRadius: blastRadiusOf(incident, await ports.store.timeline(incident.id)),
    approvalLinks: links,
    approvalInstructions: `firebreak approve ${incident.id} [--by NAME]  or  firebreak reject ${incident.id} [--reason TEXT]`,
    approvalExpiresAt: links ? linkExpiry : expiresAt,
    nextUpdateAt: nextUpdateAt(
      incident,
      policyFor(ports.config, incident.severity ?? 'SEV3').updateCadenceSeconds,
      ports.clock.now(),
    ),
  });
  return { requested: true, expiresAt };
}
