import { readFile } from 'node:fs/promises';
import { ConflictError, NotFoundError, ValidationError } from '../../domain/errors.js';

/** Exit codes: 0 done, 1 the run itself failed, 2 the input was refused. */
export const EXIT = { ok: 0, failed: 1, refused: 2 } as const;

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.refused,
  ) {
    super(message);
  }
}

/** Reads and parses a JSON file, turning every way it can go wrong into one clear line. */
export async function readJsonFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CliError(
      code === 'ENOENT' ? `no such file: ${path}` : `cannot read ${path}: ${code ?? String(err)}`,
    );
  }
  if (text.length > 5 * 1024 * 1024) throw new CliError(`${path} is larger than 5 MB`);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new CliError(`${path} is not valid JSON: ${(err as Error).message}`);
  }
}

const FS_ERRORS = new Map([
  ['EACCES', 'permission denied'],
  ['EPERM', 'operation not permitted'],
  ['ENOTDIR', 'a file is in the way of a folder'],
  ['EEXIST', 'a file is in the way of a folder'],
  ['EROFS', 'read-only file system'],
  ['ENOSPC', 'no space left on the device'],
  ['EISDIR', 'a folder where a file was expected'],
]);

/** Maps domain errors to a CLI error line; anything else is a bug and keeps its stack. */
export function asCliError(err: unknown): CliError | undefined {
  if (err instanceof CliError) return err;
  if (err instanceof ValidationError || err instanceof NotFoundError || err instanceof ConflictError) {
    return new CliError(err.message);
  }
  if ((err as Error)?.name === 'NoStore') return new CliError((err as Error).message);
  // The data directory cannot be made or read (a file in the way, no permission, a full disk).
  const fs = err as NodeJS.ErrnoException;
  if (fs?.code && FS_ERRORS.has(fs.code)) {
    return new CliError(
      `cannot use ${fs.path ?? 'the data directory'}: ${fs.code} (${FS_ERRORS.get(fs.code)})`,
    );
  }
  if (/IO error|LOCK/.test(String((err as Error)?.message))) {
    return new CliError(`cannot open the store: ${(err as Error).message.split('\n')[0].slice(0, 200)}`);
  }
  return undefined;
}

/**
 * The local runner (the ASL engine, every phase, the AWS SDK clients) takes over a second to load:
 * commands load it when they run an incident, so `--help` and the store commands start quickly.
 */
export const loadRunner = () => import('../../local/runner.js');

/** A failed call to AWS (credentials, region, a missing table) as one line, not a stack trace. */
export function awsFailure(err: unknown): CliError {
  const known = asCliError(err);
  if (known) return known;
  const e = err as Error;
  return new CliError(
    `the request to AWS failed: ${e.name === 'Error' ? '' : `${e.name}: `}${e.message}`,
    EXIT.failed,
  );
}
