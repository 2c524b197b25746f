/**
 * Runs one incident end to end on this machine: the same ASL file AWS runs, executed by
 * aws-local-stepfunctions, each Task mapped to the same phase function its Lambda calls, with the
 * incident persisted in an embedded DynamoDB (dynalite) under the data directory.
 */
import './polyfills.js';
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { StateMachine } from 'aws-local-stepfunctions';
import { DynamoMemory } from '../adapters/aws/memory.js';
import { DynamoIncidentStore } from '../adapters/aws/store/dynamo-store.js';
import { openDataStore } from '../adapters/embedded/dynamodb.js';
import {
  ConsoleNotifier,
  FanoutNotifier,
  MemoryNotifier,
  OutboxNotifier,
} from '../adapters/embedded/notifiers.js';
import { ScenarioEnvironment } from '../adapters/embedded/scenario/environment.js';
import { looksLikeScenario, Scenario } from '../adapters/embedded/scenario/schema.js';
import { proposeOnlyActions } from '../domain/actions/propose-only.js';
import { normalize } from '../domain/alerts/normalize.js';
import { OfflineAnalyst } from '../domain/analyst/offline/index.js';
import { type Clock, SimulatedClock, systemClock } from '../domain/clock.js';
import { type FirebreakConfig, parseConfig } from '../domain/config.js';
import { describeIssues, ValidationError } from '../domain/errors.js';
import { noEvidence } from '../domain/evidence/unavailable.js';
import { loadIncident, openIncident } from '../domain/incidents/open.js';
import type { IncidentMemory } from '../domain/memory/port.js';
import { ACTION_KINDS, type AlertSource, type NormalizedAlert } from '../domain/model.js';
import { describeAction } from '../domain/notify/messages.js';
import type { Actions, Analyst, Evidence, IncidentStore, Notifier, Ports } from '../domain/ports.js';
import { durations } from '../domain/postmortem/template.js';
import { RevealingActions } from '../domain/redaction/actions.js';
import { RedactingEvidence } from '../domain/redaction/evidence.js';
import { Redaction } from '../domain/redaction/redactor.js';
import { redactingStore } from '../domain/redaction/store.js';
import { PHASES, type PhaseKey } from '../lambdas/phases.js';
import { recordFailure } from '../lambdas/record-failure/index.js';
import {
  type AslState,
  readDefinitionText,
  substitute,
  taskMap,
  walkStates,
} from '../statemachines/definition.js';
import { type ApprovalMode, awaitDecision } from './approval-gate.js';
import { Progress } from './progress.js';
import { beginRun, recoverDeadRuns } from './recovery.js';

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

export interface RunSummary {
  incidentId: string;
  executionArn: string;
  executionStatus: 'SUCCEEDED' | 'FAILED';
  status: string;
  severity: string | null;
  title: string;
  service: string | null;
  category: string;
  culprit: string;
  rootCause: string;
  confidence: number;
  mitigation: { action: string | null; kind: string | null; target: string | null; status: string };
  escalationTier: number;
  states: string[];
  notifications: Array<{ kind: string; audience: string; subject: string }>;
  postmortemPath: string | null;
  minutes: { toDeclare: number | null; toMitigate: number | null; toResolve: number | null };
  wallSeconds: number;
}

/** What `firebreak run` accepts: a scenario, or one raw alert payload (then evidence is empty). */
export interface Prepared {
  scenario?: Scenario;
  alerts: NormalizedAlert[];
  startAt: Date;
}

/** Validates a parsed file before anything is written. Throws ValidationError with the reason. */
/** Outcomes of RequestApproval that the flow catches and handles: printed as decisions. */
const APPROVAL_OUTCOMES: Record<string, string> = {
  'RequestApproval:ApprovalRejected': 'Approval rejected: nothing runs; escalating to the next tier',
  'RequestApproval:States.Timeout': 'Approval expired without a decision: nothing runs; escalating',
};

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

