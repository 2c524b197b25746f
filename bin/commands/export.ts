import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { withLocalStore } from '../../adapters/embedded/dynamodb.js';
import { Scenario } from '../../adapters/embedded/scenario/schema.js';
import { describeIssues, NotFoundError } from '../../domain/errors.js';
import { scenarioOf } from '../../domain/memory/export.js';
import { CliError, EXIT } from './common.js';
import { dataDirOption } from './data-dir.js';

export function registerExport(program: Command): void {
  program
    .command('export')
    .description('write a reviewed incident as an eval scenario, its verdict as `expected`')
    .argument('<id>', 'incident id (reviewed: see `firebreak review`)')
    .option('--out <file>', 'write the scenario here (default: print it)')
    .addOption(dataDirOption())
    .action(async (id: string, opts: { out?: string; dataDir: string }) => {
      const exported = await withLocalStore(opts.dataDir, async (store) => {
        const incident = await store.get(id);
        if (!incident) throw new NotFoundError(`no incident ${id}`);
        return scenarioOf(incident, await store.alerts(id));
      });
      // The eval reads it through the same schema: a scenario it would refuse is not written.
      const checked = Scenario.safeParse(exported);
      if (!checked.success)
        throw new CliError(
          `cannot export ${id} as a valid scenario: ${describeIssues(checked.error.issues).slice(0, 3).join('; ')}`,
          EXIT.failed,
        );
      const text = `${JSON.stringify(exported, null, 2)}\n`;
      if (!opts.out) return void process.stdout.write(text);
      await writeFile(opts.out, text);
      process.stderr.write(
        `${id} → ${opts.out} (expects ${exported.expected.category}${exported.expected.culprit ? ` ${exported.expected.culprit}` : ''}; run: firebreak eval <its folder>)\n`,
      );
    });
}
