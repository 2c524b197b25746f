/**
 * CloudWatch alarms delivered by EventBridge ("CloudWatch Alarm State Change" and the
 * multi-time-series "CloudWatch Alarm Contributor State Change") and by an alarm invoking a Lambda
 * function directly (`alarmData`). Configuration-change events are refused: they are not alerts.
 */
import * as z from 'zod';
import { ValidationError } from '../errors.js';
import type { NormalizedAlert } from '../model.js';
import { type AlarmType, alarmAlert, mutedAt } from './alarm.js';
import { parseShape } from './delivery.js';
import { hash, isObj, list, obj, parseJsonField, region, str, stringMap, toIso } from './values.js';

const AlarmStateValue = z.enum(['ALARM', 'OK', 'INSUFFICIENT_DATA']);
const State = z.looseObject({
  value: AlarmStateValue,
  reason: z.string().nullish(),
  reasonData: z.string().nullish(),
  timestamp: z.string().nullish(),
  actionsSuppressedBy: z.string().nullish(),
  actionsSuppressedReason: z.string().nullish(),
});
const AlarmDetail = z.looseObject({
  alarmName: z.string().min(1),
  state: State,
  previousState: z.looseObject({ value: z.string().optional() }).nullish(),
  configuration: z.looseObject({}).nullish(),
  alarmTags: z.record(z.string(), z.unknown()).nullish(),
  muteDetail: z
    .looseObject({
      mutedByArn: z.string().optional(),
      muteWindowStart: z.string().optional(),
      muteWindowEnd: z.string().optional(),
    })
    .nullish(),
  alarmContributor: z
    .looseObject({ id: z.string().min(1), attributes: z.record(z.string(), z.unknown()).nullish() })
    .nullish(),
});
const EventBridgeAlarm = z.looseObject({
  id: z.string().min(1),
  'detail-type': z.string(),
  account: z.string().optional(),
  region: z.string().optional(),
  time: z.string().optional(),
  resources: z.array(z.string()).optional(),
  detail: AlarmDetail,
});
const LambdaAlarmAction = z.looseObject({
  source: z.literal('aws.cloudwatch'),
  alarmArn: z.string().optional(),
  accountId: z.string().optional(),
  region: z.string().optional(),
  time: z.string().optional(),
  alarmData: AlarmDetail,
});

export const STATE_CHANGE = 'CloudWatch Alarm State Change';
export const CONTRIBUTOR_STATE_CHANGE = 'CloudWatch Alarm Contributor State Change';

/** What kind of alarm the configuration describes; composite alarms have a rule instead of metrics. */
export function alarmTypeOf(configuration: unknown): AlarmType {
  const config = obj(configuration);
  if (str(config.alarmRule)) return 'composite';
  const expressions = list(config.metrics)
    .map((m) => str(obj(m).expression) ?? '')
    .filter(Boolean);
  if (expressions.some((e) => /ANOMALY_DETECTION_BAND/i.test(e))) return 'anomaly-detection';
  if (expressions.some((e) => /^\s*SELECT\b/i.test(e))) return 'metrics-insights';
  return expressions.length ? 'metric-math' : 'metric';
}

/** Dimensions of the first metric that has any (metric-math alarms name several metrics). */
export function firstDimensions(metrics: unknown): Record<string, string> | undefined {
  for (const m of list(metrics)) {
    const dims = stringMap(obj(obj(obj(m).metricStat).metric).dimensions);
    if (Object.keys(dims).length) return dims;
  }
  return undefined;
}

/** Composite alarms name their triggering children in `reasonData` (a JSON string). */
export function triggeringAlarms(reasonData: unknown): string[] {
  return list(parseJsonField(reasonData)?.triggeringAlarms)
    .map((t) => str(obj(t).arn))
    .filter((a): a is string => !!a);
}

function fromDetail(
  d: z.infer<typeof AlarmDetail>,
  envelope: {
    source: NormalizedAlert['source'];
    eventId: string;
    account?: string;
    region?: string;
    alarmArn?: string;
    resources?: string[];
    time?: string;
    raw: unknown;
  },
  receivedAt: string,
  contributor: boolean,
): NormalizedAlert {
  const at = toIso(d.state.timestamp ?? envelope.time, receivedAt);
  const config = obj(d.configuration);
  const attributes = stringMap(d.alarmContributor?.attributes);
  return alarmAlert({
    source: envelope.source,
    eventId: envelope.eventId,
    account: envelope.account,
    region: envelope.region,
    alarmName: d.alarmName,
    alarmArn: envelope.alarmArn,
    state: d.state.value,
    previousState: str(d.previousState?.value),
    reason: d.state.reason ?? '',
    description: str(config.description),
    at,
    alarmType: alarmTypeOf(config),
    tags: stringMap(d.alarmTags),
    dimensions: firstDimensions(config.metrics),
    triggering: triggeringAlarms(d.state.reasonData),
    resources: envelope.resources,
    suppressedBy: d.state.actionsSuppressedBy ?? undefined,
    suppressedReason: d.state.actionsSuppressedReason ?? undefined,
    mutedBy: mutedAt(d.muteDetail ?? undefined, at),
    contributor: contributor && d.alarmContributor ? { id: d.alarmContributor.id, attributes } : undefined,
    raw: envelope.raw,
  });
}

export function fromEventBridge(payload: unknown, receivedAt: string): NormalizedAlert[] {
  const detailType = isObj(payload) ? str(payload['detail-type']) : undefined;
  if (detailType === 'CloudWatch Alarm Configuration Change') {
    throw new ValidationError(
      'a CloudWatch alarm configuration change is not an alert: route only "CloudWatch Alarm State Change" events to Firebreak',
    );
  }
  if (detailType !== STATE_CHANGE && detailType !== CONTRIBUTOR_STATE_CHANGE) {
    throw new ValidationError(
      `unsupported EventBridge detail-type ${JSON.stringify(detailType ?? null)}: expected "${STATE_CHANGE}" or "${CONTRIBUTOR_STATE_CHANGE}"`,
    );
  }
  const p = parseShape(EventBridgeAlarm, payload, 'CloudWatch alarm event');
  const contributor = detailType === CONTRIBUTOR_STATE_CHANGE;
  if (contributor && !p.detail.alarmContributor) {
    throw new ValidationError('a contributor state change without detail.alarmContributor');
  }
  return [
    fromDetail(
      p.detail,
      {
        source: 'cloudwatch-eventbridge',
        eventId: p.id,
        account: p.account,
        region: region(p.region),
        resources: p.resources,
        time: p.time,
        raw: payload,
      },
      receivedAt,
      contributor,
    ),
  ];
}

export function fromLambdaAction(payload: unknown, receivedAt: string): NormalizedAlert[] {
  const p = parseShape(LambdaAlarmAction, payload, 'CloudWatch alarm action payload');
  const state = p.alarmData.state;
  return [
    fromDetail(
      p.alarmData,
      {
        source: 'cloudwatch-lambda-action',
        // The invocation carries no event id: the transition (alarm, time, state) identifies it.
        eventId: hash(`${p.alarmArn ?? p.alarmData.alarmName}|${state.timestamp ?? p.time}|${state.value}`),
        account: p.accountId,
        region: region(p.region),
        alarmArn: p.alarmArn,
        time: p.time,
        raw: payload,
      },
      receivedAt,
      false,
    ),
  ];
}
