/**
 * Turns a delivery from any supported source into normalized alerts. Pure: no I/O, no clock
 * except the `receivedAt` it is given. Unknown and unsupported shapes are refused with a reason
 * (ValidationError), never guessed at.
 */
import { ValidationError } from '../errors.js';
import type { AlertSource, NormalizedAlert } from '../model.js';
import { boundAlert, keyPart } from './bound.js';
import { fromEventBridge, fromLambdaAction } from './cloudwatch.js';
import type { NormalizedDelivery } from './delivery.js';
import { detectSource, unsupportedShape } from './detect.js';
import { fromManual } from './manual.js';
import { fromPagerDuty } from './pagerduty.js';
import { fromGroup, fromLegacyGrafana } from './prometheus.js';
import { fromSns } from './sns.js';
import { isObj } from './values.js';

export { detectSource } from './detect.js';
export { severityFromWord } from './severity.js';

/**
 * The whole delivery: its alerts plus what is true of the delivery itself (a subscription
 * handshake, truncated alerts, PagerDuty's event id).
 *
 * @example
 * const { alerts } = normalizeDelivery(JSON.parse(body), { source: 'alertmanager', receivedAt });
 */
export function normalizeDelivery(
  payload: unknown,
  opts: { source?: AlertSource; receivedAt: string },
): NormalizedDelivery {
  if (!isObj(payload)) throw new ValidationError('alert payload must be a JSON object');
  const source = opts.source ?? detectSource(payload);
  if (!source) {
    const known = unsupportedShape(payload);
    throw new ValidationError(
      known
        ? `unsupported payload: ${known}`
        : 'unknown alert shape: not a CloudWatch (EventBridge, SNS, alarm action), PagerDuty V3, Alertmanager, Grafana or manual alert',
    );
  }
  let delivery: NormalizedDelivery;
  try {
    delivery = bySource(source, payload, opts.receivedAt);
  } catch (err) {
    // Sent to the wrong endpoint, a shape we recognise says more than the schema's complaint.
    const known = err instanceof ValidationError ? unsupportedShape(payload) : undefined;
    if (known) throw new ValidationError(`unsupported payload: ${known}`);
    throw err;
  }
  // Within DynamoDB's key and item limits by construction: see bound.ts.
  return {
    ...delivery,
    alerts: delivery.alerts.map(boundAlert),
    ...(delivery.deliveryId === undefined ? {} : { deliveryId: keyPart(delivery.deliveryId) }),
  };
}

function bySource(source: AlertSource, payload: Record<string, unknown>, at: string): NormalizedDelivery {
  const one = (alerts: NormalizedAlert[]): NormalizedDelivery => ({ source, alerts, notes: [] });
  switch (source) {
    case 'cloudwatch-eventbridge':
      return one(fromEventBridge(payload, at));
    case 'cloudwatch-lambda-action':
      return one(fromLambdaAction(payload, at));
    case 'cloudwatch-sns':
      return fromSns(payload, at);
    case 'pagerduty-v3':
      return fromPagerDuty(payload, at);
    case 'alertmanager':
      return fromGroup('alertmanager', payload, at);
    case 'grafana':
      return Array.isArray(payload.alerts)
        ? fromGroup('grafana', payload, at)
        : fromLegacyGrafana(payload, at);
    case 'manual':
      return fromManual(payload, at);
  }
}

/**
 * @example
 * const [alert] = normalize(JSON.parse(body), { receivedAt: new Date().toISOString() });
 */
export function normalize(
  payload: unknown,
  opts: { source?: AlertSource; receivedAt: string },
): NormalizedAlert[] {
  return normalizeDelivery(payload, opts).alerts;
}
