/**
 * Runs one incident end to end on this machine: the same ASL file AWS runs, executed by
 * aws-local-stepfunctions, each Task invoking the same phase through the same middleware stack as
 * its Lambda, with the incident persisted in an embedded DynamoDB (dynalite) under the data
 * directory. One job per file: the ports (run/ports.ts), the execution (run/execute.ts), its event
 * log (run/events.ts), the summary (run/summary.ts); this file opens the incident and ties them.
 */
import './polyfills.js';
import { looksLikeScenario, Scenario } from '../adapters/embedded/scenario/schema.js';
import { normalize } from '../domain/alerts/normalize.js';
import { type Clock, SimulatedClock, systemClock } from '../domain/clock.js';
import { describeIssues, ValidationError } from '../domain/errors.js';
import type { IncidentMemory } from '../domain/memory/port.js';
import type { AlertSource, NormalizedAlert } from '../domain/model.js';
import type { Actions, Analyst, Evidence, IncidentStore, Ports } from '../domain/ports.js';
import { recordFailure } from '../lambdas/record-failure/index.js';
import type { ApprovalMode } from './approval-gate.js';
import { Progress } from './progress.js';
import { beginRun, recoverDeadRuns } from './recovery.js';
import { execute } from './run/execute.js';
import { openOrJoin } from './run/open.js';
import { localPorts } from './run/ports.js';
import { type RunSummary, summarize } from './run/summary.js';

export type { RunSummary } from './run/summary.js';

export interface RunOptions {
  dataDir: string;
  approve: ApprovalMode;
  /** Where live progress goes; silent without it. */
  progress?: (line: string) => void;
  /** Configuration overrides (locally every action is enabled: they are simulated). */
  config?: Record<string, unknown>;
  /** Replaces the offline analyst (tests, or Claude when a key is set). */
  analyst?: (evidence: Evidence) => Analyst;
  /** Wraps the simulated actions: tests see exactly what reaches the adapter (values unmasked). */
  actions?: (simulated: Actions) => Actions;
  /** State name → message: that Task throws instead of running. For failure drills and tests. */
  faults?: Record<string, string>;
  ask?: (question: string) => Promise<boolean>;
  /** Run the flow for an incident that ingestion already opened (`firebreak ingest`, `serve`). */
  incidentId?: string;
  /** A store the caller holds open (`firebreak serve`); without it the run opens the data directory's. */
  store?: IncidentStore;
  /**
   * `simulated` (the default for `run` and `eval`): Wait states take a millisecond and a simulated
   * clock skips their nominal time. `real` (`serve`, beside real alerts): the flow waits for real, on
   * the system clock, so its timeline agrees with the alert source's.
   */
  clock?: 'simulated' | 'real';
  /**
   * Stops the run (`serve` shutting down): the execution is aborted and, as RecordFailure would,
   * the incident says the automation stopped and on-call is told to respond by hand.
   */
  signal?: AbortSignal;
  /** The memory over the caller's store, when it holds one open (`store`). */
  memory?: IncidentMemory;
}

/** What `firebreak run` accepts: a scenario, or one raw alert payload (then evidence is empty). */
export interface Prepared {
  scenario?: Scenario;
  alerts: NormalizedAlert[];
  startAt: Date;
}

/** Validates a parsed file before anything is written. Throws ValidationError with the reason. */
export function prepare(doc: unknown, opts: { source?: AlertSource } = {}): Prepared {
  let scenario: Scenario | undefined;
  let payload: unknown = doc;
  let source = opts.source;
  let receivedAt: string | undefined;
  if (looksLikeScenario(doc)) {
    const parsed = Scenario.safeParse(doc);
    if (!parsed.success) {
      throw new ValidationError(
        `not a valid scenario: ${describeIssues(parsed.error.issues).slice(0, 3).join('; ')}`,
      );
    }
    scenario = parsed.data;
    payload = scenario.alert.payload;
    source = scenario.alert.source;
    receivedAt = scenario.alert.receivedAt;
  }
  const alerts = normalize(payload, { source, receivedAt: receivedAt ?? new Date().toISOString() });
  const firing = alerts.find((a) => a.status === 'firing');
  if (!firing) {
    throw new ValidationError(
      alerts.length
        ? `the alert is ${alerts[0].status}, not firing: there is no incident to respond to`
        : 'the payload carries no alert',
    );
  }
  const startAt = new Date(receivedAt ?? firing.startedAt);
  return { scenario, alerts, startAt: Number.isNaN(startAt.getTime()) ? new Date() : startAt };
}

/** Runs that died in this folder before finishing: their incidents say so, and on-call is told. */
async function reportDeadRuns(dataDir: string, ports: Ports, progress?: Progress): Promise<void> {
  for (const id of await recoverDeadRuns(dataDir, { store: ports.store, notifier: ports.notifier })) {
    progress?.raw(`${id}: its earlier run stopped without finishing; on-call was told to respond by hand`);
  }
}

/** What RecordFailure records for a run stopped from outside (`serve` stopping). */
const recordStopped = (incidentId: string, ports: Ports) =>
  recordFailure(
    {
      incidentId,
      error: {
        Error: 'RunStopped',
        Cause: 'the local runner was stopped while this incident was in progress; respond by hand',
      },
    },
    ports,
  ).catch(() => undefined);

export async function runIncident(prepared: Prepared, opts: RunOptions): Promise<RunSummary> {
  const wallStart = Date.now();
  const progress = opts.progress ? new Progress(opts.progress) : undefined;
  const simulated = opts.clock !== 'real';
  const clock: Clock & { skip?: (seconds: number) => void } = simulated
    ? new SimulatedClock(prepared.startAt)
    : systemClock;
  const local = await localPorts({ ...opts, scenario: prepared.scenario, startAt: prepared.startAt, clock });
  const { ports } = local;
  let endRun: (() => void) | undefined;
  try {
    await reportDeadRuns(opts.dataDir, ports, progress);
    const { incident: opened, joined } = await openOrJoin(ports, {
      incidentId: opts.incidentId,
      alerts: prepared.alerts,
    });
    const incidentId = opened.id;
    local.scopeTo(incidentId);
    if (joined) {
      progress?.raw(`Firebreak — the alert joined ${incidentId}, still open: ${joined}`);
      return summarize(opened, {
        executionArn: opened.executionArn ?? '',
        executionStatus: 'JOINED',
        states: [],
        notifications: [],
        postmortemPath: null,
        wallStart,
      });
    }
    endRun = beginRun(opts.dataDir, incidentId);
    progress?.raw(`Firebreak — ${opened.title} → ${incidentId}`);

    const run = await execute({ ...opts, incidentId, ports, clock, simulated, progress });
    if (run.stopped) await recordStopped(incidentId, ports);
    const incident = await ports.store.get(incidentId);
    if (!incident) throw new Error(`incident ${incidentId} vanished from the store`);
    return summarize(incident, {
      executionArn: run.executionArn,
      executionStatus: run.status,
      states: run.states,
      notifications: local.sent.sent.map((m) => ({ kind: m.kind, audience: m.audience, subject: m.subject })),
      postmortemPath: run.output.postmortem?.path ?? null,
      wallStart,
    });
  } finally {
    endRun?.();
    await local.close();
  }
}
