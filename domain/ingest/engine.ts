/**
 * The Engine port: starts the incident-response execution for an incident. The execution is named
 * after the incident, so starting it twice is harmless — the second start finds the first.
 */

export interface StartedExecution {
  executionArn: string;
  /** False when an execution of that name already existed (a retry, a concurrent delivery). */
  started: boolean;
}

export interface Engine {
  start(incidentId: string): Promise<StartedExecution>;
  /** Whether the incident's execution is still running (its recovery checks then own resolution). */
  running(incidentId: string): Promise<boolean>;
}

const LOCAL_STATE_MACHINE = 'arn:aws:states:us-east-1:000000000000:stateMachine:firebreak-incident-response';

/** The execution ARN a state machine gives an execution of this name. */
export const executionArnFor = (stateMachineArn: string, name: string): string =>
  `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;

/**
 * Runs executions in this process with `run` (the local runner), once per incident. `wait` says
 * whether `start` returns when the run finishes (the CLI) or as soon as it has begun (`serve`).
 */
export class LocalEngine implements Engine {
  private readonly runs = new Map<string, Promise<unknown>>();
  private readonly active = new Set<string>();

  constructor(
    private readonly run: (incidentId: string) => Promise<unknown>,
    private readonly opts: { wait: boolean; onError?: (incidentId: string, err: unknown) => void } = {
      wait: true,
    },
  ) {}

  async start(incidentId: string): Promise<StartedExecution> {
    const executionArn = executionArnFor(LOCAL_STATE_MACHINE, incidentId);
    const existing = this.runs.get(incidentId);
    if (existing) {
      if (this.opts.wait) await existing;
      return { executionArn, started: false };
    }
    this.active.add(incidentId);
    const run = this.run(incidentId).finally(() => this.active.delete(incidentId));
    this.runs.set(incidentId, run);
    if (this.opts.wait) await run;
    else run.catch((err) => this.opts.onError?.(incidentId, err));
    return { executionArn, started: true };
  }

  async running(incidentId: string): Promise<boolean> {
    return this.active.has(incidentId);
  }

  /** Settles when every run started so far has finished (for a clean shutdown). */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.runs.values()]);
  }
}

/** Starts nothing and remembers what it was asked to start: for the benchmark and dry runs. */
export class RecordingEngine implements Engine {
  readonly starts: string[] = [];
  async start(incidentId: string): Promise<StartedExecution> {
    const started = !this.starts.includes(incidentId);
    if (started) this.starts.push(incidentId);
    return { executionArn: executionArnFor(LOCAL_STATE_MACHINE, incidentId), started };
  }
  async running(): Promise<boolean> {
    return false;
  }
}
