/**
 * The console mounted in `firebreak serve` (one route under /console/), over the store serve holds.
 * A decision goes where `firebreak approve|reject` sends it: to the run waiting in this data
 * directory through its inbox (local/approval-gate.ts, which records it with decideApproval), or,
 * when no run waits, straight into the store by the same decideApproval. Closing is refused while a
 * live run (its heartbeat fresh, its process alive) still drives the incident, as the CLI refuses.
 */
import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { ApprovalRefused, decideApproval } from '../../domain/approval/approval.js';
import { type Clock, systemClock } from '../../domain/clock.js';
import { defaultConfig, type FirebreakConfig } from '../../domain/config.js';
import {
  type ConsoleDecision,
  DecisionNotDelivered,
  handleConsoleRequest,
} from '../../domain/console/router.js';
import type { IncidentMemory } from '../../domain/memory/port.js';
import type { Incident } from '../../domain/model.js';
import { describeAction } from '../../domain/notify/messages.js';
import type { IncidentStore } from '../../domain/ports.js';
import { awaitInboxResult, dropDecision, runIsWaiting } from '../approval-gate.js';
import { liveRun } from '../recovery.js';
import type { LocalRoute } from '../serve/http.js';

export const CONSOLE_BASE = '/console';

export interface LocalConsoleOptions {
  store: IncidentStore;
  dataDir: string;
  memory?: IncidentMemory;
  config?: FirebreakConfig;
  clock?: Clock;
  /** How long to wait for a waiting run to take the decision. */
  inboxTimeoutMs?: number;
}

/** The local channel: the inbox when a run waits, the store otherwise. */
export function localDecider(opts: LocalConsoleOptions) {
  const clock = opts.clock ?? systemClock;
  return async (incidentId: string, d: ConsoleDecision): Promise<string> => {
    if (await runIsWaiting(opts.dataDir, incidentId)) {
      // The gate records it as `console:<name>`, the actor the console shows.
      await dropDecision(opts.dataDir, incidentId, {
        approved: d.approved,
        by: d.actor.replace(/^console:/, ''),
        reason: d.reason,
        channel: 'console',
      });
      const result = await awaitInboxResult(opts.dataDir, incidentId, { timeoutMs: opts.inboxTimeoutMs });
      if (!result)
        throw new DecisionNotDelivered(
          503,
          `the run waiting on ${incidentId} did not pick up the decision; try again`,
        );
      if (!result.ok) throw new ApprovalRefused('used', result.message);
      return `The waiting run took it: ${result.message}.`;
    }
    const decided = await decideApproval({ store: opts.store, clock }, incidentId, {
      approved: d.approved,
      actor: d.actor,
      reason: d.reason,
    });
    return `Recorded ${describeAction(decided.action)}; no local run is waiting on it.`;
  };
}

/** The live local run driving an incident, named for a refusal (`firebreak incidents close` uses it too). */
export const liveRunDriver =
  (dataDir: string) =>
  async (incident: Pick<Incident, 'id'>): Promise<string | undefined> => {
    const run = liveRun(dataDir, incident.id);
    return run ? `a run (pid ${run.pid})` : undefined;
  };

export function consoleRoute(opts: LocalConsoleOptions): LocalRoute {
  const key = randomBytes(32);
  const deps = {
    base: CONSOLE_BASE,
    store: opts.store,
    memory: opts.memory,
    clock: opts.clock ?? systemClock,
    config: opts.config ?? defaultConfig(),
    formKey: async () => key,
    decide: localDecider(opts),
    awaitingDecision: (incidentId: string) => runIsWaiting(opts.dataDir, incidentId),
    drivenBy: liveRunDriver(opts.dataDir),
  };
  return {
    prefix: CONSOLE_BASE,
    handler: async (event: APIGatewayProxyEventV2) => {
      const raw = event.body ?? '';
      return handleConsoleRequest(
        {
          method: event.requestContext.http.method,
          path: event.rawPath,
          query: Object.fromEntries(new URLSearchParams(event.rawQueryString)),
          body: event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw,
        },
        deps,
      );
    },
  };
}
