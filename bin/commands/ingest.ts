/**
 * `firebreak ingest <file>`: one delivery through the same decision the AWS endpoint takes, against
 * the local store. `--dry-run` only reads; a `start` runs the pipeline as `firebreak run` does.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { DynamoIncidentStore } from '../../adapters/aws/store/dynamo-store.js';
import { openDataStore } from '../../adapters/embedded/dynamodb.js';
import { looksLikeScenario, Scenario } from '../../adapters/embedded/scenario/schema.js';
import type { NormalizedDelivery } from '../../domain/alerts/delivery.js';
import { systemClock } from '../../domain/clock.js';
import { defaultConfig } from '../../domain/config.js';
import { describeIssues, ValidationError } from '../../domain/errors.js';
import { resolveService } from '../../domain/incidents/create.js';
import { LocalEngine } from '../../domain/ingest/engine.js';
import { Ingestor } from '../../domain/ingest/ingest.js';
import { parseIngestOptions } from '../../domain/ingest/options.js';
import { alertSummary, type IngestResult } from '../../domain/ingest/outcome.js';
import { planIngest } from '../../domain/ingest/plan.js';
import { ALERT_SOURCES, type AlertSource } from '../../domain/model.js';
import type { IncidentStore } from '../../domain/ports.js';
import { Redaction } from '../../domain/redaction/redactor.js';
import { redactingStore } from '../../domain/redaction/store.js';
import { answer } from '../../lambdas/ingest/index.js';
import { checkSize, parseJson, toDelivery } from '../../lambdas/ingest/read-body.js';
import { DeliveryRejected } from '../../lambdas/ingest/rejection.js';
import { APPROVAL_MODES, type ApprovalMode } from '../../local/approval-gate.js';
import { localOutputs } from '../../local/outputs.js';
import type { RunSummary } from '../../local/runner.js';
import { EXIT, loadRunner } from './common.js';
import { dataDirOption } from './data-dir.js';
import { choice } from './options.js';
import { printSummary } from './run.js';
import { progressLine } from './style.js';

const SOURCES = ['auto', ...ALERT_SOURCES.filter((s) => s !== 'manual')] as const;

export interface IngestCliOptions {
  source: string;
  dryRun?: boolean;
  json?: boolean;
  dataDir: string;
  approve?: string;
}

interface Read {
  delivery: NormalizedDelivery;
  /** A scenario file brings its catalog and telemetry to the run. */
  scenario?: Scenario;
}

/** A file as a delivery: the same size, JSON and shape checks as the endpoints, or a refusal. */
async function readDeliveryFile(path: string, source: AlertSource | undefined): Promise<Read> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ValidationError(
      code === 'ENOENT' ? `no such file: ${path}` : `cannot read ${path}: ${code ?? err}`,
    );
  }
  const receivedAt = systemClock.now().toISOString();
  if (text.length > 5 * 1024 * 1024)
    throw new DeliveryRejected('body-too-large', `${path} is larger than 5 MB`);
  const doc = parseJson(text);
  if (!looksLikeScenario(doc)) {
    checkSize(text);
    return { delivery: toDelivery(doc, source, receivedAt) };
  }
  const parsed = Scenario.safeParse(doc);
  if (!parsed.success) {
    throw new ValidationError(
      `not a valid scenario: ${describeIssues(parsed.error.issues).slice(0, 3).join('; ')}`,
    );
  }
  const scenario = parsed.data;
  checkSize(JSON.stringify(scenario.alert.payload));
  return {
    scenario,
    delivery: toDelivery(
      scenario.alert.payload,
      source ?? scenario.alert.source,
      scenario.alert.receivedAt ?? receivedAt,
    ),
  };
}

/** Where the command writes: stdout for results, stderr for progress and one-line refusals. */
export interface CommandIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

