/**
 * From the analyst's suggestion to a plan the flow routes on. Code decides, in order: is it an
 * allow-listed action on a resource this incident's evidence names, is the kind enabled, can the
 * adapter do it (a dry-run against the real resource), and does this severity need a human.
 */

import { investigationContext } from '../incidents/context.js';
import type { Incident, MitigationAction, MitigationRecord } from '../model.js';
import type { Ports } from '../ports.js';
import { isEnabled, knownTargets, needsApproval, vetAction } from './allow-list.js';

export type Plan =
  | { next: 'monitor'; proposed: false; reason: string }
  | { next: 'monitor'; proposed: true; action: MitigationAction; reason: string; record: MitigationRecord }
  | {
      next: 'approve' | 'execute';
      proposed: true;
      action: MitigationAction;
      reason: string;
      preview: string;
      record: MitigationRecord;
    };

/** A proposal people can act on by hand: recorded, not run. */
const proposedOnly = (action: MitigationAction, reason: string): Plan => ({
  next: 'monitor',
  proposed: true,
  action,
  reason,
  record: { action, status: 'proposed', detail: reason },
});

export async function planMitigation(ports: Ports, incident: Incident): Promise<Plan> {
  const proposal = incident.rootCause?.mitigation;
  if (!proposal) {
    const why =
      !incident.rootCause || incident.rootCause.category === 'unknown'
        ? 'no cause established, so no mitigation to propose'
        : 'the analysis proposed no mitigation in the catalog';
    return { next: 'monitor', proposed: false, reason: why };
  }
  const ctx = await investigationContext(ports, incident);
  const targets = knownTargets(incident, ctx.services, await ports.evidence.changes({ ...ctx.window }));
  const vetted = vetAction(proposal, targets);
  if (!vetted.ok)
    return { next: 'monitor', proposed: false, reason: `refused by the allow-list: ${vetted.reason}` };
  let action = vetted.action;
  if (!isEnabled(ports.config, action)) {
    return proposedOnly(action, `${action.kind} is not enabled in Firebreak's configuration`);
  }
  // A dry-run against the real resource: validates the parameters and says exactly what would change.
  const preview = await ports.actions.execute(action, { dryRun: true, incident });
  if (preview.status === 'failed') {
    return proposedOnly(action, `cannot be automated: ${preview.detail}`);
  }
  if (preview.resolvedParams) {
    const pinned = vetAction({ ...action, params: { ...action.params, ...preview.resolvedParams } }, targets);
    if (!pinned.ok)
      return { next: 'monitor', proposed: false, reason: `refused by the allow-list: ${pinned.reason}` };
    action = pinned.action;
  }
  const approval = needsApproval(ports.config, incident.severity ?? 'SEV3');
  return {
    next: approval ? 'approve' : 'execute',
    proposed: true,
    action,
    reason: action.rationale,
    preview: preview.detail,
    record: {
      action,
      status: approval ? 'awaiting-approval' : 'approved',
      before: preview.before,
      after: preview.after,
      detail: preview.detail,
    },
  };
}
