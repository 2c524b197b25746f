/**
 * Turns a delivery from any supported source into normalized alerts. Pure: no I/O, no clock
 * except the `receivedAt` it is given. Unknown shapes are rejected with a reason.
 */
import { createHash } from 'node:crypto';
import { ValidationError } from '../errors.js';
import type { AlertSource, NormalizedAlert, Severity } from '../model.js';

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length ? v : undefined);
const hash = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 16);
const toIso = (v: unknown, fallback: string): string => {
  const s = str(v);
  if (!s) return fallback;
  // CloudWatch writes "2026-11-20T10:04:00.000+0000", which Date cannot read as is.
  const t = Date.parse(s.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(t) ? fallback : new Date(t).toISOString();
};

/** Guesses the source of a payload from its shape. */
export function detectSource(payload: unknown): AlertSource | undefined {
  if (!isObj(payload)) return undefined;
  if (payload.source === 'aws.cloudwatch' && isObj(payload.detail) && str(payload['detail-type']))
    return 'cloudwatch-eventbridge';
  if (payload.source === 'aws.cloudwatch' && isObj(payload.alarmData)) return 'cloudwatch-lambda-action';
  if (Array.isArray(payload.Records) && isObj(payload.Records[0]) && isObj((payload.Records[0] as Json).Sns))
    return 'cloudwatch-sns';
  if (str(payload.Type) && (str(payload.Message) || str(payload.TopicArn))) return 'cloudwatch-sns';
  if (isObj(payload.event) && str((payload.event as Json).event_type)) return 'pagerduty-v3';
  if (Array.isArray(payload.alerts) && ('orgId' in payload || 'state' in payload || 'title' in payload))
    return 'grafana';
  if (Array.isArray(payload.alerts) && str(payload.version)) return 'alertmanager';
  if (str(payload.service) && str(payload.summary)) return 'manual';
  return undefined;
}

const SEVERITY_WORDS: Record<string, Severity> = {
  critical: 'SEV1',
  sev1: 'SEV1',
  p1: 'SEV1',
  high: 'SEV2',
  error: 'SEV2',
  major: 'SEV2',
  sev2: 'SEV2',
  p2: 'SEV2',
  warning: 'SEV3',
  warn: 'SEV3',
  medium: 'SEV3',
  minor: 'SEV3',
  sev3: 'SEV3',
  p3: 'SEV3',
  low: 'SEV4',
  info: 'SEV4',
  sev4: 'SEV4',
  p4: 'SEV4',
  p5: 'SEV4',
};
export const severityFromWord = (w: unknown): Severity | undefined =>
  typeof w === 'string' ? SEVERITY_WORDS[w.trim().toLowerCase()] : undefined;

function cloudwatchAlarm(a: {
  source: AlertSource;
  eventId: string;
  account?: string;
  region?: string;
  alarmName: string;
  state: string;
  reason: string;
  description?: string;
  at: string;
  tags?: Json;
  dimensions?: Record<string, string>;
  raw: unknown;
  resources?: string[];
}): NormalizedAlert {
  const tags = Object.fromEntries(Object.entries(a.tags ?? {}).map(([k, v]) => [k, String(v)]));
  const service =
    tags.service ??
    tags.Service ??
    a.dimensions?.ServiceName ??
    a.dimensions?.FunctionName ??
    a.dimensions?.DBInstanceIdentifier ??
    undefined;
  const status = a.state === 'ALARM' ? 'firing' : a.state === 'OK' ? 'resolved' : 'info';
  return {
    source: a.source,
    sourceEventId: a.eventId,
    fingerprint: `cloudwatch:${a.account ?? ''}:${a.region ?? ''}:${a.alarmName}`,
    status,
    title: a.alarmName,
    description: [a.description, a.reason].filter(Boolean).join(' — '),
    service,
    resources: a.resources ?? [],
    severityHint: severityFromWord(tags.severity ?? tags.Severity),
    startedAt: a.at,
    links: a.region
      ? [
          `https://console.aws.amazon.com/cloudwatch/home?region=${a.region}#alarmsV2:alarm/${encodeURIComponent(a.alarmName)}`,
        ]
      : [],
    labels: { ...tags, ...(a.dimensions ?? {}), alarmName: a.alarmName, state: a.state },
    raw: a.raw,
  };
}

function firstDimensions(metrics: unknown): Record<string, string> | undefined {
  if (!Array.isArray(metrics)) return undefined;
  for (const m of metrics) {
    const dims =
      isObj(m) && isObj(m.metricStat) && isObj(m.metricStat.metric)
        ? m.metricStat.metric.dimensions
        : undefined;
    if (isObj(dims)) return Object.fromEntries(Object.entries(dims).map(([k, v]) => [k, String(v)]));
  }
  return undefined;
}

function fromEventBridge(p: Json, receivedAt: string): NormalizedAlert[] {
  const d = p.detail as Json;
  const state = isObj(d.state) ? d.state : {};
  const alarmName = str(d.alarmName);
  if (!alarmName) throw new ValidationError('EventBridge alarm event has no detail.alarmName');
  const config = isObj(d.configuration) ? d.configuration : {};
  return [
    cloudwatchAlarm({
      source: 'cloudwatch-eventbridge',
      eventId: str(p.id) ?? hash(JSON.stringify(p)),
      account: str(p.account),
      region: str(p.region),
      alarmName,
      state: str(state.value) ?? 'UNKNOWN',
      reason: str(state.reason) ?? '',
      description: str(config.description),
      at: toIso(state.timestamp ?? p.time, receivedAt),
      tags: isObj(d.alarmTags) ? d.alarmTags : undefined,
      dimensions: firstDimensions(config.metrics),
      resources: Array.isArray(p.resources) ? p.resources.map(String) : [],
      raw: p,
    }),
  ];
}

function fromLambdaAction(p: Json, receivedAt: string): NormalizedAlert[] {
  const d = p.alarmData as Json;
  const state = isObj(d.state) ? d.state : {};
  const alarmName = str(d.alarmName);
  if (!alarmName) throw new ValidationError('alarm action payload has no alarmData.alarmName');
  const config = isObj(d.configuration) ? d.configuration : {};
  return [
    cloudwatchAlarm({
      source: 'cloudwatch-lambda-action',
      eventId: hash(`${p.alarmArn}|${state.timestamp ?? p.time}|${state.value}`),
      account: str(p.accountId),
      region: str(p.region),
      alarmName,
      state: str(state.value) ?? 'UNKNOWN',
      reason: str(state.reason) ?? '',
      description: str(config.description),
      at: toIso(state.timestamp ?? p.time, receivedAt),
      dimensions: firstDimensions(config.metrics),
      resources: str(p.alarmArn) ? [String(p.alarmArn)] : [],
      raw: p,
    }),
  ];
}

function fromSnsMessage(message: Json, envelope: Json, receivedAt: string): NormalizedAlert {
  const alarmName = str(message.AlarmName);
  if (!alarmName)
    throw new ValidationError('SNS message is not a CloudWatch alarm notification (no AlarmName)');
  const trigger = isObj(message.Trigger) ? message.Trigger : {};
  const dims = Array.isArray(trigger.Dimensions)
    ? Object.fromEntries(
        trigger.Dimensions.filter(isObj).map((dim) => [
          String(dim.name ?? dim.Name),
          String(dim.value ?? dim.Value),
        ]),
      )
    : undefined;
  const arn = str(message.AlarmArn);
  return cloudwatchAlarm({
    source: 'cloudwatch-sns',
    eventId: str(envelope.MessageId) ?? hash(JSON.stringify(message)),
    account: str(message.AWSAccountId),
    region: arn?.split(':')[3],
    alarmName,
    state: str(message.NewStateValue) ?? 'UNKNOWN',
    reason: str(message.NewStateReason) ?? '',
    description: str(message.AlarmDescription),
    at: toIso(message.StateChangeTime ?? envelope.Timestamp, receivedAt),
    dimensions: dims,
    resources: arn ? [arn] : [],
    raw: envelope,
  });
}

function parseSnsBody(envelope: Json): Json {
  const message = str(envelope.Message);
  if (!message) throw new ValidationError('SNS envelope has no Message');
  try {
    const parsed = JSON.parse(message);
    if (isObj(parsed)) return parsed;
  } catch {
    // fall through
  }
  throw new ValidationError('SNS Message is not a JSON CloudWatch alarm notification');
}

function fromSns(p: Json, receivedAt: string): NormalizedAlert[] {
  if (Array.isArray(p.Records)) {
    return p.Records.filter(isObj).map((r) => {
      const sns = r.Sns as Json;
      return fromSnsMessage(parseSnsBody(sns), sns, receivedAt);
    });
  }
  if (p.Type === 'SubscriptionConfirmation' || p.Type === 'UnsubscribeConfirmation') return [];
  return [fromSnsMessage(parseSnsBody(p), p, receivedAt)];
}

function fromPagerDuty(p: Json, receivedAt: string): NormalizedAlert[] {
  const event = p.event as Json;
  const type = String(event.event_type);
  const data = isObj(event.data) ? event.data : {};
  const incident = type.startsWith('incident.') ? data : {};
  const incidentId = str(incident.id) ?? str(data.id) ?? 'unknown';
  const service = isObj(incident.service) ? str(incident.service.summary) : undefined;
  const status =
    type === 'incident.triggered' ? 'firing' : type === 'incident.resolved' ? 'resolved' : 'info';
  const priority = isObj(incident.priority) ? str(incident.priority.summary) : undefined;
  return [
    {
      source: 'pagerduty-v3',
      sourceEventId: str(event.id) ?? hash(JSON.stringify(p)),
      fingerprint: `pagerduty:${incidentId}`,
      status,
      title: str(incident.title) ?? type,
      description: `${type}${priority ? ` priority ${priority}` : ''}${str(incident.urgency) ? ` urgency ${incident.urgency}` : ''}`,
      service,
      resources: [],
      severityHint: severityFromWord(priority) ?? (incident.urgency === 'high' ? 'SEV2' : undefined),
      startedAt: toIso(incident.created_at ?? event.occurred_at, receivedAt),
      links: str(incident.html_url) ? [String(incident.html_url)] : [],
      labels: { eventType: type, ...(str(incident.urgency) ? { urgency: String(incident.urgency) } : {}) },
      raw: p,
    },
  ];
}

function fromPrometheusLike(
  source: 'alertmanager' | 'grafana',
  p: Json,
  receivedAt: string,
): NormalizedAlert[] {
  const alerts = (p.alerts as unknown[]).filter(isObj);
  if (!alerts.length) throw new ValidationError(`${source} payload has no alerts`);
  const common = isObj(p.commonLabels) ? p.commonLabels : {};
  return alerts.map((a) => {
    const labels = Object.fromEntries(
      Object.entries({ ...common, ...(isObj(a.labels) ? a.labels : {}) }).map(([k, v]) => [k, String(v)]),
    );
    const annotations = isObj(a.annotations) ? a.annotations : {};
    const fp = str(a.fingerprint) ?? hash(JSON.stringify(Object.entries(labels).sort()));
    const startsAt = toIso(a.startsAt, receivedAt);
    return {
      source,
      sourceEventId: `${fp}:${startsAt}:${a.status}`,
      fingerprint: `${source}:${fp}`,
      status: a.status === 'resolved' ? ('resolved' as const) : ('firing' as const),
      title: labels.alertname ?? str(annotations.summary) ?? 'alert',
      description: [str(annotations.summary), str(annotations.description)].filter(Boolean).join(' — '),
      service: labels.service ?? labels.job ?? labels.app ?? labels.namespace,
      resources: [],
      severityHint: severityFromWord(labels.severity),
      startedAt: startsAt,
      links: [a.generatorURL, a.dashboardURL, a.panelURL].map(str).filter((x): x is string => !!x),
      labels,
      raw: p,
    };
  });
}

function fromManual(p: Json, receivedAt: string): NormalizedAlert[] {
  const service = str(p.service);
  const summary = str(p.summary);
  if (!service || !summary) throw new ValidationError('manual start needs service and summary');
  const severityHint = typeof p.severity === 'string' ? severityFromWord(p.severity) : undefined;
  if (p.severity !== undefined && !severityHint) throw new ValidationError('severity must be SEV1..SEV4');
  const at = toIso(p.startedAt, receivedAt);
  return [
    {
      source: 'manual',
      sourceEventId: hash(`${service}|${summary}|${at}`),
      fingerprint: `manual:${service}:${hash(summary.toLowerCase())}`,
      status: 'firing',
      title: summary.slice(0, 200),
      description: summary,
      service,
      resources: [],
      severityHint,
      startedAt: at,
      links: [],
      labels: str(p.reportedBy) ? { reportedBy: String(p.reportedBy) } : {},
      raw: p,
    },
  ];
}

/**
 * @example
 * const [alert] = normalize(JSON.parse(body), { receivedAt: new Date().toISOString() });
 */
export function normalize(
  payload: unknown,
  opts: { source?: AlertSource; receivedAt: string },
): NormalizedAlert[] {
  const source = opts.source ?? detectSource(payload);
  if (!source)
    throw new ValidationError(
      'unknown alert shape: not a CloudWatch, SNS, PagerDuty, Alertmanager, Grafana or manual alert',
    );
  if (!isObj(payload)) throw new ValidationError('alert payload must be a JSON object');
  switch (source) {
    case 'cloudwatch-eventbridge':
      if (!isObj(payload.detail)) throw new ValidationError('EventBridge event has no detail');
      return fromEventBridge(payload, opts.receivedAt);
    case 'cloudwatch-lambda-action':
      if (!isObj(payload.alarmData)) throw new ValidationError('alarm action payload has no alarmData');
      return fromLambdaAction(payload, opts.receivedAt);
    case 'cloudwatch-sns':
      return fromSns(payload, opts.receivedAt);
    case 'pagerduty-v3':
      if (!isObj(payload.event)) throw new ValidationError('PagerDuty webhook has no event');
      return fromPagerDuty(payload, opts.receivedAt);
    case 'alertmanager':
    case 'grafana':
      if (!Array.isArray(payload.alerts)) throw new ValidationError(`${source} payload has no alerts array`);
      return fromPrometheusLike(source, payload, opts.receivedAt);
    case 'manual':
      return fromManual(payload, opts.receivedAt);
  }
}
