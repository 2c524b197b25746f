import type { Command } from 'commander';
import type { AnalystChoice } from '../../domain/analyst/choices.js';
import { CliError, EXIT } from './common.js';
import { choice } from './options.js';
import { painter, paintMarks } from './style.js';

export function registerEval(program: Command): void {
  program
    .command('eval')
    .description('run every scenario in a folder through the local pipeline and score the outcome')
    .argument('<folder>', 'a folder of scenarios (see examples/scenarios)')
    .option('--json', 'print one JSON object: per-scenario results and totals')
    .addOption(
      choice('--analyst <analyst>', 'claude needs ANTHROPIC_API_KEY', ['offline', 'claude']).default(
        'offline',
      ),
    )
    .option('--concurrency <n>', 'scenarios run at once (in one process: overlaps I/O only)', '1')
    .action(async (folder: string, opts: { json?: boolean; analyst: string; concurrency: string }) => {
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
      const paint = painter(process.stderr);
      const report = await evaluate(folder, loaded, {
        analyst: selection.factory,
        analystName: selection.name,
        concurrency,
        onResult: opts.json
          ? undefined
          : (r, done, total) =>
              process.stderr.write(
                `  [${done}/${total}] ${r.id}: ${r.passed ? paint('green', 'pass') : paint('red', 'fail')} (${r.wallSeconds}s)\n`,
              ),
      });
      if (opts.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      else {
        const marks = painter(process.stdout);
        for (const line of formatReport(report)) process.stdout.write(`${paintMarks(marks, line)}\n`);
      }
    });
}
