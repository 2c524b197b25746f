/**
 * `firebreak start`: in AWS, StartExecution with the Intake input, mocked at the SDK boundary;
 * locally, the same request run end to end. A refused request starts nothing.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { CliError } from '../../bin/commands/common.js';
import { executionName, manualStart, startInAws, startTarget } from '../../bin/commands/start.js';
import { IntakeInput } from '../../lambdas/intake/index.js';
import { PROJECT_ROOT } from '../../lib/stack/bundling.js';

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

describe('firebreak start locally (the CLI)', () => {
  let dir: string;
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  const cli = (args: string[]) =>
    spawnSync(process.execPath, [join(PROJECT_ROOT, 'bin/firebreak.js'), 'start', ...args], {
      encoding: 'utf8',
      env: { ...process.env, FIREBREAK_STATE_MACHINE_ARN: '' },
      timeout: 60_000,
    });

  it('runs the manual request end to end as a manual alert', async () => {
    dir = await mkdtemp(join(tmpdir(), 'firebreak-start-'));
    const out = cli([
      '--service',
      'checkout',
      '--summary',
      'Checkout returns 502 for a third of requests',
      '--severity',
      'SEV2',
      '--data-dir',
      dir,
      '--json',
    ]);
    expect(out.status, out.stderr).toBe(0);
    const summary = JSON.parse(out.stdout);
    expect(summary).toMatchObject({
      executionStatus: 'SUCCEEDED',
      service: 'checkout',
      severity: 'SEV2',
      title: 'Checkout returns 502 for a third of requests',
    });
    expect(summary.notifications.map((n: { kind: string }) => n.kind)).toContain('declared');
  });

  it('refuses a blank summary with exit 2 and one line, having written nothing', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'firebreak-start-'));
    try {
      const out = cli(['--service', 'checkout', '--summary', '   ', '--data-dir', empty]);
      expect(out.status).toBe(2);
      expect(out.stderr.trim()).toMatch(/^firebreak: --summary: .*>=1 characters$/);
      expect(await readdir(empty)).toEqual([]);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});
