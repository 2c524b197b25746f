/**
 * The Engine in AWS: Step Functions. StartExecution names the execution after the incident, so a
 * second start (a retried delivery, a concurrent one) gets ExecutionAlreadyExists, which is success.
 */
import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  type SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { type Engine, executionArnFor, type StartedExecution } from '../../domain/ingest/engine.js';

/** By class or by name: a mocked client may throw a plain error carrying the service's name. */
const isNamed = (err: unknown, name: string) => (err as Error)?.name === name;

export class SfnEngine implements Engine {
  constructor(
    private readonly sfn: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  async start(incidentId: string): Promise<StartedExecution> {
    try {
      const out = await this.sfn.send(
        new StartExecutionCommand({
          stateMachineArn: this.stateMachineArn,
          name: incidentId,
          input: JSON.stringify({ incidentId }),
        }),
      );
      return {
        executionArn: out.executionArn ?? executionArnFor(this.stateMachineArn, incidentId),
        started: true,
      };
    } catch (err) {
      if (!(err instanceof ExecutionAlreadyExists || isNamed(err, 'ExecutionAlreadyExists'))) throw err;
      return { executionArn: executionArnFor(this.stateMachineArn, incidentId), started: false };
    }
  }

  async running(incidentId: string): Promise<boolean> {
    try {
      const out = await this.sfn.send(
        new DescribeExecutionCommand({ executionArn: executionArnFor(this.stateMachineArn, incidentId) }),
      );
      return out.status === 'RUNNING' || out.status === 'PENDING_REDRIVE';
    } catch (err) {
      if (err instanceof ExecutionDoesNotExist || isNamed(err, 'ExecutionDoesNotExist')) return false;
      throw err;
    }
  }
}

/**
 * StartExecution under a given name with a given input (a person's `firebreak start`): the started
 * execution, or `exists` when an execution of that name has already run.
 */
export async function startNamedExecution(
  sfn: SFNClient,
  stateMachineArn: string,
  name: string,
  input: unknown,
): Promise<{ executionArn: string; startDate?: Date } | 'exists'> {
  try {
    const out = await sfn.send(
      new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }),
    );
    if (!out.executionArn) throw new Error('StartExecution returned no execution ARN');
    return { executionArn: out.executionArn, startDate: out.startDate };
  } catch (err) {
    if (err instanceof ExecutionAlreadyExists || isNamed(err, 'ExecutionAlreadyExists')) return 'exists';
    throw err;
  }
}
