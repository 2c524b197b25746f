/**
 * What people read, written the way a senior incident commander writes: the headline first, then
 * impact, what we believe and how sure we are, what is being done, what changed, when the next
 * update comes. One composer per moment; each gives an email (subject + full body) and an SMS.
 *
 * Text that came from alerts or models is quoted as data and cut to length, so one noisy alert
 * cannot flood a pager. SMS bodies are at most 160 characters of the GSM-7 basic alphabet: one
 * character outside it makes the whole message UCS-2, whose segments hold only 70.
 */

import { approvalBrief, briefLines } from '../approval/brief.js';
import type { Audience, Incident, Severity } from '../model.js';
import type { MessageKind, OutboundMessage } from '../ports.js';

import {
  COMMAND,
  clockTime,
  describeAction,
  doing,
  hypothesis,
  impactLine,
  type MessageContext,
  minutesSince,
  oneLine,
  SUBJECT_LIMIT,
  servicesOf,
} from './message-facts.js';
import { smsFor } from './sms.js';

export { describeAction, type MessageContext, SMS_LIMIT, SUBJECT_LIMIT } from './message-facts.js';
export { gsmSafe } from './sms.js';

const SUBJECTS: Record<MessageKind, string> = {
  declared: 'INCIDENT DECLARED',
  'status-update': 'UPDATE',
  'approval-request': 'APPROVAL NEEDED',
  'mitigation-proposed': 'ACTION PROPOSED',
  'mitigation-applied': 'MITIGATION APPLIED',
  escalation: 'ESCALATION',
  'all-clear': 'RESOLVED',
  'automation-failure': 'AUTOMATION STOPPED',
  handoff: 'NEEDS AN OWNER',
};

function subjectWord(kind: MessageKind, ctx: MessageContext): string {
  if (kind === 'mitigation-applied' && ctx.actionStatus === 'dry-run') return 'MITIGATION DRY-RUN';
  if (kind === 'mitigation-applied' && ctx.actionStatus === 'failed') return 'MITIGATION FAILED';
  if (kind === 'escalation' && ctx.tier) return `ESCALATION T${ctx.tier}`;
  return SUBJECTS[kind];
}

/** SNS email subjects: printable ASCII, no line breaks, fewer than 100 characters. */
const subjectLine = (text: string) =>
  oneLine(
    text
      .replace(/[\u2018\u2019]/g, "'")
      .replace(/[\u201C\u201D]/g, '"')
      .replace(/[\u2013\u2014]/g, '-')
      .replace(/[^\x20-\x7E\s]/g, '?'),
    SUBJECT_LIMIT,
    '...',
  );

/** The opening paragraph: what happened, in one or two sentences, for someone reading on a phone. */
function headline(kind: MessageKind, i: Incident, ctx: MessageContext, now: string): string {
  const title = oneLine(i.title, 200);
  const elapsed = minutesSince(i.declaredAt ?? i.detectedAt, now);
  switch (kind) {
    case 'declared':
      // A re-declaration after severity rose leads with why: that is what the new audience must know.
      if (ctx.reason)
        return `Severity ${oneLine(ctx.reason, 300)}. ${title} is now a ${i.severity} incident. Detected at ${clockTime(i.detectedAt)}; every update follows in this thread.`;
      return `We have declared a ${i.severity} incident: ${title}. Detected at ${clockTime(i.detectedAt)}. Firebreak is running the automated response; every update follows in this thread.`;
    case 'status-update':
      return `${i.severity} ${title} is ${i.status === 'MITIGATED' ? 'mitigated and being watched for recovery' : 'still open'}${elapsed !== undefined ? `, ${elapsed} min since declaration` : ''}.`;
    case 'approval-request':
      return `Decision needed: approve or reject ${ctx.action ? describeAction(ctx.action) : 'the proposed action'} for ${i.id}.${ctx.approvalExpiresAt ? ` The request expires at ${clockTime(ctx.approvalExpiresAt)}; without a decision nothing runs and the incident escalates.` : ''}`;
    case 'mitigation-proposed':
      return `Proposed, not run: ${ctx.action ? describeAction(ctx.action) : 'no action'}.${ctx.reason ? ` ${oneLine(ctx.reason, 300)}.` : ''}`;
    case 'mitigation-applied':
      if (ctx.actionStatus === 'failed')
        return `The mitigation ${ctx.action ? describeAction(ctx.action) : ''} FAILED${ctx.reason ? `: ${oneLine(ctx.reason, 300)}` : ''}. Respond by hand; the incident stays open.`;
      if (ctx.actionStatus === 'dry-run')
        return `Dry-run of ${ctx.action ? describeAction(ctx.action) : 'the mitigation'}: nothing was changed. Apply it by hand if you agree.`;
      return `Mitigation applied at ${clockTime(now)}: ${ctx.action ? describeAction(ctx.action) : 'see below'}. We are watching for recovery before calling it resolved.`;
    case 'escalation':
      return `Escalating ${i.id} to tier ${ctx.tier ?? i.escalationTier}${ctx.paged ? ` (${ctx.paged})` : ''}: ${oneLine(ctx.reason ?? 'not recovered yet', 300)}. What is asked of you is below.`;
    case 'all-clear':
      return `All clear: ${title} was resolved at ${clockTime(i.resolvedAt ?? now)}, ${minutesSince(i.detectedAt, i.resolvedAt ?? now)} min after detection. The service stayed healthy across consecutive recovery checks. A blameless postmortem follows.`;
    case 'automation-failure':
      return `Firebreak's automation stopped on ${i.id}${ctx.reason ? ` (${oneLine(ctx.reason, 200)})` : ''}. Respond manually: the incident stays open and nothing further runs on its own.`;
    case 'handoff':
      return `${i.id} has not recovered within the automation's watch window${elapsed !== undefined ? ` (${elapsed} min)` : ''}. It stays open and needs a human incident commander now.`;
  }
}

