import { Command, CommanderError } from 'commander';
import { readDefinitionText } from '../statemachines/definition.js';
import { toMermaid } from '../statemachines/mermaid.js';
import { registerApprove } from './commands/approve.js';
import { asCliError, EXIT } from './commands/common.js';
import { registerEval } from './commands/eval.js';
import { registerIncidents } from './commands/incidents.js';
import { registerIngest } from './commands/ingest.js';
import { registerPostmortem } from './commands/postmortem.js';
import { registerReject } from './commands/reject.js';
import { registerReport } from './commands/report.js';
import { registerReview } from './commands/review.js';
import { registerRun } from './commands/run.js';
import { registerServe } from './commands/serve.js';
import { registerStart } from './commands/start.js';

// Output piped into `head` (or a closed terminal): the reader has what it wanted. Say nothing more,
// but finish the work: a run cut off here would leave its incident open with nobody told.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    stream.write = (() => true) as typeof stream.write;
  });
}

const program = new Command('firebreak')
  .description(
    'Incident response for AWS: triage, investigate, mitigate with approval, keep people informed, learn.',
  )
  .exitOverride()
  .showHelpAfterError(false);

registerRun(program);
registerStart(program);
registerIngest(program);
registerServe(program);
registerIncidents(program);
registerEval(program);
registerApprove(program);
registerReject(program);
registerPostmortem(program);
registerReport(program);
registerReview(program);
(await import('./commands/export.js')).registerExport(program);
program
  .command('graph')
  .description('print the state machine as a Mermaid flowchart')
  .action(() => {
    process.stdout.write(`${toMermaid(JSON.parse(readDefinitionText()))}\n`);
  });

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    process.exitCode = err.exitCode === 0 ? EXIT.ok : EXIT.refused;
  } else {
    const known = asCliError(err);
    if (!known) throw err;
    process.stderr.write(`firebreak: ${known.message}\n`);
    process.exitCode = known.exitCode;
  }
}
