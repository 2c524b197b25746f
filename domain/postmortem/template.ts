/**
 * The blameless postmortem written from the structured record alone: what a model may polish,
 * but never needs. Every figure comes from the incident's own timestamps (the same response
 * metrics `firebreak report` and CloudWatch get) and every timeline row from its own events.
 */
import { formatDuration, responseMetrics, toMinutes } from '../metrics/response.js';
import type { ActionItem, Incident, TimelineEvent } from '../model.js';
import { describeAction } from '../notify/messages.js';
import { clip } from '../text.js';
import { actionItemsTable } from './action-items.js';
import { postmortemTimeline, rowTime } from './timeline.js';
import { fiveWhys } from './whys.js';

export interface ResponseDurations {
  /** Minutes from detection to each milestone; undefined when it never happened. */
  toDeclare?: number;
  toAcknowledge?: number;
  toMitigate?: number;
  toResolve?: number;
}

/** Minutes since detection, per milestone (the run summary's figures). */
export function durations(incident: Incident): ResponseDurations {
  const s = responseMetrics(incident).seconds;
  return {
    toDeclare: toMinutes(s.declare),
    toAcknowledge: toMinutes(s.acknowledge),
    toMitigate: toMinutes(s.mitigate),
    toResolve: toMinutes(s.resolve),
  };
}

const IMPACT_LEVEL: Record<NonNullable<Incident['impact']>['level'], string> = {
  outage: 'outage',
  major: 'major degradation',
  minor: 'minor degradation',
  none: 'no measurable user impact',
  unknown: 'impact not measured',
};

const cell = (text: string) => text.replace(/\|/g, '/').replace(/\s+/g, ' ').trim();

/** What the assessment said about users, if it ran. */
function userImpact(incident: Incident, timeline: TimelineEvent[]): string {
  const assessment = timeline.find((e) => e.type === 'assessment')?.data as
    | { userImpact?: string }
    | undefined;
  if (incident.severity === 'SEV4') return 'no user impact (SEV4)';
  return assessment?.userImpact
    ? cell(assessment.userImpact)
    : 'users of the services above, for the duration';
}

export function responseTimesSection(incident: Incident): string {
  const m = responseMetrics(incident);
  return [
    '',
    '| milestone | time | measured |',
    '|---|---|---|',
    `| detect | ${formatDuration(m.seconds.detect)} | impact start → alert |`,
    `| declare | ${formatDuration(m.seconds.declare)} | alert → declared |`,
    `| acknowledge | ${formatDuration(m.seconds.acknowledge)} | alert → first human decision |`,
    `| mitigate | ${formatDuration(m.seconds.mitigate)} | alert → mitigation applied |`,
    `| resolve | ${formatDuration(m.seconds.resolve)} | alert → resolved |`,
    '',
  ].join('\n');
}

export function timelineSection(timeline: TimelineEvent[]): string {
  return [
    '',
    '| time (UTC) | event | detail |',
    '|---|---|---|',
    ...postmortemTimeline(timeline).map(
      (r) => `| ${rowTime(r.at)} | ${r.type} | ${clip(cell(r.text), 240)} |`,
    ),
    '',
  ].join('\n');
}

export function actionItemsSection(items: ActionItem[]): string {
  return ['', ...actionItemsTable(items), ''].join('\n');
}

