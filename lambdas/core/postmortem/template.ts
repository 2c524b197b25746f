/**
 * The blameless postmortem written from the structured record alone: what a model may polish,
 * but never needs. Every figure comes from the incident's own timestamps and timeline.
 */
import type { Incident, TimelineEvent } from '../model.js';

export interface ResponseDurations {
  /** Minutes from detection to each milestone; undefined when it never happened. */
  toDeclare?: number;
  toAcknowledge?: number;
  toMitigate?: number;
  toResolve?: number;
}

const minutes = (from: string | undefined, to: string | undefined) =>
  from && to
    ? Math.round(((new Date(to).getTime() - new Date(from).getTime()) / 60_000) * 10) / 10
    : undefined;

export function durations(incident: Incident): ResponseDurations {
  return {
    toDeclare: minutes(incident.detectedAt, incident.declaredAt),
    toAcknowledge: minutes(incident.detectedAt, incident.acknowledgedAt),
    toMitigate: minutes(incident.detectedAt, incident.mitigatedAt),
    toResolve: minutes(incident.detectedAt, incident.resolvedAt),
  };
}

const fmt = (m: number | undefined) => (m === undefined ? 'n/a' : `${m} min`);
const SKIP = new Set(['state', 'recovery-check', 'notification']);

export function postmortemFromRecord(incident: Incident, timeline: TimelineEvent[], now: Date): string {
  const d = durations(incident);
  const rc = incident.rootCause;
  const mitigation = incident.mitigation;
  const owner = incident.service ? `${incident.service} owners` : 'service owner';
  const due = (days: number) => new Date(now.getTime() + days * 86_400_000).toISOString().slice(0, 10);
  const chain = rc?.causalChain.length
    ? rc.causalChain
    : rc
      ? [rc.summary]
      : ['the cause was not established'];
  const whys = [...chain];
  while (whys.length < 5) whys.push('Not established from the evidence; to be answered in the review.');
  const wentWell = [
    incident.declaredAt ? `Declared ${fmt(d.toDeclare)} after detection.` : undefined,
    rc && rc.category !== 'unknown'
      ? `Root cause identified with ${Math.round(rc.confidence * 100)}% confidence.`
      : undefined,
    mitigation?.status === 'applied'
      ? `Mitigation (${mitigation.action.kind} ${mitigation.action.target}) applied ${fmt(d.toMitigate)} after detection.`
      : undefined,
  ].filter(Boolean);
  const wentPoorly = [
    !rc || rc.category === 'unknown' ? 'The investigation did not establish a cause.' : undefined,
    rc?.degraded ? 'Part of the analysis ran degraded (no model available).' : undefined,
    mitigation && ['rejected', 'timed-out', 'failed'].includes(mitigation.status)
      ? `The proposed mitigation was ${mitigation.status}.`
      : undefined,
    incident.escalationTier > 0 ? `The incident escalated to tier ${incident.escalationTier}.` : undefined,
    incident.failure ? `The automation stopped: ${incident.failure.error}.` : undefined,
  ].filter(Boolean);
  const events = timeline
    .filter((e) => !SKIP.has(e.type))
    .map(
      (e) =>
        `| ${e.at.slice(11, 19)} | ${e.type} | ${e.text.replace(/\|/g, '/').replace(/\s+/g, ' ').slice(0, 200)} |`,
    );
  return [
    `# Postmortem: ${incident.title}`,
    '',
    `*Blameless review of ${incident.id}. Written from the incident record by Firebreak; edit freely.*`,
    '',
    '## Summary',
    '',
    `${incident.severity ?? 'Unclassified'} incident on ${incident.services.join(', ') || incident.service || 'an unknown service'}, detected ${incident.detectedAt} from ${incident.source}. Status: ${incident.status}.`,
    rc ? `Root cause (${rc.category}): ${rc.summary}` : 'Root cause: not established.',
    '',
    '## Impact',
    '',
    `- Duration: ${fmt(d.toResolve)} from detection to resolution`,
    `- Services: ${incident.services.join(', ') || 'unknown'}`,
    `- Users: ${incident.severity === 'SEV4' ? 'no user impact' : 'users of the services above were affected for the duration'}`,
    `- Alerts linked: ${incident.alertCount}`,
    '',
    '## Response times',
    '',
    '| milestone | since detection |',
    '|---|---|',
    `| declared | ${fmt(d.toDeclare)} |`,
    `| acknowledged | ${fmt(d.toAcknowledge)} |`,
    `| mitigated | ${fmt(d.toMitigate)} |`,
    `| resolved | ${fmt(d.toResolve)} |`,
    '',
    '## Timeline (UTC)',
    '',
    '| time | event | detail |',
    '|---|---|---|',
    ...events,
    '',
    '## Root cause',
    '',
    rc
      ? [
          `Category: ${rc.category}. Culprit: ${rc.culprit || 'n/a'}. Confidence: ${Math.round(rc.confidence * 100)}%.`,
          '',
          'Causal chain:',
          ...chain.map((c, i) => `${i + 1}. ${c}`),
          '',
          `Evidence: ${rc.evidence.join(', ') || 'none cited'}`,
          rc.ruledOut.length ? `Ruled out: ${rc.ruledOut.join('; ')}` : '',
        ].join('\n')
      : 'Not established.',
    '',
    '## Five whys',
    '',
    ...whys.slice(0, 5).map((w, i) => `${i + 1}. Why? ${w}`),
    '',
    '## What went well',
    '',
    ...(wentWell.length ? wentWell.map((w) => `- ${w}`) : ['- To be discussed in the review.']),
    '',
    '## What went poorly',
    '',
    ...(wentPoorly.length ? wentPoorly.map((w) => `- ${w}`) : ['- Nothing recorded; discuss in the review.']),
    '',
    '## Action items',
    '',
    '| action | owner | due |',
    '|---|---|---|',
    `| Add a regression check for: ${(rc?.summary ?? 'the failure mode').slice(0, 120)} | ${owner} | ${due(14)} |`,
    `| Review alerting and runbook for ${incident.title} | ${owner} | ${due(7)} |`,
    ...(mitigation && mitigation.status !== 'applied'
      ? [`| Decide whether to enable automated ${mitigation.action.kind} | platform team | ${due(14)} |`]
      : []),
    '',
  ].join('\n');
}