const processIo: CommandIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${progressLine(line)}\n`),
};

function printHuman(result: IngestResult, out: (line: string) => void): void {
  out(`${result.decision} — ${result.reason}`);
  for (const o of result.outcomes) {
    const a = o.alert;
    const facts = [a.service, a.severityHint].filter(Boolean).join(', ');
    out(
      `  ${o.decision.padEnd(7)} ${a.source}  ${a.status.padEnd(8)} ${a.title}${facts ? `  [${facts}]` : ''}  ${a.startedAt}`,
    );
  }
  for (const note of result.notes) out(`  note: ${note}`);
}

/** The whole command; resolves with its exit code (0 done, 1 the run failed, 2 refused). */
export async function ingestCommand(
  file: string,
  opts: IngestCliOptions,
  io: CommandIo = processIo,
): Promise<number> {
  let read: Read;
  try {
    if (!(SOURCES as readonly string[]).includes(opts.source)) {
      throw new ValidationError(`--source must be one of ${SOURCES.join(', ')}`);
    }
    const approve = opts.approve;
    if (approve !== undefined && !APPROVAL_MODES.includes(approve as ApprovalMode)) {
      throw new ValidationError(`--approve must be one of ${APPROVAL_MODES.join(', ')}`);
    }
    const source = opts.source === 'auto' ? undefined : (opts.source as AlertSource);
    read = await readDeliveryFile(file, source);
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    if (opts.json) io.out(JSON.stringify({ decision: 'reject', reason: err.message }));
    else io.err(`firebreak: ${err.message}`);
    return EXIT.refused;
  }
  return opts.dryRun ? dryRun(read, opts, io) : ingestForReal(read, opts, io);
}

export function registerIngest(program: Command): void {
  program
    .command('ingest')
    .description('ingest one alert delivery into the local store: start, join, resolve, record or ignore')
    .argument('<file>', 'an alert payload as its source delivered it (or a scenario)')
    .addOption(choice('--source <source>', 'the alert source (auto: detect)', SOURCES).default('auto'))
    .option('--dry-run', 'decide from reads alone; write nothing')
    .option('--json', 'print the decision as JSON')
    .addOption(dataDirOption('where the local store, outbox and postmortems live'))
    .addOption(choice('--approve <mode>', 'approval answer for a started run', APPROVAL_MODES))
    .action(async (file: string, opts: IngestCliOptions) => {
      process.exitCode = await ingestCommand(file, opts);
    });
}

async function dryRun({ delivery, scenario }: Read, opts: IngestCliOptions, io: CommandIo): Promise<number> {
  const options = parseIngestOptions({});
  const plan = (store?: IncidentStore) =>
    planIngest({ store, now: systemClock.now(), options, catalog: scenario?.environment.services }, delivery);
  // No store yet means nothing is open: do not create one just to find that out.
  const dbPath = join(opts.dataDir, 'db');
  let result: IngestResult;
  if (existsSync(dbPath)) {
    const db = await openDataStore(opts.dataDir, { create: false });
    try {
      result = await plan(new DynamoIncidentStore(db.doc, db.tableName));
    } finally {
      await db.close();
    }
  } else {
    result = await plan();
  }
  if (opts.json) {
    io.out(
      JSON.stringify({
        decision: result.decision,
        // The service as the decision saw it: the alert's own, else the catalog's owner of the alarm.
        alerts: delivery.alerts.map((a) =>
          alertSummary({ ...a, service: resolveService(a, scenario?.environment.services ?? []) }),
        ),
        reason: result.reason,
      }),
    );
  } else printHuman(result, io.out);
  return EXIT.ok;
}

async function ingestForReal(
  { delivery, scenario }: Read,
  opts: IngestCliOptions,
  io: CommandIo,
): Promise<number> {
  const approve = (opts.approve ?? (process.stdin.isTTY && !opts.json ? 'prompt' : 'auto')) as ApprovalMode;
  const db = await openDataStore(opts.dataDir);
  try {
    // Alert text is masked as it is stored (domain/redaction/store.ts).
    const store = redactingStore(
      new DynamoIncidentStore(db.doc, db.tableName),
      new Redaction(defaultConfig().redaction),
    );
    const firing = delivery.alerts.find((a) => a.status === 'firing');
    const startAt = new Date(firing?.startedAt ?? Date.now());
    let summary: RunSummary | undefined;
    const engine = new LocalEngine(async (incidentId) => {
      const { runIncident } = await loadRunner();
      summary = await runIncident(
        {
          scenario,
          alerts: delivery.alerts,
          startAt: Number.isNaN(startAt.getTime()) ? new Date() : startAt,
        },
        { dataDir: opts.dataDir, approve, store, incidentId, progress: opts.json ? undefined : io.err },
      );
    });
    const ingestor = new Ingestor({
      store,
      clock: systemClock,
      engine,
      options: parseIngestOptions({}),
      catalog: scenario?.environment.services,
      // A recovery after hand-off sends the all-clear and rewrites the postmortem here.
      ...localOutputs(opts.dataDir, opts.json ? undefined : io.err),
    });
    const result = await ingestor.ingest(delivery);
    if (opts.json) io.out(JSON.stringify({ ...answer(result), run: summary ?? null }, null, 2));
    else {
      printHuman(result, io.out);
      if (summary) printSummary(summary, io.out);
    }
    return summary?.executionStatus === 'FAILED' ? EXIT.failed : EXIT.ok;
  } finally {
    await db.close();
  }
}
