/**
 * Follows the local engine's event log: each state entered, left, failed or retried goes on the
 * incident's timeline (as Step Functions' history would) and, when someone watches, to the console.
 * A Wait's nominal time is skipped on a simulated clock as the engine enters it.
 */
import type { Clock } from '../../domain/clock.js';
import type { IncidentStore } from '../../domain/ports.js';
import type { AslState } from '../../statemachines/definition.js';
import type { Progress } from '../progress.js';

/** The slice of the engine's event log this runner reads (the package does not export its type). */
export interface EngineEvent {
  type: string;
  index?: number;
  state: { name: string; type: string; input: unknown };
  Error?: string;
  Cause?: unknown;
}

/** Outcomes of RequestApproval that the flow catches and handles: printed as decisions. */
const APPROVAL_OUTCOMES: Record<string, string> = {
  'RequestApproval:ApprovalRejected': 'Approval rejected: nothing runs; escalating to the next tier',
  'RequestApproval:States.Timeout': 'Approval expired without a decision: nothing runs; escalating',
};

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

export interface FollowOptions {
  incidentId: string;
  store: IncidentStore;
  clock: Clock & { skip?: (seconds: number) => void };
  waitStates: Map<string, AslState>;
  simulated: boolean;
  progress?: Progress;
}

export function followEvents(log: AsyncGenerator<EngineEvent>, opts: FollowOptions) {
  const { clock, waitStates } = opts;
  const { progress } = opts;
  const states: string[] = [];
  const entered = new Map<string, number>();
  let writes = Promise.resolve();
  const note = (type: string, text: string, data?: unknown) => {
    const at = clock.now().toISOString();
    writes = writes
      .then(() => opts.store.appendEvent(opts.incidentId, { at, type, actor: 'engine', text, data }))
      .catch(() => undefined);
    return writes;
  };
  const done = (async () => {
    for await (const event of log) {
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
            `${name}: ${waitSeconds(wait, input) / 60} min${opts.simulated ? ' (simulated)' : ''}`,
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
    await writes;
  })();
  return { states, done, note };
}
