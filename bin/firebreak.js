#!/usr/bin/env node
// The `firebreak` command. Commands are TypeScript, run through tsx so that a clone needs no build
// step; this shell is plain JavaScript, and loads tsx and the one command asked for only when a
// command runs, so `--help` and `--version` start in a fraction of a second (tsx and a command's
// imports take a second or more).
import { readFileSync } from 'node:fs';
import { Command, CommanderError, Help } from 'commander';

/**
 * Every command, with what the top-level help shows of it. `creates`: the command makes a data
 * folder when it finds none (it starts incidents); the others only use one that exists.
 * test/cli/conventions.test.ts checks that each line says what the command's module declares.
 */
const COMMANDS = [
  {
    name: 'run',
    usage: '[options] <file>',
    creates: true,
    description: 'run one incident end to end locally from a scenario or a raw alert payload',
  },
  {
    name: 'start',
    usage: '[options]',
    creates: true,
    description: 'declare an incident by hand: in AWS with --state-machine-arn, otherwise locally',
  },
  {
    name: 'ingest',
    usage: '[options] <file>',
    creates: true,
    description: 'ingest one alert delivery into the local store: start, join, resolve, record or ignore',
  },
  {
    name: 'serve',
    usage: '[options]',
    creates: true,
    description:
      'receive webhooks on 127.0.0.1 with the routes of the AWS endpoint, running incidents locally',
  },
  { name: 'incidents', usage: '', creates: false, description: 'inspect incidents in the local store' },
  {
    name: 'eval',
    usage: '[options] <folder>',
    creates: false,
    description: 'run every scenario in a folder through the local pipeline and score the outcome',
  },
  {
    name: 'approve',
    usage: '[options] <incident>',
    creates: false,
    description: 'approve the pending mitigation of an incident (local store, or AWS with --table)',
  },
  {
    name: 'reject',
    usage: '[options] <incident>',
    creates: false,
    description: 'reject the pending mitigation of an incident: nothing runs, the incident escalates',
  },
  {
    name: 'postmortem',
    usage: '[options] <id>',
    creates: false,
    description: "print an incident's blameless postmortem (or close one of its action items)",
  },
  {
    name: 'report',
    usage: '[options]',
    creates: false,
    description: 'response report: incidents by severity, MTTA/MTTR, top causes, repeats, action items',
  },
  {
    name: 'review',
    usage: '[options] <id>',
    creates: false,
    description: "record responders' verdict on an incident's root cause",
  },
  {
    name: 'export',
    usage: '[options] <id>',
    creates: false,
    description: 'write a reviewed incident as an eval scenario, its verdict as `expected`',
  },
  { name: 'graph', usage: '', creates: false, description: 'print the state machine as a Mermaid flowchart' },
];

// Output piped into `head` (or a closed terminal): the reader has what it wanted. Say nothing more,
// but finish the work: a run cut off here would leave its incident open with nobody told.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err.code !== 'EPIPE') throw err;
    stream.write = () => true;
  });
}

const args = process.argv.slice(2);
// `--no-color` means what NO_COLOR means, for this process and the ones it starts.
if (args.includes('--no-color')) {
  process.env.NO_COLOR = '1';
  delete process.env.FORCE_COLOR;
}

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const program = new Command('firebreak')
  .description(
    'Incident response for AWS: triage, investigate, mitigate with approval, keep people informed, learn.',
  )
  .version(version, '-V, --version', 'print the version')
  .option('--no-color', 'no colour, as when NO_COLOR is set (FORCE_COLOR forces colour)')
  .exitOverride()
  .showHelpAfterError(false)
  .configureOutput({
    // Commander's own refusals (an unknown option, a value not among the choices) read like the CLI's.
    outputError: (text, write) => write(text.replace(/^error: /, 'firebreak: ')),
  });

// The command asked for: the first word that is not an option (the CLI's own options take no
// values), or the one after `help`.
const words = args.filter((a) => !a.startsWith('-'));
const requested = COMMANDS.find((c) => c.name === (words[0] === 'help' ? words[1] : words[0]));

if (requested) {
  // The SDK warns on every Node 20 start that releases after January 2027 need Node 22; the README says so once.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const { register } = await import('tsx/esm/api');
  register();
}
for (const entry of COMMANDS) {
  if (entry === requested) {
    const module = await import(`./commands/${entry.name}.ts`);
    module[`register${entry.name[0].toUpperCase()}${entry.name.slice(1)}`](program);
  } else program.command(entry.name).description(entry.description);
}
program.configureHelp({
  subcommandTerm(cmd) {
    const entry = COMMANDS.find((c) => c.name === cmd.name() && c !== requested);
    return entry
      ? `${entry.name}${entry.usage ? ` ${entry.usage}` : ''}`
      : Help.prototype.subcommandTerm.call(this, cmd);
  },
});
program.hook('preAction', async (_, action) => {
  const { dataDirHook } = await import('./commands/data-dir.ts');
  dataDirHook(action, requested?.creates ?? false);
});

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    process.exitCode = err.exitCode === 0 ? 0 : 2;
  } else {
    const { asCliError } = await import('./commands/common.ts');
    const { explainNoStore } = await import('./commands/data-dir.ts');
    const known = asCliError(explainNoStore(err));
    if (!known) throw err;
    process.stderr.write(`firebreak: ${known.message}\n`);
    process.exitCode = known.exitCode;
  }
} finally {
  if (requested) (await import('./commands/data-dir.ts')).sayNewDataDir();
}
