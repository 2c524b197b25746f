/**
 * `firebreak start --service <name> --summary "<text>" [--severity SEVn]`: a person declares an
 * incident by hand.
 *
 * - With `--state-machine-arn` (or FIREBREAK_STATE_MACHINE_ARN, the stack's StateMachineArn output)
 *   it starts an execution in AWS with `{"manual": {...}}` — the same input the Step Functions
 *   console takes, which the flow's Intake state opens the incident from.
 * - Without it, the incident runs here, end to end, through the local runner.
 *
 * The request is validated with the Intake phase's own schema before anything is started.
 */
import { createHash } from 'node:crypto';
import { type Command, Option } from 'commander';
import type * as z from 'zod';
import { startNamedExecution } from '../../adapters/aws/sfn-engine.js';
import { describeIssues } from '../../domain/errors.js';
import { SEVERITIES } from '../../domain/model.js';
import { IntakeInput } from '../../lambdas/intake/index.js';
import { APPROVAL_MODES, type ApprovalMode } from '../../local/approval-gate.js';
import { cliSfn } from '../../runtime/cli-wiring.js';
import { CliError, EXIT, loadRunner } from './common.js';
import { dataDirOption } from './data-dir.js';
import { choice } from './options.js';
import { printSummary } from './run.js';
import { progressLine } from './style.js';

export const ManualStart = IntakeInput.shape.manual;
export type ManualStart = z.infer<typeof ManualStart>;

const STATE_MACHINE_ARN = /^arn:aws[a-z-]*:states:([a-z0-9-]+):(\d{12}):stateMachine:[A-Za-z0-9_-]{1,80}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

export interface StartTarget {
  stateMachineArn: string;
  region: string;
}

/** Validates the request; a bad one is refused with every problem named, before anything starts. */
export function manualStart(input: unknown): ManualStart {
  const parsed = ManualStart.safeParse(input);
  if (!parsed.success)
    throw new CliError(
      describeIssues(parsed.error.issues)
        .map((i) => `--${i}`)
        .join('; '),
    );
  return parsed.data;
}

/** The AWS target, or undefined to run locally. The region defaults to the ARN's own. */
export function startTarget(arn: string | undefined, region: string | undefined): StartTarget | undefined {
  if (!arn) {
    if (region)
      throw new CliError('--region needs --state-machine-arn: without one the incident runs locally');
    return undefined;
  }
  const m = STATE_MACHINE_ARN.exec(arn);
  if (!m) throw new CliError(`--state-machine-arn is not a state machine ARN: ${arn.slice(0, 120)}`);
  if (region && !REGION.test(region))
    throw new CliError(`--region is not an AWS region: ${region.slice(0, 40)}`);
  if (region && region !== m[1])
    throw new CliError(`--region ${region} differs from the state machine's region ${m[1]}`);
  return { stateMachineArn: arn, region: m[1] };
}

/**
 * `manual-<service>-<minute>-<hash>`: the same request repeated within a minute maps to the same
 * execution name, so a retried command cannot start a second execution.
 */
export function executionName(req: ManualStart, now: Date): string {
  const slug = req.service
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 30);
  const minute = now.toISOString().slice(0, 16).replace(/[-:]/g, '');
  const digest = createHash('sha256')
    .update(JSON.stringify([req.service, req.summary, req.severity ?? '', req.reportedBy ?? '', minute]))
    .digest('hex')
    .slice(0, 12);
  return `manual-${slug || 'service'}-${minute}-${digest}`;
}

export interface Started {
  executionArn: string;
  name: string;
  startDate: string;
  consoleUrl: string;
}

/** StartExecution with the Intake input. The client is injected: tests mock it at the AWS boundary. */
export async function startInAws(
  sfn: Parameters<typeof startNamedExecution>[0],
  target: StartTarget,
  req: ManualStart,
  now: Date = new Date(),
): Promise<Started> {
  const name = executionName(req, now);
  const out = await startNamedExecution(sfn, target.stateMachineArn, name, { manual: req });
  if (out === 'exists') {
    throw new CliError(
      `an execution named ${name} already exists and has finished: this request was started within the last minute`,
    );
  }
  return {
    executionArn: out.executionArn,
    name,
    startDate: (out.startDate ?? now).toISOString(),
    consoleUrl: `https://${target.region}.console.aws.amazon.com/states/home?region=${target.region}#/v2/executions/details/${out.executionArn}`,
  };
}

interface StartOptions {
  service: string;
  summary: string;
  severity?: string;
  stateMachineArn?: string;
  region?: string;
  dataDir: string;
  approve?: string;
  json?: boolean;
}

export function registerStart(program: Command): void {
  program
    .command('start')
    .description('declare an incident by hand: in AWS with --state-machine-arn, otherwise locally')
    .requiredOption('--service <name>', 'the affected service')
    .requiredOption('--summary <text>', 'what is wrong, in a sentence')
    .addOption(choice('--severity <SEVn>', 'the severity (default: triage decides)', SEVERITIES))
    .addOption(
      new Option(
        '--state-machine-arn <arn>',
        'the stack output StateMachineArn; without it the incident runs locally',
      ).env('FIREBREAK_STATE_MACHINE_ARN'),
    )
    .option('--region <region>', "AWS region (default: the state machine ARN's)")
    .addOption(dataDirOption('local run: where the store, outbox and postmortems live'))
    .addOption(
      choice(
        '--approve <mode>',
        'local run: the approval answer (default: prompt on a TTY, auto otherwise)',
        APPROVAL_MODES,
      ),
    )
    .option('--json', 'print JSON')
    .action(async (opts: StartOptions) => {
      const req = manualStart({
        service: opts.service.trim(),
        summary: opts.summary.trim(),
        ...(opts.severity !== undefined ? { severity: opts.severity.toUpperCase() } : {}),
        reportedBy: `cli:${(process.env.USER ?? 'operator').slice(0, 90)}`,
      });
      const target = startTarget(opts.stateMachineArn, opts.region);
      if (target) {
        const started = await startInAws(cliSfn(target.region), target, req);
        if (opts.json) process.stdout.write(`${JSON.stringify(started, null, 2)}\n`);
        else
          process.stdout.write(
            `Started ${started.name}\n  ${started.executionArn}\n  ${started.consoleUrl}\n`,
          );
        return;
      }
      const approve = (opts.approve ??
        (process.stdin.isTTY && !opts.json ? 'prompt' : 'auto')) as ApprovalMode;
      if (!APPROVAL_MODES.includes(approve))
        throw new CliError(`--approve must be one of ${APPROVAL_MODES.join(', ')}`);
      const { prepare, runIncident } = await loadRunner();
      const prepared = prepare(req, { source: 'manual' });
      const write = (line: string) => process.stderr.write(`${progressLine(line)}\n`);
      const summary = await runIncident(prepared, {
        dataDir: opts.dataDir,
        approve,
        progress: opts.json ? undefined : write,
      });
      if (opts.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
      else printSummary(summary, (line) => process.stdout.write(`${line}\n`));
      if (summary.executionStatus === 'FAILED') process.exitCode = EXIT.failed;
    });
}
