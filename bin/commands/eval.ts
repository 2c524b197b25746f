import type { Command } from 'commander';
import { ANALYST_CHOICES, type AnalystChoice } from '../../domain/analyst/choices.js';
import { CliError, EXIT } from './common.js';

export function registerEval(program: Command): void {
  program
    .command('eval')
    .description('run every scenario in a folder through the local pipeline and score the outcome')
    .argument('<folder>', 'a folder of scenarios (see examples/scenarios)')
    .option('--json', 'print one JSON object: per-scenario results and totals')
    .option('--analyst <analyst>', `offline|claude (default: offline)`, 'offline')
    .option('--concurrency <n>', 'scenarios run at once (in one process: overlaps I/O only)', '1')
    .action(async (folder: string, opts: { json?: boolean; analyst: string; concurrency: string }) => {
      if (opts.analyst === 'auto' || !ANALYST_CHOICES.includes(opts.analyst as AnalystChoice)) {
        throw new CliError('--analyst must be offline or claude');
      }
      const concurrency = Number(opts.concurrency);
      if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 16) {
        throw new CliError('--concurrency must be a whole number from 1 to 16');
      }
      const selection = (await import('../../runtime/analyst.js')).selectLocalAnalyst(
        opts.analyst as AnalystChoice,
      );
      const { evaluate, formatReport, loadScenarioFolder } = await import('../../local/eval.js');
      const { loaded, unreadable } = await loadScenarioFolder(folder);
      if (unreadable.length) {
        for (const u of unreadable) process.stderr.write(`firebreak: ${u.file}: ${u.reason}\n`);
        throw new CliError(
          `${unreadable.length} unreadable scenario(s) in ${folder}: nothing was run`,
          EXIT.refused,
        );
      }
      const report = await evaluate(folder, loaded, {
        analyst: selection.factory,
        analystName: selection.name,
        concurrency,
        onResult: opts.json
          ? undefined
          : (r, done, total) =>
              process.stderr.write(
                `  [${done}/${total}] ${r.id}: ${r.passed ? 'pass' : 'fail'} (${r.wallSeconds}s)\n`,
              ),
      });
      if (opts.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      else for (const line of formatReport(report)) process.stdout.write(`${line}\n`);
    });
}
