/**
 * Runs the flow for one incident on aws-local-stepfunctions: the same ASL file AWS runs, each Task
 * state invoking its phase through the same middleware stack as its Lambda (runtime/phase-stack.ts:
 * validation, transient-error naming), Wait states compressed on a simulated clock.
 */
import { randomBytes } from 'node:crypto';
import { StateMachine } from 'aws-local-stepfunctions';
import type { Clock } from '../../domain/clock.js';
import type { describeAction } from '../../domain/notify/messages.js';
import type { Ports } from '../../domain/ports.js';
import { PHASES, type PhaseKey } from '../../lambdas/phases.js';
import { localPhaseHandler } from '../../runtime/phase-stack.js';
import {
  type AslState,
  readDefinitionText,
  substitute,
  taskMap,
  walkStates,
} from '../../statemachines/definition.js';
import { type ApprovalMode, awaitDecision } from '../approval-gate.js';
import type { Progress } from '../progress.js';
import { type EngineEvent, followEvents } from './events.js';

export const STATE_MACHINE_ARN =
  'arn:aws:states:us-east-1:000000000000:stateMachine:firebreak-incident-response';
const LOCAL_ARN = (key: string) =>
  `arn:aws:lambda:us-east-1:000000000000:function:firebreak-${key.replace(/FunctionArn$/, '')}`;

export interface ExecuteOptions {
  incidentId: string;
  ports: Ports;
  clock: Clock & { skip?: (seconds: number) => void };
  simulated: boolean;
  approve: ApprovalMode;
  ask?: (question: string) => Promise<boolean>;
  dataDir: string;
  faults?: Record<string, string>;
  signal?: AbortSignal;
  progress?: Progress;
}

export interface Executed {
  executionArn: string;
  status: 'SUCCEEDED' | 'FAILED';
  output: { postmortem?: { path?: string | null } };
  states: string[];
  /** True when the run was stopped from outside (`signal`). */
  stopped: boolean;
}

/** Task state name → what the local engine calls for it. */
function taskHandlers(tasks: ReturnType<typeof taskMap>, opts: ExecuteOptions) {
  const handlers: Record<string, (input: unknown) => Promise<never>> = {};
  for (const [stateName, task] of tasks) {
    const phase = PHASES[task.key as PhaseKey];
    if (!phase) throw new Error(`no phase implements \${${task.key}} (state ${stateName})`);
    const invoke = localPhaseHandler(phase.input, phase.run, () => opts.ports);
    handlers[stateName] = async (input: unknown) => {
      const fault = opts.faults?.[stateName];
      if (fault) throw Object.assign(new Error(fault), { name: 'InjectedFault' });
      // A waitForTaskToken Task passes its Lambda `Payload`; the decision then comes from the gate.
      const event = task.waitForTaskToken ? ((input as { Payload?: unknown }).Payload ?? input) : input;
      const result = await invoke(event);
      if (task.waitForTaskToken) {
        const action = (event as { action: Parameters<typeof describeAction>[0] }).action;
        return (await awaitDecision(opts.ports, opts.incidentId, action, opts.approve, opts.ask, {
          dataDir: opts.dataDir,
        })) as never;
      }
      return JSON.parse(JSON.stringify(result ?? {})) as never;
    };
  }
  return handlers;
}

export async function execute(opts: ExecuteOptions): Promise<Executed> {
  const { incidentId, clock } = opts;
  const executionArn = `${STATE_MACHINE_ARN.replace(':stateMachine:', ':execution:')}:${incidentId}`;
  const text = readDefinitionText();
  const tasks = taskMap(text);
  const definition = substitute(
    text,
    Object.fromEntries([...new Set([...tasks.values()].map((t) => t.key))].map((k) => [k, LOCAL_ARN(k)])),
  );
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
        taskResourceLocalHandlers: taskHandlers(tasks, opts),
        waitTimeOverrides: opts.simulated
          ? Object.fromEntries([...waitStates.keys()].map((n) => [n, 1]))
          : {},
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
  const followed = followEvents(execution.eventLogs as AsyncGenerator<EngineEvent>, {
    incidentId,
    store: opts.ports.store,
    clock,
    waitStates,
    simulated: opts.simulated,
    progress: opts.progress,
  });

  let status: Executed['status'] = 'SUCCEEDED';
  let output: Executed['output'] = {};
  const stop = () => execution.abort();
  opts.signal?.addEventListener('abort', stop, { once: true });
  // `serve` stopping before this run's turn came: it stops at once and records so.
  if (opts.signal?.aborted) stop();
  try {
    output = ((await execution.result) ?? {}) as Executed['output'];
  } catch {
    status = 'FAILED';
  } finally {
    opts.signal?.removeEventListener('abort', stop);
  }
  const stopped = !!opts.signal?.aborted;
  // An aborted execution may never close its event log: do not wait on it for long.
  await (stopped ? Promise.race([followed.done, new Promise((r) => setTimeout(r, 2_000))]) : followed.done);
  await followed.note('execution', `execution ${status.toLowerCase()}`);
  return { executionArn, status, output, states: followed.states, stopped };
}
