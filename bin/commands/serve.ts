/**
 * `firebreak serve`: the AWS endpoint on 127.0.0.1 — the same ingest handler behind
 * /webhooks/pagerduty|alertmanager|grafana|sns, the approval endpoint behind /approvals/, each
 * started incident run in this process against the local store. A delivery is answered once it is
 * stored (local/serve/inbox.ts); runs go on behind the request path (local/serve/runs.ts).
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { Command } from 'commander';
import { DynamoMemory } from '../../adapters/aws/memory.js';
import { localConfirmer } from '../../adapters/aws/sns-subscriptions.js';
import { DynamoIncidentStore } from '../../adapters/aws/store/dynamo-store.js';
import { openDataStore } from '../../adapters/embedded/dynamodb.js';
import { ConsoleNotifier, FanoutNotifier, OutboxNotifier } from '../../adapters/embedded/notifiers.js';
import { systemClock } from '../../domain/clock.js';
import { defaultConfig } from '../../domain/config.js';
import { LocalEngine } from '../../domain/ingest/engine.js';
import { MemoryMetrics } from '../../domain/ingest/metrics.js';
import { MAX_BODY_BYTES, parseIngestOptions } from '../../domain/ingest/options.js';
import type { IncidentStore } from '../../domain/ports.js';
import { Redaction } from '../../domain/redaction/redactor.js';
import { redactingStore } from '../../domain/redaction/store.js';
import { makeHandler as makeApprovalHandler } from '../../lambdas/approval-api/handler.js';
import { json } from '../../lambdas/ingest/http.js';
import { createIngestHandler } from '../../lambdas/ingest/index.js';
import { APPROVAL_MODES, type ApprovalMode } from '../../local/approval-gate.js';
import { CONSOLE_BASE, consoleRoute } from '../../local/console/route.js';
import { localOutputs } from '../../local/outputs.js';
import { recoverDeadRuns } from '../../local/recovery.js';
import { type LocalRoute, serveRoutes } from '../../local/serve/http.js';
import { InboxIngestor } from '../../local/serve/inbox.js';
import { primeRequestPath } from '../../local/serve/prime.js';
import { WorkQueue } from '../../local/serve/queue.js';
import { parseWebhookSecrets, type WebhookSecrets } from '../../runtime/webhook-secrets.js';
import { CliError, loadRunner } from './common.js';
import { dataDirOption } from './data-dir.js';
import { choice } from './options.js';

export interface ServeOptions {
  port: number;
  dataDir: string;
  approve: ApprovalMode;
  /** Accept webhooks without signatures or tokens (this machine only). */
  noAuth: boolean;
  secrets: WebhookSecrets;
  say: (line: string) => void;
  /**
   * Compress the flow's waits as `run` does (demos). Off by default: beside real alert sources the
   * flow runs on the real clock, so its recovery checks and escalations happen when they say.
   */
  fastClock?: boolean;
  /** Answer with the outcome if ingestion takes less than this, else 202 "queued" (default 100 ms). */
  ackWithinMs?: number;
}

/**
 * The approval endpoint, mounted as in AWS. Partial: a local run waits for its decision through
 * `--approve` or `firebreak approve|reject` (local/approval-gate.ts), not through a task token,
 * so a decision made here cannot reach it yet: the answerer says so, and the endpoint withdraws
 * the decision and tells the person to use the CLI. Links verify against FIREBREAK_APPROVAL_KEY.
 */
export function approvalRoute(store: IncidentStore): LocalRoute {
  const configured = process.env.FIREBREAK_APPROVAL_KEY;
  const key = configured && configured.length >= 32 ? Buffer.from(configured, 'utf8') : randomBytes(32);
  const notWaiting = async () => {
    throw new Error('local runs take approval decisions from `firebreak approve|reject`, not from links');
  };
  const handler = makeApprovalHandler(() => ({
    store,
    clock: systemClock,
    keys: { key: async () => key },
    answerer: { approve: notWaiting, reject: notWaiting },
  }));
  return { prefix: '/approvals/', handler: (event) => handler(event as APIGatewayProxyEventV2) };
}

