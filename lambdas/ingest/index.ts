/**
 * The ingest function: ONE handler for every way an alert arrives —
 *
 *   EventBridge   "CloudWatch Alarm State Change" / "… Contributor State Change" (IAM-authorized)
 *   SNS           the Lambda trigger's `Records[]` (IAM-authorized)
 *   alarm action  a CloudWatch alarm invoking the function directly (resource policy)
 *   HTTP          Function URL / HTTP API / REST events for POST /webhooks/pagerduty|alertmanager|
 *                 grafana|sns, each authenticated by its signature or token before it is parsed
 *
 * Bad input never throws: HTTP gets 400/401/404/405/413 with `{error, reason}`, event sources get
 * `{decision: "reject", …}` (a retry would fail the same way), and each refusal is counted by its
 * reason. Faults that a retry can fix (the store or Step Functions unavailable) answer HTTP 503 and
 * throw for event sources, whose retries and dead-letter queue then keep the alert.
 */

import type { ConfirmSubscription } from '../../adapters/aws/sns-subscriptions.js';
import type { NormalizedDelivery } from '../../domain/alerts/delivery.js';
import {
  GRAFANA_SIGNATURE,
  verifyGrafanaHmac,
  verifyPagerDuty,
  verifyToken,
} from '../../domain/alerts/signature.js';
import { snsTopics } from '../../domain/alerts/sns.js';
import type { Clock } from '../../domain/clock.js';
import { ValidationError } from '../../domain/errors.js';
import type { Ingestor } from '../../domain/ingest/ingest.js';
import type { IngestMetrics } from '../../domain/ingest/metrics.js';
import type { IngestOptions } from '../../domain/ingest/options.js';
import { alertSummary, type IngestResult } from '../../domain/ingest/outcome.js';
import type { AlertSource } from '../../domain/model.js';
import type { DeliveryLedger } from '../../domain/ports.js';
import type { WebhookName, WebhookSecrets } from '../../runtime/webhook-secrets.js';
import { type HttpRequest, type HttpResponse, httpRequestOf, json } from './http.js';
import { checkSize, parseJson, toDelivery } from './read-body.js';
import { DeliveryRejected, rejection } from './rejection.js';

export interface IngestHandlerDeps {
  ingestor: Ingestor;
  /** For PagerDuty replay markers. */
  store: DeliveryLedger;
  clock: Clock;
  options: IngestOptions;
  secrets: () => Promise<WebhookSecrets>;
  metrics: IngestMetrics;
  confirmSubscription: ConfirmSubscription;
  log: (level: 'info' | 'warn' | 'error', message: string, data?: Record<string, unknown>) => void;
  /** Accept webhooks without credentials: only for `firebreak serve --no-auth` on 127.0.0.1. */
  insecure?: boolean;
}

export const WEBHOOK_ROUTES: Record<string, { source: AlertSource; secret: WebhookName }> = {
  '/webhooks/pagerduty': { source: 'pagerduty-v3', secret: 'pagerduty' },
  '/webhooks/alertmanager': { source: 'alertmanager', secret: 'alertmanager' },
  '/webhooks/grafana': { source: 'grafana', secret: 'grafana' },
  '/webhooks/sns': { source: 'cloudwatch-sns', secret: 'sns' },
};

/** A PagerDuty delivery that another attempt is processing right now: retry later, do not drop it. */
class InFlight extends Error {}

/**
 * How long a concurrent copy of a delivery waits for the copy being processed to finish. A copy
 * is answered only once the first copy's outcome is durable: "already processed" if it finished,
 * processed itself if the first gave up; 503 only if the first is still at work after this long.
 */
const IN_FLIGHT_WAIT_MS = 3_000;

/** What every entry point answers for an accepted delivery (never the raw payload). */
export const answer = (result: IngestResult) => ({
  decision: result.decision,
  reason: result.reason,
  incidentId: result.incidentId ?? null,
  executionArn: result.executionArn ?? null,
  alerts: result.outcomes.map((o) => ({
    ...alertSummary(o.alert),
    decision: o.decision,
    incidentId: o.incidentId ?? null,
  })),
  notes: result.notes,
});

const EVENT_SOURCES: Array<[AlertSource, (e: Record<string, unknown>) => boolean]> = [
  ['cloudwatch-sns', (e) => Array.isArray(e.Records)],
  ['cloudwatch-eventbridge', (e) => e.source === 'aws.cloudwatch' && 'detail-type' in e],
  ['cloudwatch-lambda-action', (e) => e.source === 'aws.cloudwatch' && 'alarmData' in e],
];

