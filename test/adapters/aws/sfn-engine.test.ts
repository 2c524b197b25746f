import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SfnEngine } from '../../../adapters/aws/sfn-engine.js';

const sfn = mockClient(SFNClient);
const SM = 'arn:aws:states:eu-west-1:210987654321:stateMachine:firebreak-incident-response';
const engine = new SfnEngine(sfn as unknown as SFNClient, SM);

beforeEach(() => sfn.reset());

describe('SfnEngine', () => {
  it('starts an execution named after the incident with the incident id as input', async () => {
    sfn.on(StartExecutionCommand).resolves({
      executionArn: `${SM.replace(':stateMachine:', ':execution:')}:inc-1`,
      startDate: new Date(),
    });
    expect(await engine.start('inc-1')).toEqual({
      executionArn: 'arn:aws:states:eu-west-1:210987654321:execution:firebreak-incident-response:inc-1',
      started: true,
    });
    expect(sfn.commandCalls(StartExecutionCommand)[0].args[0].input).toEqual({
      stateMachineArn: SM,
      name: 'inc-1',
      input: '{"incidentId":"inc-1"}',
    });
  });

  it('treats ExecutionAlreadyExists as success: the execution is there', async () => {
    sfn.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: 'exists', $metadata: {} }));
    expect(await engine.start('inc-2')).toEqual({
      executionArn: 'arn:aws:states:eu-west-1:210987654321:execution:firebreak-incident-response:inc-2',
      started: false,
    });
  });

  it('passes other faults on, for the delivery to be retried', async () => {
    sfn
      .on(StartExecutionCommand)
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    await expect(engine.start('inc-3')).rejects.toThrow('Rate exceeded');
  });

  it('reports whether the execution is still running', async () => {
    sfn
      .on(DescribeExecutionCommand, { executionArn: `${SM.replace(':stateMachine:', ':execution:')}:inc-4` })
      .resolves({ status: 'RUNNING' } as never);
    sfn
      .on(DescribeExecutionCommand, { executionArn: `${SM.replace(':stateMachine:', ':execution:')}:inc-5` })
      .resolves({ status: 'SUCCEEDED' } as never);
    sfn
      .on(DescribeExecutionCommand, { executionArn: `${SM.replace(':stateMachine:', ':execution:')}:inc-6` })
      .rejects(new ExecutionDoesNotExist({ message: 'none', $metadata: {} }));
    expect(await engine.running('inc-4')).toBe(true);
    expect(await engine.running('inc-5')).toBe(false);
    expect(await engine.running('inc-6')).toBe(false);
  });
});
