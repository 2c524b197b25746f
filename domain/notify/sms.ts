/**
 * SMS bodies: at most 160 characters of the GSM-7 basic alphabet (one character outside it makes the
 * whole message UCS-2, whose segments hold only 70), what and how bad first.
 */
import type { Incident } from '../model.js';
import type { MessageKind } from '../ports.js';

import {
  COMMAND,
  type MessageContext,
  minutesSince,
  oneLine,
  SMS_LIMIT,
  servicesOf,
  shortHypothesis,
  shortImpact,
  smsTime,
} from './message-facts.js';

export const GSM_REPLACEMENTS: Array<[RegExp, string]> = [
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
export function sms(prefix: string, variable: string, suffix = ''): string {
  const fixed = gsmSafe(prefix).length + gsmSafe(suffix).length;
  const room = SMS_LIMIT - fixed;
  const middle = room > 3 ? oneLine(gsmSafe(variable), room, '...') : '';
  // "cut..." then ". Next" would read as four dots.
  const tail = middle.endsWith('...') ? suffix.replace(/^\./, '') : suffix;
  return gsmSafe(`${prefix}${middle}${tail}`).slice(0, SMS_LIMIT);
}

/** The SMS: the moment, the id, and the one thing the reader must know or do. */
export function smsFor(
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
