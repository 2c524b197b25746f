/**
 * A CloudWatch alarm transition, whichever way it was delivered (EventBridge, SNS, an alarm action),
 * reduced to one normalized alert. The fingerprint is the alarm itself (account, region, name), so
 * the same alarm arriving by two routes is one problem.
 */
import type { AlertSource, NormalizedAlert } from '../model.js';
import { wellFormed } from './bound.js';
import { readSeverity, severityFields } from './severity.js';
import { alarmNameFromArn, toIso } from './values.js';

export type AlarmState = 'ALARM' | 'OK' | 'INSUFFICIENT_DATA';
export type AlarmType = 'metric' | 'metric-math' | 'anomaly-detection' | 'metrics-insights' | 'composite';

export interface AlarmFacts {
  source: AlertSource;
  eventId: string;
  account?: string;
  region?: string;
  alarmName: string;
  alarmArn?: string;
  state: AlarmState;
  previousState?: string;
  reason: string;
  description?: string;
  /** When the alarm entered `state` (ISO). */
  at: string;
  alarmType: AlarmType;
  tags?: Record<string, string>;
  dimensions?: Record<string, string>;
  /** Composite alarms: the ARNs (or names) of the children that triggered it. */
  triggering?: string[];
  resources?: string[];
  /** Composite alarm actions suppressed (WaitPeriod, ExtensionPeriod, Alarm): the operator said wait. */
  suppressedBy?: string;
  suppressedReason?: string;
  /** An alarm mute rule covering this transition. */
  mutedBy?: string;
  /** Multi-time-series alarms: the contributor (time series) whose state changed. */
  contributor?: { id: string; attributes: Record<string, string> };
  raw: unknown;
}

/** Tag keys that name the owning service, most specific first. */
const SERVICE_TAGS = ['service', 'Service', 'app', 'Application'];
/** Dimensions that name a service rather than a resource of one; other dimensions are left to the catalog. */
const SERVICE_DIMENSIONS = [
  'ServiceName',
  'Service',
  'FunctionName',
  'DBInstanceIdentifier',
  'DBClusterIdentifier',
];

const firstOf = (keys: string[], map: Record<string, string> | undefined): string | undefined =>
  keys.map((k) => map?.[k]).find((v): v is string => !!v);

function statusOf(f: AlarmFacts): NormalizedAlert['status'] {
  if (f.contributor) return f.state === 'ALARM' ? 'firing' : 'info';
  if (f.state === 'OK') return 'resolved';
  if (f.state === 'ALARM' && !f.suppressedBy && !f.mutedBy) return 'firing';
  return 'info';
}

export function alarmAlert(f: AlarmFacts): NormalizedAlert {
  const tags = f.tags ?? {};
  const triggering = (f.triggering ?? []).map(alarmNameFromArn);
  const contributor = f.contributor
    ? Object.entries(f.contributor.attributes)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ') || f.contributor.id
    : undefined;
  const notes = [
    f.suppressedBy
      ? `Actions suppressed by ${f.suppressedBy}${f.suppressedReason ? ` (${f.suppressedReason})` : ''}: recorded, not paged.`
      : '',
    f.mutedBy ? `Muted by ${f.mutedBy}: recorded, not paged.` : '',
    triggering.length ? `Triggered by ${triggering.join(', ')}.` : '',
  ];
  const labels: Record<string, string> = {
    ...tags,
    ...(f.dimensions ?? {}),
    ...Object.fromEntries(
      Object.entries(f.contributor?.attributes ?? {}).map(([k, v]) => [`contributor.${k}`, v]),
    ),
    alarmName: f.alarmName,
    alarmType: f.alarmType,
    state: f.state,
    ...(f.previousState ? { previousState: f.previousState } : {}),
    ...(triggering.length ? { triggeringAlarms: triggering.join(',') } : {}),
    ...(f.suppressedBy ? { actionsSuppressedBy: f.suppressedBy } : {}),
    ...(f.mutedBy ? { mutedBy: f.mutedBy } : {}),
    ...(f.contributor ? { contributorId: f.contributor.id } : {}),
  };
  return {
    source: f.source,
    sourceEventId: f.eventId,
    fingerprint: `cloudwatch:${f.account ?? ''}:${f.region ?? ''}:${f.alarmName}`,
    status: statusOf(f),
    title: contributor ? `${f.alarmName} (${contributor})` : f.alarmName,
    description: [f.description, f.reason, ...notes].filter(Boolean).join(' — '),
    service: firstOf(SERVICE_TAGS, tags) ?? firstOf(SERVICE_DIMENSIONS, f.dimensions),
    resources: [
      ...new Set([...(f.alarmArn ? [f.alarmArn] : []), ...(f.resources ?? []), ...(f.triggering ?? [])]),
    ],
    ...severityFields(readSeverity(tags.severity, tags.Severity, tags.priority, tags.Priority)),
    startedAt: f.at,
    ...(f.region ? { region: f.region } : {}),
    links: f.region
      ? [
          `https://console.aws.amazon.com/cloudwatch/home?region=${f.region}#alarmsV2:alarm/${encodeURIComponent(wellFormed(f.alarmName))}`,
        ]
      : [],
    labels,
    raw: f.raw,
  };
}

/** Whether a mute window covers the moment of the transition. */
export function mutedAt(
  mute: { mutedByArn?: string; muteWindowStart?: string; muteWindowEnd?: string } | undefined,
  at: string,
): string | undefined {
  if (!mute?.mutedByArn) return undefined;
  const t = Date.parse(at);
  const from = Date.parse(toIso(mute.muteWindowStart, ''));
  const to = Date.parse(toIso(mute.muteWindowEnd, ''));
  // No window given: the event says it is muted, so it is.
  if (Number.isNaN(from) && Number.isNaN(to)) return mute.mutedByArn;
  const inside = (Number.isNaN(from) || t >= from) && (Number.isNaN(to) || t <= to);
  return inside ? mute.mutedByArn : undefined;
}
