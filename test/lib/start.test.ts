/**
 * `firebreak start`: in AWS, StartExecution with the Intake input, mocked at the SDK boundary;
 * locally, the same request run end to end. A refused request starts nothing.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { Command } from 'commander';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { CliError } from '../../bin/commands/common.js';
import {
  executionName,
  manualStart,
  registerStart,
  startInAws,
  startTarget,
} from '../../bin/commands/start.js';
import { IntakeInput } from '../../lambdas/intake/index.js';

const ARN = 'arn:aws:states:eu-west-1:123456789012:stateMachine:FirebreakIncidentResponse-abc';
const sfn = mockClient(SFNClient);
beforeEach(() => sfn.reset());

describe('firebreak start in AWS', () => {
  const req = manualStart({
    service: 'checkout',
    summary: 'Checkout returns 502 for a third of requests',
    severity: 'SEV2',
  });
  const now = new Date('2026-11-20T10:04:31Z');

  it('starts the execution with the input the console takes and a name derived from the request', async () => {
    sfn.on(StartExecutionCommand).resolves({
      executionArn: `${ARN.replace(':stateMachine:', ':execution:')}:x`,
      startDate: now,
    });
    const started = await startInAws(
      new SFNClient({ region: 'eu-west-1' }),
      startTarget(ARN, undefined)!,
      req,
      now,
    );
    const call = sfn.commandCalls(StartExecutionCommand)[0].args[0].input;
    expect(call.stateMachineArn).toBe(ARN);
    const input = JSON.parse(call.input ?? '');
    expect(input).toEqual({ manual: { service: 'checkout', summary: req.summary, severity: 'SEV2' } });
    // The Intake state hands `$.manual` to the intake phase, whose schema accepts it.
    expect(IntakeInput.safeParse({ manual: input.manual }).success).toBe(true);
    expect(call.name).toBe(executionName(req, now));
    expect(call.name).toMatch(/^manual-checkout-20261120T1004-[0-9a-f]{12}$/);
    expect(started.consoleUrl).toContain(
      'https://eu-west-1.console.aws.amazon.com/states/home?region=eu-west-1',
    );
  });

  it('names a repeat of the same request in the same minute the same, and a different one differently', () => {
    expect(executionName(req, now)).toBe(executionName(req, new Date('2026-11-20T10:04:59Z')));
    expect(executionName(req, now)).not.toBe(executionName(req, new Date('2026-11-20T10:05:00Z')));
    expect(executionName(req, now)).not.toBe(executionName({ ...req, summary: 'something else' }, now));
    const odd = executionName(manualStart({ service: 'Payments API / EU', summary: 'x' }), now);
    expect(odd).toMatch(/^manual-payments-api-eu-20261120T1004-[0-9a-f]{12}$/);
    expect(odd.length).toBeLessThanOrEqual(80);
  });

  it('says so when the same request already ran to the end', async () => {
    sfn.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: 'exists', $metadata: {} }));
    await expect(
      startInAws(new SFNClient({ region: 'eu-west-1' }), startTarget(ARN, undefined)!, req, now),
    ).rejects.toThrow(/already exists and has finished/);
  });

  it('refuses a bad request or target before calling AWS', () => {
    expect(() => manualStart({ service: '', summary: 'x' })).toThrow(CliError);
    expect(() => manualStart({ service: 'checkout', summary: 'x', severity: 'SEV9' })).toThrow(/--severity/);
    expect(() => manualStart({ service: 'checkout', summary: 'x'.repeat(501) })).toThrow(/--summary/);
    expect(() => startTarget('arn:aws:lambda:eu-west-1:123456789012:function:f', undefined)).toThrow(
      /not a state machine ARN/,
    );
    expect(() => startTarget(ARN, 'us-east-1')).toThrow(/differs from the state machine's region eu-west-1/);
    expect(() => startTarget(undefined, 'eu-west-1')).toThrow(/--region needs --state-machine-arn/);
    expect(startTarget(ARN, undefined)).toEqual({ stateMachineArn: ARN, region: 'eu-west-1' });
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });
});

describe('firebreak start locally (the command, in process)', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  /** Runs `firebreak start …` through commander as the CLI does, capturing what it prints. */
  async function start(args: string[]): Promise<{ stdout: string; error?: unknown }> {
    const program = new Command('firebreak').exitOverride();
    registerStart(program);
    let stdout = '';
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
      stdout += String(chunk);
      return true;
    });
    try {
      await program.parseAsync(['node', 'firebreak', 'start', ...args]);
      return { stdout };
    } catch (error) {
      return { stdout, error };
    } finally {
      write.mockRestore();
    }
  }

  it('runs the manual request end to end as a manual alert', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'firebreak-start-'));
    dirs.push(dir);
    const summary = 'Checkout returns 502 for a third of requests';
    const out = await start([
      '--service',
      'checkout',
      '--summary',
      summary,
      '--severity',
      'sev2',
      '--data-dir',
      dir,
      '--json',
    ]);
    expect(out.error).toBeUndefined();
    expect(JSON.parse(out.stdout)).toMatchObject({
      executionStatus: 'SUCCEEDED',
      service: 'checkout',
      severity: 'SEV2',
      title: summary,
      notifications: expect.arrayContaining([expect.objectContaining({ kind: 'declared' })]),
    });
  });

  it('refuses a blank summary with a CLI error, having written nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'firebreak-start-'));
    dirs.push(dir);
    const out = await start(['--service', 'checkout', '--summary', '   ', '--data-dir', dir]);
    expect(out.error).toBeInstanceOf(CliError);
    expect((out.error as Error).message).toMatch(/^--summary: .*>=1 characters$/);
    expect(await readdir(dir)).toEqual([]);
  });
});
