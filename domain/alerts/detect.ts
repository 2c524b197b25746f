/**
 * Tells which source sent a payload from its shape alone, and names the shapes Firebreak
 * recognises but deliberately does not ingest, so the refusal says what was sent.
 */
import type { AlertSource } from '../model.js';
import { isObj, list, obj, str } from './values.js';

/** Guesses the source of a payload from its shape; undefined when it is no shape we ingest. */
export function detectSource(payload: unknown): AlertSource | undefined {
  if (!isObj(payload)) return undefined;
  if (payload.source === 'aws.cloudwatch' && isObj(payload.detail) && str(payload['detail-type']))
    return 'cloudwatch-eventbridge';
  if (payload.source === 'aws.cloudwatch' && isObj(payload.alarmData)) return 'cloudwatch-lambda-action';
  const first = obj(list(payload.Records)[0]);
  if (isObj(first.Sns) || first.EventSource === 'aws:sns') return 'cloudwatch-sns';
  if (str(payload.Type) && (str(payload.Message) || str(payload.TopicArn))) return 'cloudwatch-sns';
  if (str(payload.AlarmName) && str(payload.NewStateValue)) return 'cloudwatch-sns';
  if (isObj(payload.event) && str(payload.event.event_type)) return 'pagerduty-v3';
  if (Array.isArray(payload.alerts)) {
    return 'orgId' in payload || 'state' in payload || 'title' in payload ? 'grafana' : 'alertmanager';
  }
  if (str(payload.ruleName) && str(payload.state)) return 'grafana';
  if (str(payload.service) && str(payload.summary)) return 'manual';
  return undefined;
}

/** A reason naming a shape we know and refuse, or undefined for a shape we do not know at all. */
export function unsupportedShape(payload: unknown): string | undefined {
  if (!isObj(payload)) return undefined;
  if (str(payload.action) && isObj(payload.alert) && (str(payload.alert.alertId) || str(payload.alert.alias)))
    return 'an Opsgenie webhook: Opsgenie is not a supported source (forward its alerts through PagerDuty, Alertmanager or CloudWatch)';
  if (Object.values(payload).some((v) => typeof v === 'string' && /^\$[A-Z_]+$/.test(v)))
    return 'an uninterpolated webhook template (a Datadog-style $VARIABLE body): Datadog webhooks have no fixed schema and are not supported';
  if (isObj(payload.webhook_subscription))
    return 'a PagerDuty webhook subscription object, not a webhook delivery';
  if (str(payload.type)?.startsWith('incident') || str(payload.type)?.startsWith('service'))
    return `PagerDuty event data (type ${payload.type}) without its webhook envelope {"event": {…}}`;
  return undefined;
}
