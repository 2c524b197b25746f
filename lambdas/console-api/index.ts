/**
 * The console behind the stack's HTTP API: the same pages and routes as `firebreak serve`
 * (domain/console/router.ts), for people signed in through the route's JWT authorizer. The approver
 * is the token's subject. A decision goes the way the approval links and `firebreak approve --table`
 * send it: decideApproval records it once, then the waiting Step Functions task is answered; if that
 * fails the record is put back (undoDecision), so it never claims a decision that had no effect.
 * Closing is refused while the incident's Step Functions execution still runs (DescribeExecution):
 * the workflow owns the incident until it stops.
 */
import { createHmac } from 'node:crypto';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { isLateAnswer, REJECTED_ERROR } from '../../adapters/aws/sfn-answerer.js';
import { decideApproval, undoDecision } from '../../domain/approval/approval.js';
import type { Clock } from '../../domain/clock.js';
import type { FirebreakConfig } from '../../domain/config.js';
import { messagePage } from '../../domain/console/layout.js';
import {
  type ConsoleDecision,
  DecisionNotDelivered,
  type HttpResponse,
  handleConsoleRequest,
} from '../../domain/console/router.js';
import type { IncidentMemory } from '../../domain/memory/port.js';
import type { Incident } from '../../domain/model.js';
import { describeAction } from '../../domain/notify/messages.js';
import type { IncidentStore, SigningKeySource, TaskAnswerer } from '../../domain/ports.js';

export const CONSOLE_BASE = '/console';

export interface ConsoleApiDeps {
  store: IncidentStore;
  clock: Clock;
  config: FirebreakConfig;
  memory?: IncidentMemory;
  /** The approval-link key; the console signs its forms with a key derived from it, never the same. */
  keys: SigningKeySource;
  answerer: TaskAnswerer;
  /**
   * The incident's execution while it still runs (runtime/console-wiring.ts asks Step Functions):
   * a close is refused then.
   */
  drivenBy: (incident: Incident) => Promise<string | undefined>;
}

/** Records the decision, then answers the waiting task; withdraws the record if the task cannot be told. */
export function awsDecider(deps: ConsoleApiDeps) {
  return async (incidentId: string, d: ConsoleDecision): Promise<string> => {
    const decided = await decideApproval(deps, incidentId, d);
    try {
      if (d.approved)
        await deps.answerer.approve(decided.taskToken, {
          approved: true,
          by: d.actor,
          at: decided.decidedAt,
        });
      else
        await deps.answerer.reject(
          decided.taskToken,
          REJECTED_ERROR,
          `${d.actor} rejected ${describeAction(decided.action)}${d.reason ? `: ${d.reason.slice(0, 500)}` : ''}`,
        );
    } catch (err) {
      const late = isLateAnswer(err);
      await undoDecision(deps, await deps.store.get(incidentId), decided.pending, {
        late,
        detail: `${(err as Error).name}: ${(err as Error).message}`,
      });
      throw late
        ? new DecisionNotDelivered(
            410,
            'The workflow stopped waiting for this decision before it arrived; it has escalated instead.',
          )
        : new DecisionNotDelivered(
            503,
            'Your decision could not be delivered to the workflow and was withdrawn. Try again in a moment.',
          );
    }
    return d.approved
      ? 'Firebreak runs the action now and reports the outcome to on-call.'
      : 'Nothing runs; the next escalation tier is paged.';
  };
}

/** A per-purpose key: a console form signature can never pass as an approval link's, or back. */
const formKeyFrom = (keys: SigningKeySource) => async () =>
  createHmac('sha256', await keys.key())
    .update('firebreak-console-forms-v1')
    .digest();

export async function handleConsoleEvent(
  event: APIGatewayProxyEventV2WithJWTAuthorizer,
  deps: ConsoleApiDeps,
): Promise<HttpResponse> {
  const claims = event.requestContext?.authorizer?.jwt?.claims ?? {};
  const subject = typeof claims.sub === 'string' && claims.sub ? claims.sub : undefined;
  // The route's authorizer refuses requests without a valid token; this holds if it were ever detached.
  if (!subject)
    return messagePage(CONSOLE_BASE, 401, 'Sign in required', ['This console needs a signed-in user.']);
  const raw = event.body ?? '';
  const body = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  return handleConsoleRequest(
    {
      method: event.requestContext.http.method,
      path: event.rawPath,
      query: Object.fromEntries(new URLSearchParams(event.rawQueryString ?? '')),
      body,
    },
    {
      base: CONSOLE_BASE,
      store: deps.store,
      clock: deps.clock,
      config: deps.config,
      memory: deps.memory,
      formKey: formKeyFrom(deps.keys),
      decide: awsDecider(deps),
      drivenBy: deps.drivenBy,
      subject,
    },
  );
}
