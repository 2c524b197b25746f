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
import type { Audience, Incident, MeasuredImpact, MitigationAction, Severity } from '../model.js';
import type { MessageKind, OutboundMessage } from '../ports.js';
import { clip } from '../text.js';

export const SMS_LIMIT = 160;
/** SNS Publish: a Subject must be fewer than 100 characters. */
export const SUBJECT_LIMIT = 99;

export interface MessageContext {
  /** When the next update is due, if one is scheduled. */
  nextUpdateAt?: string;
  /** What changed since the last update (status updates). */
  changes?: string[];
  action?: MitigationAction;
  /** Where the action stands: awaiting approval, applied, dry-run, failed, proposed. */
  actionStatus?: string;
  /** What the action will change on which resource, from the adapter's dry-run. */
  actionPreview?: string;
  approvalLinks?: { approve: string; reject: string };
  /** How to answer when there are no links (the CLI commands). */
  approvalInstructions?: string;
  approvalExpiresAt?: string;
  reason?: string;
  tier?: number;
  /** Who this escalation pages. */
  paged?: Audience;
  /** Who is affected, in a sentence (from the assessment). */
  userImpact?: string;
  /** The services the assessment put in the blast radius (approval requests). */
  blastRadius?: string[];
  /** Incident console, runbook, dashboards. */
  links?: string[];
  /** Similar past incidents in a line (domain/memory/): "seen 3 times in 30 days; last time: …". */
  history?: string;
}

/**
 * Everything people see is flattened to one line and cut at a word; alert text cannot add lines or
 * markup. SMS and subjects use three dots: the ellipsis character is outside GSM-7 and ASCII.
 */
const oneLine = (text: string, max: number, ellipsis = '…') => clip(text, max, ellipsis);

