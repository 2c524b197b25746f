/**
 * What an approver needs to decide, in one place: the cause and how sure we are, the evidence that
 * carries it, the exact action, what it touches, how it is undone, and when the request lapses.
 * The terminal prompt, the email, the SMS and the link's confirm page all render these same facts,
 * so nobody approves from a thinner picture than someone else saw.
 */
import type { Incident, MitigationAction, TimelineEvent } from '../model.js';
import { describeAction } from '../notify/messages.js';
import { clip } from '../text.js';

export interface ApprovalBrief {
  action: string;
  cause: string;
  evidence: string[];
  willChange: string;
  blastRadius: string;
  undo: string;
  expiresAt?: string;
}

/** How each kind of action is reversed, with the action's own parameters where they say it. */
export function undoOf(action: MitigationAction): string {
  const p = action.params;
  switch (action.kind) {
    case 'rollback':
      return p.fromVersion !== undefined
        ? `roll forward: redeploy ${action.target} ${p.fromVersion}`
        : `roll forward to the version running before the rollback`;
    case 'scale':
      return `scale ${action.target} back to the count recorded before the change`;
    case 'restart':
      return 'nothing to undo: tasks restart on the same task definition';
    case 'feature-flag':
      return `switch the flag back (enabled=${p.enabled === undefined ? true : !(p.enabled === true || p.enabled === 'true')})`;
    case 'block-traffic':
      return `remove ${p.cidr ?? 'the range'} from the blocking IP set`;
    case 'rotate-credentials':
      return 'cannot be undone: clients must pick up the new secret version';
    default:
      return `reverse ${action.kind} on ${action.target} by hand`;
  }
}

/** The services the assessment put in the blast radius, from its timeline entry. */
export function blastRadiusOf(incident: Incident, timeline: TimelineEvent[]): string[] {
  const assessed = timeline.find((e) => e.type === 'assessment')?.data as
    | { blastRadius?: string[] }
    | undefined;
  return assessed?.blastRadius?.length ? assessed.blastRadius : incident.services;
}

export function approvalBrief(
  incident: Incident,
  action: MitigationAction,
  opts: { preview?: string; expiresAt?: string; blastRadius?: string[] } = {},
): ApprovalBrief {
  const rc = incident.rootCause;
  const cause =
    rc && rc.category !== 'unknown'
      ? `${rc.category}${rc.culprit ? ` (${rc.culprit})` : ''}, ${Math.round(rc.confidence * 100)}% confidence: ${clip(rc.summary, 300)}`
      : rc
        ? `not established (${Math.round(rc.confidence * 100)}% confidence): ${clip(rc.summary, 200)}`
        : 'not established yet';
  const chain = rc?.causalChain.length ? rc.causalChain : [];
  const evidence = [
    ...chain.slice(0, 3).map((c) => clip(c, 160)),
    ...(rc?.evidence.length ? [`evidence ids: ${clip(rc.evidence.slice(0, 4).join(', '), 200)}`] : []),
  ];
  const radius = opts.blastRadius ?? incident.services;
  return {
    action: describeAction(action),
    cause,
    evidence,
    willChange: clip(opts.preview || action.rationale || describeAction(action), 300),
    blastRadius: `${action.target}${radius.filter((s) => s !== action.target).length ? `; blast radius of the incident: ${radius.join(', ')}` : ''}`,
    undo: undoOf(action),
    expiresAt: opts.expiresAt,
  };
}

/** Label and value pairs, in the order an approver reads them. */
export function briefRows(b: ApprovalBrief): Array<[string, string]> {
  return [
    ['Root cause', b.cause],
    ...b.evidence.map((e, i): [string, string] => [i === 0 ? 'Evidence' : '', e]),
    ['Action', b.action],
    ['Will change', b.willChange],
    ['Touches', b.blastRadius],
    ['Undo', b.undo],
    [
      'Expires',
      b.expiresAt
        ? `${b.expiresAt.slice(0, 16).replace('T', ' ')} UTC; without a decision nothing runs and the next tier is paged`
        : 'no expiry set',
    ],
  ];
}

/** The brief as aligned text lines (terminal and email). */
export const briefLines = (b: ApprovalBrief, indent = ''): string[] =>
  briefRows(b).map(([label, value]) => `${indent}${(label ? `${label}:` : '').padEnd(13)}${value}`);
