import type { Command } from 'commander';
import { readDefinitionText } from '../../statemachines/definition.js';
import { toMermaid } from '../../statemachines/mermaid.js';

export function registerGraph(program: Command): void {
  program
    .command('graph')
    .description('print the state machine as a Mermaid flowchart')
    .action(() => {
      process.stdout.write(`${toMermaid(JSON.parse(readDefinitionText()))}\n`);
    });
}