/** Runs at once: the phases share this process's event loop and store with the request path. */
const RUN_CONCURRENCY = 2;
/** How long ingestion in flight may finish when `serve` stops before it is left to the inbox. */
const SETTLE_MS = 5_000;
/** The sender gets the outcome if ingestion takes less than this, else 202 "queued". */
export const ACK_WITHIN_MS = 100;

/** Starts the receiver; resolves once it listens. `close` stops it (see there). */
export async function startServer(opts: ServeOptions) {
  const db = await openDataStore(opts.dataDir);
  // Alert text is masked as it is stored (domain/redaction/store.ts).
  const store = redactingStore(
    new DynamoIncidentStore(db.doc, db.tableName),
    new Redaction(defaultConfig().redaction),
  );
  // Runs in this folder that died before finishing (a killed serve or run): say so and tell on-call.
  const told = await recoverDeadRuns(opts.dataDir, {
    store,
    notifier: new FanoutNotifier([
      new OutboxNotifier(join(opts.dataDir, 'outbox.jsonl')),
      new ConsoleNotifier(opts.say),
    ]),
  });
  for (const id of told)
    opts.say(`${id}: its run stopped without finishing; on-call was told to respond by hand`);
  // Loaded now, not by the first delivery: importing the runner takes a second or more, which
  // would otherwise sit in the request path of whichever alert opens the first incident.
  const { runIncident } = await loadRunner();
  primeRequestPath();
  let inRequests = 0;
  const runs: WorkQueue = new WorkQueue({
    concurrency: RUN_CONCURRENCY,
    busy: (): boolean => inRequests > 0 || ingestor.busy > 0,
    holdMs: 2_000,
  });
  const runIn = async (incidentId: string, signal: AbortSignal) => {
    const incident = await store.get(incidentId);
    const startAt = new Date(incident?.detectedAt ?? Date.now());
    const summary = await runIncident(
      { alerts: [], startAt: Number.isNaN(startAt.getTime()) ? new Date() : startAt },
      {
        dataDir: opts.dataDir,
        approve: opts.approve,
        store,
        memory: new DynamoMemory(db.doc, db.tableName),
        incidentId,
        progress: opts.say,
        clock: opts.fastClock ? 'simulated' : 'real',
        signal,
      },
    );
    opts.say(`${incidentId}: ${summary.status} (execution ${summary.executionStatus.toLowerCase()})`);
  };
  const engine: LocalEngine = new LocalEngine((id): Promise<void> => runs.submit((s) => runIn(id, s)), {
    wait: false,
    onError: (id, err) => opts.say(`${id}: the run failed: ${(err as Error).message}`),
  });
  const options = parseIngestOptions({});
  const metrics = new MemoryMetrics();
  const ingestor: InboxIngestor = new InboxIngestor(
    {
      store,
      clock: systemClock,
      engine,
      options,
      // A recovery after hand-off sends the all-clear and rewrites the postmortem here.
      ...localOutputs(opts.dataDir, opts.say),
    },
    {
      dataDir: opts.dataDir,
      ackWithinMs: opts.ackWithinMs ?? ACK_WITHIN_MS,
      crowded: () => inRequests > 1,
      decided: (result, delivery) => metrics.decided(result.decision, delivery.source),
      say: opts.say,
    },
  );
  const left = await ingestor.recover();
  if (left) opts.say(`inbox: ingesting ${left} deliveries an earlier serve acknowledged but did not finish`);
  const ingest = createIngestHandler({
    ingestor,
    store,
    clock: systemClock,
    options,
    secrets: async () => opts.secrets,
    metrics,
    confirmSubscription: localConfirmer(opts.say),
    log: (level, message, data) => opts.say(`${level}: ${message} ${data ? JSON.stringify(data) : ''}`),
    insecure: opts.noAuth,
  });
  /** The same routes as the AWS endpoint, plus a health check that shows the ingest counters. */
  const routes: LocalRoute[] = [
    {
      prefix: '/webhooks/',
      handler: async (event) => {
        inRequests++;
        try {
          return asAccepted(await ingest(event));
        } finally {
          inRequests--;
          // After this turn of the event loop, not in it: the storm's other answers resumed in the
          // same turn are written first. Pumped at once, ingestion began between them and delayed
          // the last answers of a storm ≈35 ms (traced).
          setImmediate(() => {
            ingestor.pump();
            runs.pump();
          });
        }
      },
    },
    approvalRoute(store),
    consoleRoute({ store, dataDir: opts.dataDir, memory: new DynamoMemory(db.doc, db.tableName) }),
    {
      prefix: '/healthz',
      handler: async () =>
        json(200, {
          ok: true,
          counts: metrics.counts,
          runs: { running: runs.running, queued: runs.queued },
          ingesting: ingestor.busy,
          inbox: ingestor.written,
        }),
    },
  ];
  const { server, url } = await serveRoutes(routes, {
    port: opts.port,
    maxBodyBytes: MAX_BODY_BYTES,
    onError: (err) => opts.say(`error: ${(err as Error).message}`),
  });
  return {
    url,
    metrics,
    /**
     * Stops taking deliveries; lets ingestion in flight finish (what does not, the next `serve`
     * takes from the inbox); then ends the runs in flight and queued — each incident says its
     * automation stopped and on-call is told. `drain` lets the runs finish instead (tests, demos).
     */
    close: async (how: { drain?: boolean } = {}) => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await closed;
      const unfinished = await ingestor.settle(SETTLE_MS);
      if (unfinished) opts.say(`inbox: ${unfinished} deliveries left for the next serve`);
      if (!how.drain) runs.stop();
      await engine.idle();
      await db.close();
    },
  };
}

