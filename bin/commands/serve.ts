/**
 * `firebreak serve`: the AWS endpoint on 127.0.0.1 — the same ingest handler behind
 * /webhooks/pagerduty|alertmanager|grafana|sns, the approval endpoint behind /approvals/, each
 * started incident run in this process against the local store.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { Command } from 'commander';
import { makeHandler as makeApprovalHandler } from '../../lambdas/approval-api/handler.js';
import { systemClock } from '../../lambdas/core/clock.js';
import { defaultConfig } from '../../lambdas/core/config.js';
import { LocalEngine } from '../../lambdas/core/ingest/engine.js';
import { Ingestor } from '../../lambdas/core/ingest/ingest.js';
import { MemoryMetrics } from '../../lambdas/core/ingest/metrics.js';
import { MAX_BODY_BYTES, parseIngestOptions } from '../../lambdas/core/ingest/options.js';
import type { IncidentStore } from '../../lambdas/core/ports.js';
import { Redaction } from '../../lambdas/core/redaction/redactor.js';
import { redactingStore } from '../../lambdas/core/redaction/store.js';
import { DynamoIncidentStore } from '../../lambdas/core/store/dynamo-store.js';
import { json } from '../../lambdas/ingest/http.js';
import { createIngestHandler } from '../../lambdas/ingest/index.js';
import { type LocalRoute, serveRoutes } from '../../lambdas/ingest/local-http.js';
import { parseWebhookSecrets, type WebhookSecrets } from '../../lambdas/ingest/secrets.js';
import { localConfirmer } from '../../lambdas/ingest/subscriptions.js';
import { APPROVAL_MODES, type ApprovalMode } from '../../lib/local/approval-gate.js';
import { startEmbeddedDynamoDB } from '../../lib/local/embedded-dynamodb.js';
import { localOutputs } from '../../lib/local/outputs.js';
import { CliError, defaultDataDir, loadRunner } from './common.js';

export interface ServeOptions {
  port: number;
  dataDir: string;
  approve: ApprovalMode;
  /** Accept webhooks without signatures or tokens (this machine only). */
  noAuth: boolean;
  secrets: WebhookSecrets;
  say: (line: string) => void;
}

/**
 * The approval endpoint, mounted as in AWS. Partial: a local run waits for its decision through
 * `--approve` or `firebreak approve|reject` (lib/local/approval-gate.ts), not through a task token,
 * so a decision made here cannot reach it yet: the answerer says so, and the endpoint withdraws
 * the decision and tells the person to use the CLI. Links verify against FIREBREAK_APPROVAL_KEY.
 */
function approvalRoute(store: IncidentStore): LocalRoute {
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

/** Starts the receiver; resolves once it listens. `close` waits for runs in flight. */
export async function startServer(opts: ServeOptions) {
  const db = await startEmbeddedDynamoDB({ path: join(opts.dataDir, 'db') });
  // Alert text is masked as it is stored (lambdas/core/redaction/store.ts).
  const store = redactingStore(
    new DynamoIncidentStore(db.doc, db.tableName),
    new Redaction(defaultConfig().redaction),
  );
  const engine = new LocalEngine(
    async (incidentId) => {
      const incident = await store.get(incidentId);
      const startAt = new Date(incident?.detectedAt ?? Date.now());
      const { runIncident } = await loadRunner();
      const summary = await runIncident(
        { alerts: [], startAt: Number.isNaN(startAt.getTime()) ? new Date() : startAt },
        { dataDir: opts.dataDir, approve: opts.approve, store, incidentId, progress: opts.say },
      );
      opts.say(`${incidentId}: ${summary.status} (execution ${summary.executionStatus.toLowerCase()})`);
    },
    { wait: false, onError: (id, err) => opts.say(`${id}: the run failed: ${(err as Error).message}`) },
  );
  const options = parseIngestOptions({});
  const metrics = new MemoryMetrics();
  const ingest = createIngestHandler({
    ingestor: new Ingestor({
      store,
      clock: systemClock,
      engine,
      options,
      // A recovery after hand-off sends the all-clear and rewrites the postmortem here.
      ...localOutputs(opts.dataDir, opts.say),
    }),
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
    { prefix: '/webhooks/', handler: async (event) => ingest(event) },
    approvalRoute(store),
    { prefix: '/healthz', handler: async () => json(200, { ok: true, counts: metrics.counts }) },
  ];
  const { server, url } = await serveRoutes(routes, {
    port: opts.port,
    maxBodyBytes: MAX_BODY_BYTES,
    onError: (err) => opts.say(`error: ${(err as Error).message}`),
  });
  return {
    url,
    metrics,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await engine.idle();
      await db.close();
    },
  };
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description(
      'receive webhooks on 127.0.0.1 with the routes of the AWS endpoint, running incidents locally',
    )
    .option('--port <n>', 'port to listen on (0: any free port)', '8787')
    .option('--data-dir <dir>', 'where the local store, outbox and postmortems live', defaultDataDir())
    .option('--approve <mode>', `approval answer for started runs: ${APPROVAL_MODES.join('|')}`, 'auto')
    .option('--no-auth', 'accept webhooks without signatures or tokens (only ever on this machine)')
    .action(async (opts: { port: string; dataDir: string; approve: string; auth: boolean }) => {
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError('--port must be 0..65535');
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
      });
      const configured = Object.keys(secrets).join(', ') || 'none';
      say(`firebreak serve: ${running.url}  (data ${opts.dataDir})`);
      say(
        `  POST ${running.url}/webhooks/{pagerduty,alertmanager,grafana,sns}   GET|POST ${running.url}/approvals/<id>`,
      );
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
      say('stopping: waiting for runs in flight');
      await running.close();
    });
}