export function createIngestHandler(deps: IngestHandlerDeps) {
  const refuse = (err: DeliveryRejected | ValidationError, source: string) => {
    const code = err instanceof DeliveryRejected ? err.code : 'invalid-payload';
    deps.metrics.rejected(code, source);
    deps.log('warn', 'delivery refused', { source, error: code, reason: err.message });
    return rejection(err);
  };

  /** Everything after authentication and parsing: topics, the SNS handshake, replays, the decision. */
  async function accept(delivery: NormalizedDelivery, payload: unknown): Promise<IngestResult> {
    const allowed = deps.options.snsTopicArns;
    if (delivery.source === 'cloudwatch-sns' && allowed.length) {
      const stranger = snsTopics(payload).find((t) => !allowed.includes(t));
      if (stranger)
        throw new DeliveryRejected('topic-not-allowed', `SNS topic ${stranger} is not in snsTopicArns`);
    }
    if (delivery.subscription) {
      const done = await deps.confirmSubscription(delivery.subscription);
      return { decision: 'ignore', reason: done, outcomes: [], notes: delivery.notes };
    }
    const replayKey = delivery.deliveryId ? `${delivery.source}#${delivery.deliveryId}` : undefined;
    if (replayKey) {
      const begin = () =>
        deps.store.beginDelivery(replayKey, {
          now: deps.clock.now(),
          leaseSeconds: deps.options.claimLeaseSeconds,
        });
      let state = await begin();
      for (const until = Date.now() + IN_FLIGHT_WAIT_MS; state === 'in-flight' && Date.now() < until; ) {
        await new Promise((r) => setTimeout(r, 100));
        state = await begin();
      }
      if (state === 'in-flight')
        throw new InFlight(`delivery ${delivery.deliveryId} is being processed; retry later`);
      if (state === 'done') {
        deps.metrics.rejected('replay', delivery.source);
        return {
          decision: 'ignore',
          reason: `replay: ${delivery.source} delivery ${delivery.deliveryId} was already processed; nothing changed`,
          outcomes: [],
          notes: delivery.notes,
        };
      }
    }
    let result: IngestResult;
    try {
      result = await deps.ingestor.ingest(delivery);
    } catch (err) {
      if (replayKey) await deps.store.abandonDelivery(replayKey).catch(() => undefined);
      throw err;
    }
    if (replayKey) {
      await deps.store.finishDelivery(replayKey, {
        now: deps.clock.now(),
        keepHours: deps.options.replayKeepHours,
      });
    }
    deps.metrics.decided(result.decision, delivery.source);
    return result;
  }

  async function authenticate(req: HttpRequest, route: { source: AlertSource; secret: WebhookName }) {
    if (deps.insecure) return;
    const secrets = (await deps.secrets())[route.secret] ?? [];
    if (!secrets.length) {
      throw new DeliveryRejected(
        'not-configured',
        `no ${route.secret} webhook secret is configured: refusing unauthenticated deliveries`,
      );
    }
    const auth =
      route.source === 'pagerduty-v3'
        ? verifyPagerDuty(req.body, req.headers['x-pagerduty-signature'], secrets)
        : route.source === 'grafana' && req.headers[GRAFANA_SIGNATURE]
          ? verifyGrafanaHmac(req.body, req.headers, secrets, deps.clock.now())
          : verifyToken(req.headers.authorization, secrets);
    if (!auth.ok) throw new DeliveryRejected(auth.reason, auth.detail);
  }

  async function http(req: HttpRequest): Promise<HttpResponse> {
    const path = Object.keys(WEBHOOK_ROUTES).find((p) => req.path === p || req.path.endsWith(p));
    const route = path ? WEBHOOK_ROUTES[path] : undefined;
    const source = route?.source ?? 'http';
    try {
      if (!route) throw new DeliveryRejected('not-found', `no webhook at ${req.path.slice(0, 200)}`);
      if (req.method !== 'POST')
        throw new DeliveryRejected('method-not-allowed', `${req.method} is not allowed; POST the alert`);
      checkSize(req.body);
      await authenticate(req, route);
      const payload = parseJson(req.body);
      const delivery = toDelivery(payload, route.source, deps.clock.now().toISOString());
      return json(200, answer(await accept(delivery, payload)));
    } catch (err) {
      if (err instanceof ValidationError) {
        const status = err instanceof DeliveryRejected ? err.status : 400;
        const { error, reason } = refuse(err, source);
        return json(status, { error, reason }, status === 405 ? { allow: 'POST' } : {});
      }
      if (err instanceof InFlight) {
        deps.metrics.rejected('in-flight', source);
        return json(503, { error: 'in-flight', reason: err.message }, { 'retry-after': '5' });
      }
      deps.log('error', 'ingest failed', {
        source,
        error: (err as Error).name,
        message: (err as Error).message,
      });
      return json(
        503,
        { error: 'unavailable', reason: 'a temporary failure; retry the delivery' },
        { 'retry-after': '5' },
      );
    }
  }

  return async function handle(event: unknown): Promise<unknown> {
    const req = httpRequestOf(event);
    if (req) return http(req);
    const e = typeof event === 'object' && event !== null ? (event as Record<string, unknown>) : {};
    const source = EVENT_SOURCES.find(([, test]) => test(e))?.[0];
    try {
      if (!source) {
        throw new DeliveryRejected(
          'invalid-payload',
          'not an HTTP request, an SNS event, a CloudWatch alarm event from EventBridge or an alarm action',
        );
      }
      const delivery = toDelivery(event, source, deps.clock.now().toISOString());
      return answer(await accept(delivery, event));
    } catch (err) {
      if (err instanceof ValidationError) return refuse(err, source ?? 'event');
      // Not the sender's mistake: let the event source retry, then dead-letter it.
      throw err;
    }
  };
}
