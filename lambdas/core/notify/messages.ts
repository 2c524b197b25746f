/**
 * What people read. One composer per moment of an incident; each gives a subject, a full email body
 * and an SMS of at most 160 characters. Text from alerts and models is quoted as data, never as
 * instructions, and is cut to length so one noisy alert cannot flood a pager.
 */
import type { Audience, Incident, MitigationAction, Severity } from '../model.js';
import type { MessageKind, OutboundMessage } from '../ports.js';

export const SMS_LIMIT = 160;

export interface MessageContext {
  /** When the next update is due, if one is scheduled. */
  nextUpdateAt?: string;
  /** What changed since the last update. */
  changes?: string[];
  action?: MitigationAction;
  actionStatus?: string;
  approvalLink?: string;
  approvalExpiresAt?: string;
  reason?: string;
  tier?: number;
  links?: string[];
}

const oneLine = (text: string, max: number) => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
};

export const describeAction = (a: MitigationAction): string => {
  const params = Object.entries(a.params)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  return `${a.kind} ${a.target}${params ? ` (${params})` : ''}`;
};

function hypothesis(incident: Incident): string {
  const rc = incident.rootCause;
  if (!rc || rc.category === 'unknown') return 'Under investigation; no cause confirmed yet.';
  return `${oneLine(rc.summary, 400)} (category ${rc.category}, confidence ${Math.round(rc.confidence * 100)}%)`;
}

function impact(incident: Incident): string {
  const services = incident.services.length
    ? incident.services.join(', ')
    : (incident.service ?? 'unknown service');
  return `${incident.severity ?? 'unclassified'} affecting ${services}`;
}

function doing(incident: Incident, ctx: MessageContext): string {
  if (ctx.action) return `${ctx.actionStatus ?? 'Proposed'}: ${describeAction(ctx.action)}`;
  const m = incident.mitigation;
  if (m) return `${m.status}: ${describeAction(m.action)}`;
  return 'Investigating; no mitigation chosen yet.';
}

const SUBJECTS: Record<MessageKind, string> = {
  declared: 'INCIDENT DECLARED',
  'status-update': 'UPDATE',
  'approval-request': 'APPROVAL NEEDED',
  'mitigation-proposed': 'ACTION PROPOSED',
  'mitigation-applied': 'MITIGATION APPLIED',
  escalation: 'ESCALATION',
  'all-clear': 'RESOLVED',
  'automation-failure': 'AUTOMATION STOPPED',
  handoff: 'NEEDS HUMANS',
};

const HEADLINES: Record<MessageKind, (i: Incident, c: MessageContext) => string> = {
  declared: (i) => `${i.severity} incident declared: ${oneLine(i.title, 200)}.`,
  'status-update': (i) => `Status update for ${i.id}: the incident is ${i.status.toLowerCase()}.`,
  'approval-request': (_i, c) =>
    `Approval needed to run ${c.action ? describeAction(c.action) : 'the proposed action'}.${c.approvalExpiresAt ? ` The request expires at ${c.approvalExpiresAt}; without a decision nothing runs and the incident escalates.` : ''}`,
  'mitigation-proposed': (_i, c) =>
    `Proposed, not run: ${c.action ? describeAction(c.action) : 'no action'}. ${c.reason ?? ''}`.trim(),
  'mitigation-applied': (_i, c) =>
    `${c.actionStatus === 'dry-run' ? 'Dry-run of' : 'Applied'} ${c.action ? describeAction(c.action) : 'mitigation'}; watching for recovery.`,
  escalation: (i, c) =>
    `Escalating ${i.id} (tier ${c.tier ?? i.escalationTier}): ${c.reason ?? 'not recovered yet'}.`,
  'all-clear': (i) => `All clear: ${oneLine(i.title, 200)} is resolved.`,
  'automation-failure': (_i, c) =>
    `Firebreak automation stopped${c.reason ? ` (${oneLine(c.reason, 200)})` : ''}. Respond manually; the incident stays open.`,
  handoff: (i) =>
    `${i.id} has not recovered within the automation's watch window. It stays open and needs a human owner.`,
};

/** Builds the message of one kind for one audience. */
export function composeMessage(
  kind: MessageKind,
  incident: Incident,
  audience: Audience,
  ctx: MessageContext = {},
): OutboundMessage {
  const severity: Severity = incident.severity ?? 'SEV3';
  const headline = HEADLINES[kind](incident, ctx);
  const subject = oneLine(`[${severity}] ${SUBJECTS[kind]}: ${incident.title}`, 100);
  const lines = [
    headline,
    '',
    `Incident:   ${incident.id}`,
    `Impact:     ${impact(incident)}`,
    `Status:     ${incident.status}`,
    `Hypothesis: ${hypothesis(incident)}`,
    `Doing:      ${doing(incident, ctx)}`,
  ];
  if (ctx.changes?.length)
    lines.push('', 'Since the last update:', ...ctx.changes.map((c) => `- ${oneLine(c, 300)}`));
  if (ctx.approvalLink) lines.push('', `Approve or reject: ${ctx.approvalLink}`);
  lines.push(
    '',
    `Next update: ${ctx.nextUpdateAt ?? (kind === 'all-clear' ? 'none (resolved)' : 'when something changes')}`,
  );
  if (ctx.links?.length) lines.push('', 'Links:', ...ctx.links.map((l) => `- ${l}`));
  const sms = oneLine(`[${severity}] ${SUBJECTS[kind]} ${incident.id}: ${headline}`, SMS_LIMIT);
  return { kind, incidentId: incident.id, severity, audience, subject, body: lines.join('\n'), sms };
}
