/**
 * CloudWatch alarm notifications through SNS: the Lambda trigger (`Records[].Sns`), the HTTP(S)
 * delivery (the envelope itself, including the subscription handshake), and a bare alarm message
 * (what an SQS subscription with raw delivery receives). `Message` is the alarm as a JSON string.
 */
import * as z from 'zod';
import { ValidationError } from '../errors.js';
import type { NormalizedAlert } from '../model.js';
import { type AlarmType, alarmAlert } from './alarm.js';
import { type NormalizedDelivery, parseShape } from './delivery.js';
import { arnRegion, hash, isObj, list, obj, parseJsonField, str, toIso } from './values.js';

const Child = z.union([
  z.string(),
  z.looseObject({ Arn: z.string().optional(), arn: z.string().optional() }),
]);
const AlarmMessage = z.looseObject({
  AlarmName: z.string().min(1),
  AlarmDescription: z.string().nullish(),
  AWSAccountId: z.string().nullish(),
  NewStateValue: z.enum(['ALARM', 'OK', 'INSUFFICIENT_DATA']),
  NewStateReason: z.string().nullish(),
  StateChangeTime: z.string().nullish(),
  AlarmArn: z.string().nullish(),
  OldStateValue: z.string().nullish(),
  Trigger: z.looseObject({}).nullish(),
  AlarmRule: z.string().nullish(),
  TriggeringChildren: z.array(Child).nullish(),
  ActionsSuppressedBy: z.string().nullish(),
  ActionsSuppressedReason: z.string().nullish(),
});
const Envelope = z.looseObject({
  Type: z.string().optional(),
  MessageId: z.string().min(1),
  TopicArn: z.string().optional(),
  Message: z.string(),
  Timestamp: z.string().optional(),
});
const Handshake = z.looseObject({
  Type: z.enum(['SubscriptionConfirmation', 'UnsubscribeConfirmation']),
  TopicArn: z.string().min(1),
  Token: z.string().optional(),
  SubscribeURL: z.string().optional(),
});

/** `[{name, value}]` (either case) as a map. */
function dimensionList(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of list(v)) {
    const name = str(obj(d).name) ?? str(obj(d).Name);
    const value = obj(d).value ?? obj(d).Value;
    if (name && (typeof value === 'string' || typeof value === 'number')) out[name] = String(value);
  }
  return out;
}

/** A single-metric `Trigger` names its dimensions; a metric-math one lists `Trigger.Metrics[]`. */
function triggerFacts(trigger: unknown, rule: unknown): { type: AlarmType; dims?: Record<string, string> } {
  if (str(rule)) return { type: 'composite' };
  const t = obj(trigger);
  const metrics = list(t.Metrics);
  if (!metrics.length) {
    const dims = dimensionList(t.Dimensions);
    return { type: 'metric', dims: Object.keys(dims).length ? dims : undefined };
  }
  const expressions = metrics.map((m) => str(obj(m).Expression) ?? '').filter(Boolean);
  const dims = metrics
    .map((m) => dimensionList(obj(obj(obj(m).MetricStat).Metric).Dimensions))
    .find((d) => Object.keys(d).length);
  const type: AlarmType = expressions.some((e) => /ANOMALY_DETECTION_BAND/i.test(e))
    ? 'anomaly-detection'
    : expressions.some((e) => /^\s*SELECT\b/i.test(e))
      ? 'metrics-insights'
      : 'metric-math';
  return { type, dims };
}

function fromMessage(
  message: unknown,
  envelope: { eventId?: string; topicArn?: string; timestamp?: string; raw: unknown },
  receivedAt: string,
): NormalizedAlert {
  const m = parseShape(AlarmMessage, message, 'CloudWatch alarm notification');
  const { type, dims } = triggerFacts(m.Trigger, m.AlarmRule);
  const triggering = (m.TriggeringChildren ?? [])
    .map((c) => (typeof c === 'string' ? c : (c.Arn ?? c.arn)))
    .filter((a): a is string => !!a);
  return alarmAlert({
    source: 'cloudwatch-sns',
    eventId: envelope.eventId ?? hash(`${m.AlarmArn ?? m.AlarmName}|${m.StateChangeTime}|${m.NewStateValue}`),
    account: m.AWSAccountId ?? undefined,
    // Old notifications have no AlarmArn; the topic lives in the alarm's region.
    region: arnRegion(m.AlarmArn) ?? arnRegion(envelope.topicArn),
    alarmName: m.AlarmName,
    alarmArn: m.AlarmArn ?? undefined,
    state: m.NewStateValue,
    previousState: m.OldStateValue ?? undefined,
    reason: m.NewStateReason ?? '',
    description: m.AlarmDescription ?? undefined,
    at: toIso(m.StateChangeTime ?? envelope.timestamp, receivedAt),
    alarmType: type,
    dimensions: dims,
    triggering,
    suppressedBy: m.ActionsSuppressedBy ?? undefined,
    suppressedReason: m.ActionsSuppressedReason ?? undefined,
    raw: envelope.raw,
  });
}

function fromEnvelope(envelope: unknown, receivedAt: string): NormalizedAlert {
  const e = parseShape(Envelope, envelope, 'SNS notification');
  if (e.Type && e.Type !== 'Notification') throw new ValidationError(`unexpected SNS message type ${e.Type}`);
  const message = parseJsonField(e.Message);
  if (!message) {
    throw new ValidationError('the SNS Message is not JSON: not a CloudWatch alarm notification');
  }
  return fromMessage(
    message,
    { eventId: e.MessageId, topicArn: e.TopicArn, timestamp: e.Timestamp, raw: envelope },
    receivedAt,
  );
}

/** The topics a delivery came from, for the allow-list check. */
export function snsTopics(payload: unknown): string[] {
  if (!isObj(payload)) return [];
  if (Array.isArray(payload.Records)) {
    return payload.Records.map((r) => str(obj(obj(r).Sns).TopicArn)).filter((t): t is string => !!t);
  }
  return str(payload.TopicArn) ? [String(payload.TopicArn)] : [];
}

export function fromSns(payload: unknown, receivedAt: string): NormalizedDelivery {
  const p = obj(payload);
  if (Array.isArray(p.Records)) {
    if (!p.Records.length) throw new ValidationError('SNS event has no Records');
    const alerts = p.Records.map((r, i) => {
      if (!isObj(r) || !isObj(r.Sns)) throw new ValidationError(`Records.${i} has no Sns object`);
      return fromEnvelope(r.Sns, receivedAt);
    });
    return { source: 'cloudwatch-sns', alerts, notes: [] };
  }
  if (p.Type === 'SubscriptionConfirmation' || p.Type === 'UnsubscribeConfirmation') {
    const h = parseShape(Handshake, payload, 'SNS subscription handshake');
    return {
      source: 'cloudwatch-sns',
      alerts: [],
      notes: [`SNS ${h.Type} for ${h.TopicArn}`],
      subscription: { type: h.Type, topicArn: h.TopicArn, token: h.Token, subscribeUrl: h.SubscribeURL },
    };
  }
  if (str(p.AlarmName) && !str(p.Message)) {
    return { source: 'cloudwatch-sns', alerts: [fromMessage(p, { raw: payload }, receivedAt)], notes: [] };
  }
  return { source: 'cloudwatch-sns', alerts: [fromEnvelope(payload, receivedAt)], notes: [] };
}
