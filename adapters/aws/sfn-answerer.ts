import { SendTaskFailureCommand, SendTaskSuccessCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { TaskAnswerer } from '../../domain/ports.js';

/** The error name the flow's Catch on RequestApproval matches to escalate instead of mitigating. */
export const REJECTED_ERROR = 'ApprovalRejected';

/** Answers a `.waitForTaskToken` task in Step Functions. The client is injected. */
export class SfnTaskAnswerer implements TaskAnswerer {
  constructor(private readonly sfn: SFNClient) {}

  async approve(taskToken: string, output: Record<string, unknown>): Promise<void> {
    await this.sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }));
  }

  async reject(taskToken: string, error: string, cause: string): Promise<void> {
    await this.sfn.send(
      new SendTaskFailureCommand({ taskToken, error: error.slice(0, 256), cause: cause.slice(0, 32_768) }),
    );
  }
}

/** Step Functions stopped waiting for this token (timed out, execution ended): the answer is late. */
export const isLateAnswer = (err: unknown): boolean =>
  ['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken'].includes((err as Error)?.name ?? '');
