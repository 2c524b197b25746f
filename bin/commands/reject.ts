import type { Command } from 'commander';
import { type DecisionOptions, decisionOptions, runDecision } from './approve.js';

/** `firebreak reject <incident> [--reason]`: nothing runs and the next escalation tier is paged. */
export function registerReject(program: Command): void {
  decisionOptions(
    program
      .command('reject')
      .description('reject the pending mitigation of an incident: nothing runs, the incident escalates')
      .argument('<incident>', 'incident id')
      .option('--reason <text>', 'why (goes on the timeline and to the escalation)'),
  ).action((incident: string, opts: DecisionOptions) => runDecision(incident, false, opts));
}
