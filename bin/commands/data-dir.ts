/**
 * Which data folder a command uses, found the way git finds `.git`: `--data-dir`, else
 * FIREBREAK_DATA_DIR, else the first `.firebreak` folder in the current folder or one above it.
 * When there is none, commands that start incidents make `./.firebreak` (and say so once it
 * exists); the others refuse, saying where they looked, rather than show an empty store.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { CliError } from './common.js';

export const DATA_DIR = '.firebreak';

/** The `--data-dir` option every command that touches the local store declares. */
export const dataDirOption = (what = 'the local data directory') =>
  new Option('--data-dir <dir>', `${what} (default: the nearest ${DATA_DIR} folder, from here up)`).env(
    'FIREBREAK_DATA_DIR',
  );

const isFolder = (path: string) => {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
};

/** The nearest `.firebreak` folder in `from` or a folder above it. */
export function findDataDir(from: string): string | undefined {
  let dir = resolve(from);
  for (;;) {
    const candidate = join(dir, DATA_DIR);
    if (isFolder(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

let made: string | undefined;
let lookedFrom: string | undefined;

/** Once the command is done: says where the data folder it made is, if it made one. */
export function sayNewDataDir(): void {
  if (made && existsSync(made)) {
    process.stderr.write(`firebreak: made ${made}; commands run in ${dirname(made)} or below use it\n`);
  }
}

/**
 * Before a command's action: fills in `--data-dir` when it was not given. A command aimed at AWS
 * (`--table`, `--state-machine-arn`) does not use the folder, so it is not told where it is.
 */
export function dataDirHook(action: Command, creates: boolean): void {
  if (!action.options.some((o) => o.attributeName() === 'dataDir')) return;
  const opts = action.opts();
  if (opts.dataDir) return;
  const cwd = process.cwd();
  const found = findDataDir(cwd);
  if (found) {
    action.setOptionValue('dataDir', found);
    if (dirname(found) !== resolve(cwd) && !opts.table && !opts.stateMachineArn) {
      process.stderr.write(`firebreak: using ${found}\n`);
    }
    return;
  }
  const here = join(cwd, DATA_DIR);
  action.setOptionValue('dataDir', here);
  if (creates) made = here;
  else lookedFrom = cwd;
}

/** A read-only command found no store: say where it looked, not only the folder it fell back on. */
export function explainNoStore(err: unknown): unknown {
  if (!lookedFrom || (err as Error)?.name !== 'NoStore') return err;
  return new CliError(
    `no ${DATA_DIR} folder in ${lookedFrom} or any folder above it: nothing has run here yet ` +
      `(try: npm start), or name one with --data-dir or FIREBREAK_DATA_DIR`,
  );
}