/** The slice of the engine's event log this runner reads (the package does not export its type). */
interface EngineEvent {
  type: string;
  index?: number;
  state: { name: string; type: string; input: unknown };
  Error?: string;
  Cause?: unknown;
}

const LOCAL_ARN = (key: string) =>
  `arn:aws:lambda:us-east-1:000000000000:function:firebreak-${key.replace(/FunctionArn$/, '')}`;
const STATE_MACHINE_ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:firebreak-incident-response';

const pathValue = (path: string, input: unknown): unknown =>
  path
    .replace(/^\$\.?/, '')
    .split('.')
    .filter(Boolean)
    .reduce<unknown>(
      (v, key) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined),
      input,
    );

/** The nominal length of a Wait state for this input: what the simulated clock skips. */
function waitSeconds(state: AslState, input: unknown): number {
  if (typeof state.Seconds === 'number') return state.Seconds;
  if (typeof state.SecondsPath === 'string') return Number(pathValue(state.SecondsPath, input)) || 0;
  return 0;
}

export async function runIncident(prepared: Prepared, opts: RunOptions): Promise<RunSummary> {
  const wallStart = Date.now();
  const progress = opts.progress ? new Progress(opts.progress) : undefined;
  const simulated = opts.clock !== 'real';
  const clock: Clock & { skip?: (seconds: number) => void } = simulated
    ? new SimulatedClock(prepared.startAt)
    : systemClock;
  const config: FirebreakConfig = parseConfig({ enabledActions: [...ACTION_KINDS], ...opts.config });
  const db = opts.store ? undefined : await openDataStore(opts.dataDir);
  let endRun: (() => void) | undefined;
  try {
    // Secrets and personal data are masked as evidence and alerts come in (domain/redaction/),
    // salted by this run's incident once it has an id.
    const redaction = new Redaction(config.redaction);
    let scope = '';
    const store = redactingStore(
      db ? new DynamoIncidentStore(db.doc, db.tableName) : (opts.store as IncidentStore),
      redaction,
    );
    const environment = prepared.scenario
      ? new ScenarioEnvironment(prepared.scenario, clock, prepared.startAt.toISOString())
      : undefined;
    const evidence: Evidence = new RedactingEvidence(environment ?? noEvidence, () =>
      redaction.forIncident(scope),
    );
    const memory = new MemoryNotifier();
    const notifiers: Notifier[] = [memory, new OutboxNotifier(join(opts.dataDir, 'outbox.jsonl'))];
    if (opts.progress) notifiers.push(new ConsoleNotifier(opts.progress));
    const ports: Ports = {
      store,
      notifier: new FanoutNotifier(notifiers),
      evidence,
      analyst: opts.analyst?.(evidence) ?? new OfflineAnalyst(evidence),
      actions: new RevealingActions(
        opts.actions?.(environment ?? proposeOnlyActions) ?? environment ?? proposeOnlyActions,
        environment ?? noEvidence,
        redaction,
        clock,
      ),
      artifacts: {
        writePostmortem: async (id, markdown) => {
          const dir = join(opts.dataDir, 'postmortems');
          await mkdir(dir, { recursive: true });
          const file = join(dir, `${id}.md`);
          await writeFile(file, markdown);
          return file;
        },
      },
      clock,
      config,
      memory: db ? new DynamoMemory(db.doc, db.tableName) : opts.memory,
    };

    // Runs in this folder that died before finishing: their incidents say so, and on-call is told.
    for (const id of await recoverDeadRuns(opts.dataDir, { store, notifier: ports.notifier })) {
      progress?.raw(`${id}: its earlier run stopped without finishing; on-call was told to respond by hand`);
    }

    const opened = opts.incidentId
      ? await loadIncident(store, opts.incidentId)
      : await openIncident(ports, prepared.alerts, { catalog: await evidence.services() });
    const incidentId = opened.id;
    scope = incidentId;
    endRun = beginRun(opts.dataDir, incidentId);
    const executionArn = `${STATE_MACHINE_ARN.replace(':stateMachine:', ':execution:')}:${incidentId}`;
    progress?.raw(`Firebreak — ${opened.title} → ${incidentId}`);

    const text = readDefinitionText();
    const tasks = taskMap(text);
    const definition = substitute(
      text,
      Object.fromEntries([...new Set([...tasks.values()].map((t) => t.key))].map((k) => [k, LOCAL_ARN(k)])),
    );
    const handlers: Record<string, (input: unknown) => Promise<never>> = {};
    for (const [stateName, task] of tasks) {
      const phase = PHASES[task.key as PhaseKey];
      if (!phase) throw new Error(`no phase implements \${${task.key}} (state ${stateName})`);
      handlers[stateName] = async (input: unknown) => {
        const fault = opts.faults?.[stateName];
        if (fault) throw Object.assign(new Error(fault), { name: 'InjectedFault' });
        // Same validation as the Lambda's middleware: a bad payload is a ValidationError here too.
        const parsed = phase.input.safeParse(
          task.waitForTaskToken ? ((input as { Payload?: unknown }).Payload ?? input) : input,
        );
        if (!parsed.success) {
          throw new ValidationError(
            `invalid input to ${stateName}: ${describeIssues(parsed.error.issues).join('; ')}`,
          );
        }
        const result = await phase.run(parsed.data, ports);
        if (task.waitForTaskToken) {
          const action = (parsed.data as { action: Parameters<typeof describeAction>[0] }).action;
          return (await awaitDecision(ports, incidentId, action, opts.approve, opts.ask, {
            dataDir: opts.dataDir,
          })) as never;
        }
        return JSON.parse(JSON.stringify(result ?? {})) as never;
      };
    }
    const waitStates = new Map<string, AslState>();
    const retryStates: string[] = [];
    walkStates(definition.States, (name, state) => {
      if (state.Type === 'Wait') waitStates.set(name, state);
      if (Array.isArray(state.Retry) && state.Retry.length) retryStates.push(name);
    });

    const machine = new StateMachine(definition as never, {
      validationOptions: { checkPaths: true, checkArn: true },
    });
    const execution = machine.run(
      { incidentId },
      {
        overrides: {
          taskResourceLocalHandlers: handlers,
          waitTimeOverrides: simulated ? Object.fromEntries([...waitStates.keys()].map((n) => [n, 1])) : {},
          retryIntervalOverrides: Object.fromEntries(retryStates.map((n) => [n, 20])),
        },
        context: {
          Execution: {
            Id: executionArn,
            Name: incidentId,
            StartTime: clock.now().toISOString(),
            Input: { incidentId },
            RoleArn: 'arn:aws:iam::000000000000:role/firebreak-local',
          },
          StateMachine: { Id: STATE_MACHINE_ARN, Name: 'firebreak-incident-response' },
          Task: { Token: randomBytes(32).toString('base64url') },
        },
      },
    );

    const states: string[] = [];
    const entered = new Map<string, number>();
    let writes = Promise.resolve();
    const note = (type: string, text: string, data?: unknown) => {
      const at = clock.now().toISOString();
      writes = writes
        .then(() => store.appendEvent(incidentId, { at, type, actor: 'engine', text, data }))
        .catch(() => undefined);
    };
    const consume = (async () => {
      for await (const event of execution.eventLogs as AsyncGenerator<EngineEvent>) {
        if (event.type === 'StateEntered') {
          const { name, type, input } = event.state;
          // Skip the Wait's nominal time on the clock synchronously, before the engine moves on.
          const wait = waitStates.get(name);
          if (wait) clock.skip?.(waitSeconds(wait, input));
          states.push(name);
          entered.set(`${name}#${event.index ?? ''}`, Date.now());
          const detail =
            name === 'RunSpecialist' ? ` (${String((input as { specialist?: string }).specialist)})` : '';
          note('state', `entered ${name}${detail}`, { stateType: type });
          if (type === 'Task' || type === 'Parallel' || type === 'Map')
            progress?.line('▶', `${name}${detail}`, clock.now());
          if (wait)
            progress?.line(
              '⏸',
              `${name}: ${waitSeconds(wait, input) / 60} min${simulated ? ' (simulated)' : ''}`,
              clock.now(),
            );
        } else if (event.type === 'StateExited') {
          const started = entered.get(`${event.state.name}#${event.index ?? ''}`) ?? Date.now();
          note('state', `left ${event.state.name}`, { ms: Date.now() - started });
        } else if (event.type === 'StateFailed') {
          const { name } = event.state;
          note('state-failed', `${name} failed: ${event.Error ?? 'Error'}`, {
            cause: String(event.Cause ?? ''),
          });
          // A rejection or an expired request is a decision the flow handles, not a fault.
          const decided = APPROVAL_OUTCOMES[`${name}:${event.Error ?? ''}`];
          if (decided) progress?.line('⊘', decided, clock.now());
          else progress?.line('✗', `${name} failed: ${event.Error ?? 'Error'}`, clock.now());
        } else if (event.type === 'StateRetried') {
          progress?.line('↻', `${event.state.name} retried`, clock.now());
        }
      }
    })();

    let executionStatus: RunSummary['executionStatus'] = 'SUCCEEDED';
    let output: { postmortem?: { path?: string | null } } = {};
    const stop = () => execution.abort();
    opts.signal?.addEventListener('abort', stop, { once: true });
    // `serve` stopping before this run's turn came: it stops at once and records so.
    if (opts.signal?.aborted) stop();
    try {
      output = ((await execution.result) ?? {}) as typeof output;
    } catch {
      executionStatus = 'FAILED';
    } finally {
      opts.signal?.removeEventListener('abort', stop);
    }
    if (opts.signal?.aborted) {
      await recordFailure(
        {
          incidentId,
          error: {
            Error: 'RunStopped',
            Cause: 'the local runner was stopped while this incident was in progress; respond by hand',
          },
        },
        ports,
      ).catch(() => undefined);
    }
    // An aborted execution may never close its event log: do not wait on it for long.
    await (opts.signal?.aborted
      ? Promise.race([consume, new Promise((r) => setTimeout(r, 2_000))])
      : consume);
    await writes;
    note('execution', `execution ${executionStatus.toLowerCase()}`);
    await writes;

    const incident = await store.get(incidentId);
    if (!incident) throw new Error(`incident ${incidentId} vanished from the store`);
    const postmortemPath = output.postmortem?.path ?? null;
    const d = durations(incident);
    const action = incident.mitigation?.action;
    const rc = incident.rootCause;
    return {
      incidentId,
      executionArn,
      executionStatus,
      status: incident.status,
      severity: incident.severity ?? null,
      title: incident.title,
      service: incident.service ?? null,
      category: rc?.category ?? 'unknown',
      culprit: rc?.culprit ?? '',
      rootCause: rc?.summary ?? 'not established',
      confidence: rc?.confidence ?? 0,
      mitigation: {
        action: action ? describeAction(action) : null,
        kind: action?.kind ?? null,
        target: action?.target ?? null,
        status: incident.mitigation?.status ?? 'none',
      },
      escalationTier: incident.escalationTier,
      states,
      notifications: memory.sent.map((m) => ({ kind: m.kind, audience: m.audience, subject: m.subject })),
      postmortemPath,
      minutes: {
        toDeclare: d.toDeclare ?? null,
        toMitigate: d.toMitigate ?? null,
        toResolve: d.toResolve ?? null,
      },
      wallSeconds: Math.round((Date.now() - wallStart) / 10) / 100,
    };
  } finally {
    endRun?.();
    await db?.close();
  }
}