export function postmortemFromRecord(
  incident: Incident,
  timeline: TimelineEvent[],
  now: Date,
  items: ActionItem[] = [],
  /** Counted from the linked alert items (`IncidentStore.countLinkedAlerts`). */
  alertsLinked?: number,
): string {
  const m = responseMetrics(incident);
  const rc = incident.rootCause;
  const mitigation = incident.mitigation;
  const services = incident.services.join(', ') || incident.service || 'unknown';
  // The summary names what failed (triage's measurement); the blast radius is listed under Impact.
  const failing = incident.impact?.failing.length
    ? incident.impact.failing.join(', ')
    : incident.service || services;
  const escalated = timeline.filter((e) => e.type === 'escalated');
  const wentWell = [
    incident.declaredAt
      ? `Declared ${formatDuration(m.seconds.declare)} after the alert; everyone on the severity's list was told at once.`
      : undefined,
    rc && rc.category !== 'unknown'
      ? `A root cause was identified with ${Math.round(rc.confidence * 100)}% confidence, citing ${rc.evidence.length} piece(s) of evidence.`
      : undefined,
    mitigation?.status === 'applied'
      ? `The mitigation (${describeAction(mitigation.action)}) was applied ${formatDuration(m.seconds.mitigate)} after the alert${mitigation.approvedBy ? `, approved by ${mitigation.approvedBy}` : ''}.`
      : undefined,
    incident.status === 'RESOLVED' && !escalated.length
      ? 'Recovered without needing to escalate.'
      : undefined,
  ].filter(Boolean);
  const wentPoorly = [
    m.seconds.detect !== undefined && m.seconds.detect > 300
      ? `Detection lagged: users were affected ${formatDuration(m.seconds.detect)} before the alert.`
      : undefined,
    !rc || rc.category === 'unknown' ? 'The investigation did not establish a cause.' : undefined,
    rc?.degraded ? 'Part of the analysis ran degraded (no model available).' : undefined,
    mitigation && ['rejected', 'timed-out', 'failed'].includes(mitigation.status)
      ? `The proposed mitigation (${describeAction(mitigation.action)}) was ${mitigation.status}; nothing automated was run.`
      : undefined,
    mitigation && ['proposed', 'dry-run'].includes(mitigation.status)
      ? `The mitigation (${describeAction(mitigation.action)}) could not run automatically: ${clip(cell(mitigation.detail), 200)}.`
      : undefined,
    mitigation?.status === 'applied' && escalated.length
      ? `Service did not recover promptly after the mitigation; the incident escalated to tier ${incident.escalationTier}.`
      : escalated.length
        ? `The incident escalated to tier ${incident.escalationTier}.`
        : undefined,
    incident.failure
      ? `The automation stopped (${incident.failure.error}); responders took over by hand.`
      : undefined,
  ].filter(Boolean);
  const chain = rc?.causalChain.length ? rc.causalChain : rc ? [rc.summary] : [];
  const doc = [
    `# Postmortem: ${incident.title}`,
    '',
    `*Blameless review of ${incident.id}, written by Firebreak from the incident record on ${now.toISOString().slice(0, 10)}. It describes systems and decisions, not people; edit freely before the review.*`,
    '',
    '## Summary',
    '',
    `${incident.severity ?? 'Unclassified'} incident on ${failing}, detected ${rowTime(incident.detectedAt)} UTC from ${incident.source}; ${incident.status === 'RESOLVED' ? `resolved ${rowTime(incident.resolvedAt as string)} UTC` : `status ${incident.status}`}.`,
    rc && rc.category !== 'unknown'
      ? `Root cause (${rc.category}): ${cell(rc.summary)}`
      : 'Root cause: not established.',
    mitigation
      ? `Mitigation: ${describeAction(mitigation.action)} — ${mitigation.status}.`
      : 'Mitigation: none was automated.',
    '',
    '## Impact',
    '',
    `- Duration: ${m.impactSeconds !== undefined ? `at most ${formatDuration(m.impactSeconds)} (${incident.impactStartedAt ? 'impact start' : 'alert'} to resolution)` : 'ongoing at the time of writing'}`,
    `- Services failing: ${failing}${incident.impact ? ` (${IMPACT_LEVEL[incident.impact.level]}${incident.impact.summary ? `: ${cell(incident.impact.summary)}` : ''})` : ''}`,
    ...(services !== failing ? [`- In the blast radius: ${services}`] : []),
    `- Users: ${userImpact(incident, timeline)}`,
    ...(alertsLinked === undefined ? [] : [`- Alerts linked: ${alertsLinked}`]),
    '',
    '## Response times',
    responseTimesSection(incident),
    '## Timeline',
    timelineSection(timeline),
    '## Root cause',
    '',
    rc && rc.category !== 'unknown'
      ? [
          `Category: ${rc.category}. Culprit: ${rc.culprit || 'n/a'}. Confidence: ${Math.round(rc.confidence * 100)}%.`,
          '',
          'Causal chain (cause to effect):',
          ...chain.map((c, i) => `${i + 1}. ${cell(c)}`),
          '',
          `Evidence: ${rc.evidence.join(', ') || 'none cited'}`,
          ...(rc.ruledOut.length ? ['', `Ruled out: ${rc.ruledOut.map(cell).join('; ')}`] : []),
        ].join('\n')
      : 'Not established from the evidence available to the automation.',
    '',
    '## Five whys',
    '',
    ...fiveWhys(incident).map((w, i) => `${i + 1}. ${w.question} ${w.answer}`),
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
    actionItemsSection(items),
  ];
  return doc.join('\n');
}