/** Stakeholders and executives get impact and plan; responders also get the technical detail. */
const TECHNICAL: ReadonlySet<Audience> = new Set(['oncall', 'team-lead', 'engineering-manager']);

/** Builds the message of one kind for one audience. `now` stamps times in the text. */
export function composeMessage(
  kind: MessageKind,
  incident: Incident,
  audience: Audience,
  ctx: MessageContext = {},
  now: string = incident.updatedAt,
): OutboundMessage {
  const severity: Severity = incident.severity ?? 'SEV3';
  const technical = TECHNICAL.has(audience);
  const subject = subjectLine(`[${severity}] ${subjectWord(kind, ctx)} ${incident.id}: ${incident.title}`);
  const services = servicesOf(incident);
  const lines = [headline(kind, incident, ctx, now), ''];

  lines.push(
    'WHAT WE KNOW',
    `Impact:      ${impactLine(incident, ctx)}`,
    `Services:    ${services.join(', ') || 'not identified yet'}`,
    `Started:     ${incident.impactStartedAt ? `${clockTime(incident.impactStartedAt)} (detected ${clockTime(incident.detectedAt)})` : `detected ${clockTime(incident.detectedAt)}`}`,
    `Status:      ${incident.status}${incident.escalationTier ? `, escalation tier ${incident.escalationTier}` : ''}`,
    `Hypothesis:  ${hypothesis(incident)}`,
  );
  if (ctx.history) lines.push(`History:     ${oneLine(ctx.history, 400)}`);
  if (technical && incident.rootCause?.evidence.length) {
    lines.push(`Evidence:    ${oneLine(incident.rootCause.evidence.slice(0, 5).join(', '), 300)}`);
  }
  lines.push('', 'WHAT WE ARE DOING', doing(incident, ctx));

  if (kind === 'approval-request' && ctx.action) {
    const brief = approvalBrief(incident, ctx.action, {
      preview: ctx.actionPreview,
      expiresAt: ctx.approvalExpiresAt,
      blastRadius: ctx.blastRadius,
    });
    lines.push('', 'DECISION NEEDED', ...briefLines(brief));
    if (ctx.action.rationale) lines.push(`${'Why:'.padEnd(13)}${oneLine(ctx.action.rationale, 400)}`);
    if (ctx.approvalLinks) {
      lines.push(
        `${'Approve:'.padEnd(13)}${ctx.approvalLinks.approve}`,
        `${'Reject:'.padEnd(13)}${ctx.approvalLinks.reject}`,
      );
    }
    if (ctx.approvalInstructions) lines.push(`${'Answer:'.padEnd(13)}${ctx.approvalInstructions}`);
  }
  if (technical && kind === 'mitigation-applied' && ctx.actionPreview) {
    lines.push(`Changed:     ${oneLine(ctx.actionPreview, 400)}`);
  }
  // Stakeholders and executives act on impact and plan; a line naming a command is not for them.
  const forReader = (text: string) => technical || !COMMAND.test(text);
  const changes = (ctx.changes ?? []).filter(forReader);
  if (changes.length) {
    lines.push('', 'SINCE THE LAST UPDATE', ...changes.slice(0, 12).map((c) => `- ${oneLine(c, 300)}`));
  }
  if (kind === 'escalation' && ctx.paged) {
    const console = (ctx.links ?? []).find((l) => /^https?:\/\//.test(l));
    lines.push(
      '',
      'ASK',
      technical
        ? `${ctx.paged}: take or confirm incident command${console ? ` at ${console}` : `: firebreak incidents show ${incident.id} has the record`}, and reply to on-call with who leads.`
        : `${ctx.paged}: you are informed because the incident is still open after ${minutesSince(incident.declaredAt ?? incident.detectedAt, now) ?? '?'} min; the incident commander will brief you${console ? `; the record is at ${console}` : ''}.`,
    );
  }
  lines.push(
    '',
    'NEXT UPDATE',
    ctx.nextUpdateAt
      ? `By ${clockTime(ctx.nextUpdateAt, now)}, or sooner if something changes.`
      : kind === 'all-clear'
        ? 'None: the incident is resolved. The postmortem will be shared.'
        : kind === 'handoff' || kind === 'automation-failure'
          ? 'From the incident commander who takes over; Firebreak sends no further automatic updates.'
          : 'When something changes.',
  );
  const links = [...(ctx.links ?? [])].filter(forReader);
  if (!links.length && technical) links.push(`firebreak incidents show ${incident.id}`);
  if (links.length) lines.push('', 'LINKS', ...links.map((l) => `- ${l}`));
  lines.push('', `Incident ${incident.id} · ${severity} · sent by Firebreak to ${audience}`);

  return {
    kind,
    incidentId: incident.id,
    severity,
    audience,
    subject,
    body: lines.join('\n'),
    sms: smsFor(kind, incident, ctx, now, technical),
  };
}