/** A queued delivery is answered 202: taken, its outcome not known yet. */
function asAccepted(answer: unknown): unknown {
  const a = answer as { statusCode?: number; body?: string };
  if (a?.statusCode !== 200 || !a.body?.includes('"queued"')) return answer;
  return (JSON.parse(a.body) as { decision?: string }).decision === 'queued'
    ? { ...a, statusCode: 202 }
    : answer;
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description(
      'receive webhooks on 127.0.0.1 with the routes of the AWS endpoint, running incidents locally',
    )
    .option('--port <n>', 'port to listen on (0: any free port)', '8787')
    .addOption(dataDirOption('where the local store, outbox and postmortems live'))
    .addOption(choice('--approve <mode>', 'approval answer for started runs', APPROVAL_MODES).default('auto'))
    .option('--no-auth', 'accept webhooks without signatures or tokens (only ever on this machine)')
    .option('--fast-clock', "compress the flow's waits as `run` does (demos); the default is the real clock")
    .action(
      async (opts: {
        port: string;
        dataDir: string;
        approve: string;
        auth: boolean;
        fastClock?: boolean;
      }) => {
        const port = Number(opts.port);
        if (!Number.isInteger(port) || port < 0 || port > 65535)
          throw new CliError('--port must be 0..65535');
        if (!APPROVAL_MODES.includes(opts.approve as ApprovalMode)) {
          throw new CliError(`--approve must be one of ${APPROVAL_MODES.join(', ')}`);
        }
        let secrets: WebhookSecrets;
        try {
          secrets = parseWebhookSecrets(process.env.FIREBREAK_WEBHOOK_SECRETS);
        } catch (err) {
          throw new CliError(`FIREBREAK_WEBHOOK_SECRETS: ${(err as Error).message}`);
        }
        const say = (line: string) => process.stderr.write(`${line}\n`);
        const running = await startServer({
          port,
          dataDir: opts.dataDir,
          approve: opts.approve as ApprovalMode,
          noAuth: !opts.auth,
          secrets,
          say,
          fastClock: !!opts.fastClock,
        });
        const configured = Object.keys(secrets).join(', ') || 'none';
        say(`firebreak serve: ${running.url}  (data ${opts.dataDir})`);
        say(
          `  POST ${running.url}/webhooks/{pagerduty,alertmanager,grafana,sns}   GET|POST ${running.url}/approvals/<id>`,
        );
        say(`  console: ${running.url}${CONSOLE_BASE}/`);
        say(
          opts.auth
            ? `  webhook secrets configured: ${configured} (FIREBREAK_WEBHOOK_SECRETS); others are refused 401`
            : '  --no-auth: webhooks are accepted without signatures or tokens',
        );
        await new Promise<void>((resolve) => {
          const stop = () => resolve();
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
        say('stopping: runs in flight record that their automation stopped, and on-call is told');
        await running.close();
      },
    );
}
