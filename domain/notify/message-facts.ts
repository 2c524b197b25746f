/** The facts every message is written from: limits, context, the hypothesis, the impact, what is being done, times. */
import type { Audience, Incident, MeasuredImpact, MitigationAction } from '../model.js';
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
export const oneLine = (text: string, max: number, ellipsis = '…') => clip(text, max, ellipsis);
/** A CLI command in a line of text: what responders run, not what stakeholders read. */
export const COMMAND = /\bfirebreak (approve|reject|incidents|postmortem|run|start|ingest|report)\b/;

export const describeAction = (a: MitigationAction): string => {
  const params = Object.entries(a.params)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  return `${a.kind} ${a.target}${params ? ` (${params})` : ''}`;
};

/** `14:22 UTC`, with the date when it is not the same day as `ref`. */
export function clockTime(iso: string | undefined, ref?: string): string {
  if (!iso) return 'unknown';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return 'unknown';
  const time = `${d.toISOString().slice(11, 16)} UTC`;
  return ref && ref.slice(0, 10) !== d.toISOString().slice(0, 10)
    ? `${d.toISOString().slice(0, 10)} ${time}`
    : time;
}
export const smsTime = (iso: string | undefined) =>
  iso ? `${new Date(iso).toISOString().slice(11, 16)}Z` : '';

export const minutesSince = (from: string | undefined, to: string) =>
  from ? Math.max(0, Math.round((new Date(to).getTime() - new Date(from).getTime()) / 60_000)) : undefined;

export function hypothesis(incident: Incident): string {
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

export function shortHypothesis(incident: Incident): string {
  const rc = incident.rootCause;
  if (!rc || rc.category === 'unknown') return 'cause unknown';
  return `${rc.category}${rc.culprit ? ` ${rc.culprit}` : ''} ${Math.round(rc.confidence * 100)}%`;
}

export const servicesOf = (incident: Incident) =>
  incident.services.length ? incident.services : incident.service ? [incident.service] : [];

export const IMPACT_WORDS: Record<MeasuredImpact['level'], string> = {
  outage: 'outage',
  major: 'major degradation',
  minor: 'minor degradation',
  none: 'no measurable user impact',
  unknown: 'not measured (no telemetry to read)',
};

/** Services that failed, as triage measured them; the incident's own service before that. */
export const failingOf = (incident: Incident) =>
  incident.impact?.failing.length ? incident.impact.failing : servicesOf(incident).slice(0, 1);

/**
 * How bad it is, in triage's own words: the measured level, not one read back from the severity
 * (a critical service with minor measured impact is SEV2 and its messages still say minor).
 */
export function impactLine(incident: Incident, ctx: MessageContext): string {
  const failing = failingOf(incident);
  const where = failing.length ? failing.join(', ') : 'an unidentified service';
  const measured = incident.impact;
  const level = measured ? IMPACT_WORDS[measured.level] : 'not measured yet';
  const detail = measured?.summary ? ` (${oneLine(measured.summary, 200)})` : '';
  return `${level} on ${where}${detail}${ctx.userImpact ? `; ${oneLine(ctx.userImpact, 200)}` : ''}`;
}

/** The impact in a few words for an SMS: "minor degradation checkout". */
export const shortImpact = (incident: Incident) =>
  incident.impact ? `${IMPACT_WORDS[incident.impact.level].split(' (')[0]}` : 'impact not measured';

export function doing(incident: Incident, ctx: MessageContext): string {
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
