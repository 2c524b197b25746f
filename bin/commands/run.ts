import type { Command } from 'commander';
import { ANALYST_CHOICES, type AnalystChoice } from '../../domain/analyst/choices.js';
import { ALERT_SOURCES, type AlertSource } from '../../domain/model.js';
import { APPROVAL_MODES, type ApprovalMode } from '../../local/approval-gate.js';
import type { RunSummary } from '../../local/runner.js';
import { readDefinitionText, taskMap } from '../../statemachines/definition.js';
import { CliError, EXIT, loadRunner, readJsonFile } from './common.js';
import { dataDirOption } from './data-dir.js';
import { choice } from './options.js';
import { progressLine } from './style.js';

export function printSummary(s: RunSummary, write: (line: string) => void): void {
  const m = (v: number | null) => (v === null ? '—' : `${v} min`);
  write('');
  if (s.executionStatus === 'JOINED') {
    write(`Incident ${s.incidentId}: ${s.status} — still open; the alert joined it, no second incident`);
    write(`  severity    ${s.severity ?? '—'}`);
    write('  its own run responds; `firebreak incidents show` follows it, `incidents close` ends it');
    return;
  }
  write(
    `Incident ${s.incidentId}: ${s.status}${s.executionStatus === 'FAILED' ? ' (automation stopped — respond manually)' : ''}`,
  );
  write(`  severity    ${s.severity ?? '—'}`);
  write(
    `  root cause  ${s.category}${s.culprit ? ` · ${s.culprit}` : ''} (${Math.round(s.confidence * 100)}%): ${s.rootCause}`,
  );
  write(`  mitigation  ${s.mitigation.action ?? 'none'} → ${s.mitigation.status}`);
  write(
    `  resolution  ${s.status === 'RESOLVED' ? `resolved ${m(s.minutes.toResolve)} after detection` : `not resolved (escalation tier ${s.escalationTier})`}`,
  );
  write(
    `  messages    ${s.notifications.length} sent (${[...new Set(s.notifications.map((n) => n.audience))].join(', ') || 'nobody paged'})`,
  );
  write(`  postmortem  ${s.postmortemPath ?? '—'}`);
  write(`  took        ${s.wallSeconds}s wall clock, ${s.states.length} states`);
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('run one incident end to end locally from a scenario or a raw alert payload')
    .argument('<file>', 'a scenario (see examples/scenarios) or an alert payload as delivered')
    .option('--json', 'print only the final summary as JSON')
    .addOption(
      choice(
        '--approve <mode>',
        'approval answer (default: prompt on a TTY, auto otherwise)',
        APPROVAL_MODES,
      ),
    )
    .addOption(choice('--source <source>', 'alert source for a raw payload (default: detect)', ALERT_SOURCES))
    .addOption(dataDirOption('where the local store, outbox and postmortems live'))
    .addOption(
      choice('--fail-state <state>', 'make this Task state fail, to drill the failure path', [
        ...taskMap(readDefinitionText()).keys(),
      ]),
    )
    .addOption(
      choice('--analyst <analyst>', 'claude needs ANTHROPIC_API_KEY; auto is claude when a key is set', [
        ...ANALYST_CHOICES,
      ]).default('auto'),
    )
    .action(
      async (
        file: string,
        opts: {
          json?: boolean;
          approve?: string;
          source?: string;
          dataDir: string;
          failState?: string;
          analyst: string;
        },
      ) => {
        const approve = (opts.approve ??
          (process.stdin.isTTY && !opts.json ? 'prompt' : 'auto')) as ApprovalMode;
        if (!APPROVAL_MODES.includes(approve))
          throw new CliError(`--approve must be one of ${APPROVAL_MODES.join(', ')}`);
        if (opts.source && !ALERT_SOURCES.includes(opts.source as AlertSource)) {
          throw new CliError(`--source must be one of ${ALERT_SOURCES.join(', ')}`);
        }
        const analyst = (await import('../../runtime/analyst.js')).selectLocalAnalyst(
          opts.analyst as AnalystChoice,
        );
        const { prepare, runIncident } = await loadRunner();
        const prepared = prepare(await readJsonFile(file), {
          source: opts.source as AlertSource | undefined,
        });
        const write = (line: string) => process.stderr.write(`${progressLine(line)}\n`);
        const summary = await runIncident(prepared, {
          dataDir: opts.dataDir,
          approve,
          progress: opts.json ? undefined : write,
          faults: opts.failState ? { [opts.failState]: `injected failure in ${opts.failState}` } : undefined,
          analyst: analyst.factory,
        });
        if (opts.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
        else printSummary(summary, (line) => process.stdout.write(`${line}\n`));
        if (summary.executionStatus === 'FAILED') process.exitCode = EXIT.failed;
      },
    );
}