const GSM_REPLACEMENTS: Array<[RegExp, string]> = [
  [/[\u2018\u2019\u201B`]/g, "'"],
  [/[\u201C\u201D]/g, '"'],
  [/[\u2013\u2014\u2212]/g, '-'],
  [/\u2026/g, '...'],
  [/\u2192/g, '->'],
  [/[[{]/g, '('],
  [/[\]}]/g, ')'],
  [/[\\^~|]/g, '/'],
];

/**
 * Keeps text inside the GSM-7 basic alphabet (printable ASCII without the extension characters,
 * which cost two septets). Anything else becomes '?', so the 160-character promise holds on the
 * handset, not only in JavaScript.
 */
export function gsmSafe(text: string): string {
  let out = text;
  for (const [pattern, replacement] of GSM_REPLACEMENTS) out = out.replace(pattern, replacement);
  return out.replace(/\s+/g, ' ').replace(/[^\x20-\x7E]/g, '?');
}

/** Joins fixed SMS parts and fits the one variable part into what is left of 160 characters. */
function sms(prefix: string, variable: string, suffix = ''): string {
  const fixed = gsmSafe(prefix).length + gsmSafe(suffix).length;
  const room = SMS_LIMIT - fixed;
  const middle = room > 3 ? oneLine(gsmSafe(variable), room, '...') : '';
  // "cut..." then ". Next" would read as four dots.
  const tail = middle.endsWith('...') ? suffix.replace(/^\./, '') : suffix;
  return gsmSafe(`${prefix}${middle}${tail}`).slice(0, SMS_LIMIT);
}

export const describeAction = (a: MitigationAction): string => {
  const params = Object.entries(a.params)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  return `${a.kind} ${a.target}${params ? ` (${params})` : ''}`;
};

/** `14:22 UTC`, with the date when it is not the same day as `ref`. */
function clockTime(iso: string | undefined, ref?: string): string {
  if (!iso) return 'unknown';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return 'unknown';
  const time = `${d.toISOString().slice(11, 16)} UTC`;
  return ref && ref.slice(0, 10) !== d.toISOString().slice(0, 10)
    ? `${d.toISOString().slice(0, 10)} ${time}`
    : time;
}
const smsTime = (iso: string | undefined) => (iso ? `${new Date(iso).toISOString().slice(11, 16)}Z` : '');

const minutesSince = (from: string | undefined, to: string) =>
  from ? Math.max(0, Math.round((new Date(to).getTime() - new Date(from).getTime()) / 60_000)) : undefined;

function hypothesis(incident: Incident): string {
  const rc = incident.rootCause;
  if (!rc) return 'Not established yet; the investigation continues.';
  // A finished investigation that found no cause says so, with what it did find: "continues" would
  // tell an executive to wait for an answer nobody is working on.
  if (rc.category === 'unknown')
    return `The investigation finished without an established cause${rc.summary ? `: ${oneLine(rc.summary, 300)}` : '.'} Responders are working from the evidence.`;
  const confidence = Math.round(rc.confidence * 100);
  const hedge = confidence >= 80 ? 'likely' : confidence >= 50 ? 'possible' : 'weak lead';
  return `${oneLine(rc.summary, 400)} (${rc.category}, ${confidence}% confidence: ${hedge})`;
}

function shortHypothesis(incident: Incident): string {
  const rc = incident.rootCause;
  if (!rc || rc.category === 'unknown') return 'cause unknown';
  return `${rc.category}${rc.culprit ? ` ${rc.culprit}` : ''} ${Math.round(rc.confidence * 100)}%`;
}

const servicesOf = (incident: Incident) =>
  incident.services.length ? incident.services : incident.service ? [incident.service] : [];

const IMPACT_WORDS: Record<MeasuredImpact['level'], string> = {
  outage: 'outage',
  major: 'major degradation',
  minor: 'minor degradation',
  none: 'no measurable user impact',
  unknown: 'not measured (no telemetry to read)',
};

/** Services that failed, as triage measured them; the incident's own service before that. */
const failingOf = (incident: Incident) =>
  incident.impact?.failing.length ? incident.impact.failing : servicesOf(incident).slice(0, 1);

/**
 * How bad it is, in triage's own words: the measured level, not one read back from the severity
 * (a critical service with minor measured impact is SEV2 and its messages still say minor).
 */
function impactLine(incident: Incident, ctx: MessageContext): string {
  const failing = failingOf(incident);
  const where = failing.length ? failing.join(', ') : 'an unidentified service';
  const measured = incident.impact;
  const level = measured ? IMPACT_WORDS[measured.level] : 'not measured yet';
  const detail = measured?.summary ? ` (${oneLine(measured.summary, 200)})` : '';
  return `${level} on ${where}${detail}${ctx.userImpact ? `; ${oneLine(ctx.userImpact, 200)}` : ''}`;
}

/** The impact in a few words for an SMS: "minor degradation checkout". */
const shortImpact = (incident: Incident) =>
  incident.impact ? `${IMPACT_WORDS[incident.impact.level].split(' (')[0]}` : 'impact not measured';

function doing(incident: Incident, ctx: MessageContext): string {
  const action = ctx.action ?? incident.mitigation?.action;
  const status = ctx.actionStatus ?? incident.mitigation?.status;
  if (incident.status === 'RESOLVED') {
    return action && status === 'applied'
      ? `Nothing further: the service recovered after ${describeAction(action)}. Follow-ups come from the postmortem.`
      : 'Nothing further: the service recovered. Follow-ups come from the postmortem.';
  }
  if (!action) return 'Investigating; no mitigation chosen yet. Watching the alarm for recovery.';
  const what = describeAction(action);
  switch (status) {
    case 'awaiting-approval':
    case 'Awaiting approval':
      return `Waiting for approval to ${what}.`;
    case 'approved':
      return `${what} approved; executing.`;
    case 'applied':
      return `${what} applied; watching the alarm for recovery.`;
    case 'dry-run':
      return `${what} rehearsed as a dry-run (nothing changed; dry-run mode is on). Apply it by hand if you agree.`;
    case 'failed':
      return `${what} failed to apply; respond by hand.`;
    case 'rejected':
      return `${what} was rejected; nothing was run. Responders are deciding the next step.`;
    case 'timed-out':
      return `Nobody approved ${what} in time; nothing was run.`;
    default:
      return `Proposed, not automated: ${what}. Run it by hand if you agree.`;
  }
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

/** The SMS: the moment, the id, and the one thing the reader must know or do. */
function smsFor(
  kind: MessageKind,
  i: Incident,
  ctx: MessageContext,
  now: string,
  technical: boolean,
): string {
  const sev = i.severity ?? 'SEV?';
  const service = servicesOf(i)[0] ?? 'service';
  const next = ctx.nextUpdateAt ? ` Next ${smsTime(ctx.nextUpdateAt)}` : '';
  const action = ctx.action ? `${ctx.action.kind} ${ctx.action.target}` : 'action';
  switch (kind) {
    case 'declared':
      if (ctx.reason) return sms(`${sev} RAISED ${i.id} ${service}: `, ctx.reason, next);
      return sms(
        `${sev} DECLARED ${i.id} ${service} ${shortImpact(i)}: `,
        `${i.title}. ${shortHypothesis(i)}.`,
        next,
      );
    case 'status-update': {
      // What and how bad first; then the newest change (the last one is the alarm's story).
      const latest = (ctx.changes ?? []).filter((c) => technical || !COMMAND.test(c)).at(-1);
      return sms(
        `${sev} UPDATE ${i.id} ${i.status}, ${shortImpact(i)} ${service}: `,
        latest ? latest.replace(/^\d\d:\d\d UTC /, '') : 'no change',
        `.${next}`,
      );
    }
    case 'approval-request':
      return sms(
        `${sev} APPROVE? ${i.id} ${action}: `,
        `cause ${shortHypothesis(i)}`,
        `.${ctx.approvalLinks ? ' Links in email.' : ` firebreak approve|reject ${i.id}.`} Exp ${smsTime(ctx.approvalExpiresAt)}`,
      );
    case 'mitigation-proposed':
      return sms(`${sev} PROPOSED ${i.id}: `, action, ' (not automated). Run by hand if you agree.');
    case 'mitigation-applied':
      if (ctx.actionStatus === 'failed')
        return sms(
          `${sev} MITIGATION FAILED ${i.id}: `,
          `${action}. ${ctx.reason ?? ''}`,
          ' Respond by hand.',
        );
      if (ctx.actionStatus === 'dry-run')
        return sms(`${sev} DRY-RUN ${i.id}: `, action, ' rehearsed, nothing changed.');
      return sms(`${sev} MITIGATED ${i.id}: `, action, ` applied ${smsTime(now)}; watching recovery.`);
    case 'escalation':
      return sms(
        `${sev} ESCALATION T${ctx.tier ?? i.escalationTier} ${i.id} ${shortImpact(i)} ${service}: `,
        ctx.reason ?? 'not recovered',
        technical
          ? '. Take incident command; details by email.'
          : '. The IC will brief you; details by email.',
      );
    case 'all-clear':
      return sms(
        `${sev} RESOLVED ${i.id} ${service}: `,
        `recovered ${smsTime(i.resolvedAt ?? now)}, ${minutesSince(i.detectedAt, i.resolvedAt ?? now) ?? '?'} min after detection`,
        '. Postmortem follows.',
      );
    case 'automation-failure':
      return sms(`${sev} AUTOMATION STOPPED ${i.id}: `, ctx.reason ?? 'error', '. Respond manually.');
    case 'handoff':
      return sms(
        `${sev} NEEDS OWNER ${i.id}: `,
        `${service} not recovered`,
        '. Automation stopped watching; take command.',
      );
  }
}

/** A CLI command in a line of text: what responders run, not what stakeholders read. */
const COMMAND = /\bfirebreak (approve|reject|incidents|postmortem|run|start|ingest|report)\b/;

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
