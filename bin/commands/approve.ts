/**
 * `firebreak approve <incident>` and (with reject.ts) `firebreak reject <incident>`: answer a
 * pending approval request.
 *
 * - Locally, a run waiting with `--approve wait` gets the decision through its inbox; otherwise it is
 *   recorded in the local store.
 * - In AWS (`--table`, optionally `--region` and `--state-machine-arn`), the decision is recorded in
 *   the incident table and the waiting Step Functions task is answered with SendTaskSuccess or
 *   SendTaskFailure(ApprovalRejected), using the task token stored with the request.
 */
import type { Command } from 'commander';
import { isLateAnswer, REJECTED_ERROR } from '../../adapters/aws/sfn-answerer.js';
import { withLocalStore } from '../../adapters/embedded/dynamodb.js';
import { cleanActor, decideApproval, undoDecision } from '../../domain/approval/approval.js';
import { type Clock, systemClock } from '../../domain/clock.js';
import { NotFoundError, ValidationError } from '../../domain/errors.js';
import { IncidentId } from '../../domain/flow/phase-io.js';
import { describeAction } from '../../domain/notify/messages.js';
import type { IncidentStore, TaskAnswerer } from '../../domain/ports.js';
import { awaitInboxResult, dropDecision, runIsWaiting } from '../../local/approval-gate.js';
import { cliAws } from '../../runtime/cli-wiring.js';
import { awsFailure, CliError, EXIT } from './common.js';
import { dataDirOption } from './data-dir.js';

export interface DecisionArgs {
  incidentId: string;
  approved: boolean;
  by?: string;
  reason?: string;
}

export interface AwsTarget {
  store: IncidentStore;
  answerer: TaskAnswerer;
  clock?: Clock;
  /** When given, the incident's execution must belong to this state machine. */
  stateMachineArn?: string;
}

function validate(args: DecisionArgs): { incidentId: string; actor: string; reason?: string } {
  const id = IncidentId.safeParse(args.incidentId);
  if (!id.success) throw new CliError(`"${args.incidentId.slice(0, 80)}" is not an incident id`);
  if (args.reason !== undefined && args.reason.length > 500)
    throw new CliError('--reason is longer than 500 characters');
  let actor: string;
  try {
    actor = `cli:${cleanActor(args.by ?? process.env.USER ?? 'operator')}`;
  } catch (err) {
    throw new CliError(`--by: ${(err as Error).message}`);
  }
  return { incidentId: id.data, actor, reason: args.reason };
}

/** `arn:aws:states:r:a:stateMachine:name` owns executions `arn:aws:states:r:a:execution:name:*`. */
export function belongsTo(executionArn: string | undefined, stateMachineArn: string): boolean {
  if (!executionArn) return false;
  const prefix = `${stateMachineArn.replace(':stateMachine:', ':execution:')}:`;
  return stateMachineArn.includes(':stateMachine:') && executionArn.startsWith(prefix);
}

/** Records the decision in the table, then answers the waiting task; undoes the record if that fails. */
export async function decideInAws(args: DecisionArgs, target: AwsTarget): Promise<string> {
  const { incidentId, actor, reason } = validate(args);
  const deps = { store: target.store, clock: target.clock ?? systemClock };
  const incident = await target.store.get(incidentId);
  if (!incident) throw new NotFoundError(`no incident ${incidentId} in the table`);
  if (target.stateMachineArn && !belongsTo(incident.executionArn, target.stateMachineArn)) {
    throw new ValidationError(`incident ${incidentId} was not run by ${target.stateMachineArn}`);
  }
  const decided = await decideApproval(deps, incidentId, { approved: args.approved, actor, reason });
  try {
    if (args.approved) {
      await target.answerer.approve(decided.taskToken, { approved: true, by: actor, at: decided.decidedAt });
    } else {
      await target.answerer.reject(
        decided.taskToken,
        REJECTED_ERROR,
        `${actor} rejected ${describeAction(decided.action)}${reason ? `: ${reason}` : ''}`,
      );
    }
  } catch (err) {
    const late = isLateAnswer(err);
    await undoDecision(deps, await target.store.get(incidentId), decided.pending, {
      late,
      detail: `${(err as Error).name}: ${(err as Error).message}`,
    });
    throw new CliError(
      late
        ? `the workflow stopped waiting for ${incidentId} before the decision arrived; nothing was run`
        : `could not reach Step Functions (${(err as Error).name}); the decision was withdrawn, try again`,
      EXIT.failed,
    );
  }
  return `${args.approved ? 'approved' : 'rejected'} ${describeAction(decided.action)} for ${incidentId} as ${actor}; Step Functions answered`;
}

/** A run waiting in this data directory gets the decision; otherwise it goes into the local store. */
export async function decideLocally(args: DecisionArgs, dataDir: string): Promise<string> {
  const { incidentId, actor, reason } = validate(args);
  if (await runIsWaiting(dataDir, incidentId)) {
    await dropDecision(dataDir, incidentId, { approved: args.approved, by: actor.slice(4), reason });
    const result = await awaitInboxResult(dataDir, incidentId);
    if (!result)
      throw new CliError(`the run waiting on ${incidentId} did not pick up the decision`, EXIT.failed);
    if (!result.ok) throw new CliError(result.message);
    return result.message;
  }
  const decided = await withLocalStore(dataDir, (store) =>
    decideApproval({ store, clock: systemClock }, incidentId, { approved: args.approved, actor, reason }),
  );
  return `${args.approved ? 'approved' : 'rejected'} ${describeAction(decided.action)} for ${incidentId} as ${actor} (recorded; no local run is waiting on it)`;
}

export interface DecisionOptions {
  by?: string;
  reason?: string;
  dataDir: string;
  table?: string;
  region?: string;
  stateMachineArn?: string;
}

export async function runDecision(
  incidentId: string,
  approved: boolean,
  opts: DecisionOptions,
): Promise<void> {
  const args = { incidentId, approved, by: opts.by, reason: opts.reason };
  let message: string;
  if (opts.table || opts.stateMachineArn || opts.region) {
    if (!opts.table) throw new CliError('--table is required to decide in AWS');
    const region = opts.region ?? opts.stateMachineArn?.split(':')[3];
    const { store, answerer } = cliAws(opts.table, region);
    try {
      message = await decideInAws(args, { store, answerer, stateMachineArn: opts.stateMachineArn });
    } catch (err) {
      throw awsFailure(err);
    }
  } else {
    message = await decideLocally(args, opts.dataDir);
  }
  process.stdout.write(`${message}\n`);
}

/** The options approve and reject share. */
export function decisionOptions(cmd: Command): Command {
  return cmd
    .option('--by <name>', 'who decides (goes on the timeline)', process.env.USER)
    .addOption(dataDirOption())
    .option('--table <name>', 'in AWS: the incident table')
    .option(
      '--region <region>',
      'in AWS: the region (default: from the state machine ARN or the environment)',
    )
    .option('--state-machine-arn <arn>', 'in AWS: check the incident belongs to this state machine');
}

export function registerApprove(program: Command): void {
  decisionOptions(
    program
      .command('approve')
      .description('approve the pending mitigation of an incident (local store, or AWS with --table)')
      .argument('<incident>', 'incident id'),
  ).action((incident: string, opts: DecisionOptions) => runDecision(incident, true, opts));
}
