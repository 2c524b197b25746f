/** Reads a folder of scenarios for `firebreak eval`, refusing the unreadable ones by name. */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { looksLikeScenario, Scenario } from '../../adapters/embedded/scenario/schema.js';
import { describeIssues, ValidationError } from '../../domain/errors.js';
import { type Prepared, prepare } from '../runner.js';

export interface LoadedScenario {
  file: string;
  scenario: Scenario;
  prepared: Prepared;
}

export interface Unreadable {
  file: string;
  reason: string;
}

/** Scenario files are the folder's `*.json` (JSON Schemas, `*.schema.json`, are not scenarios). */
const isScenarioFile = (name: string) => name.endsWith('.json') && !name.endsWith('.schema.json');

/** Reads and validates every scenario in a folder; nothing runs until all of them are readable. */
export async function loadScenarioFolder(
  folder: string,
): Promise<{ loaded: LoadedScenario[]; unreadable: Unreadable[] }> {
  let names: string[];
  try {
    if (!(await stat(folder)).isDirectory()) throw new ValidationError(`${folder} is not a folder`);
    names = (await readdir(folder)).filter(isScenarioFile).sort();
  } catch (err) {
    if (err instanceof ValidationError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new ValidationError(
      code === 'ENOENT' ? `no such folder: ${folder}` : `cannot read ${folder}: ${code ?? err}`,
    );
  }
  if (!names.length) throw new ValidationError(`no scenarios (*.json) in ${folder}`);
  const loaded: LoadedScenario[] = [];
  const unreadable: Unreadable[] = [];
  const ids = new Map<string, string>();
  for (const name of names) {
    const file = join(folder, name);
    try {
      const text = await readFile(file, 'utf8');
      let doc: unknown;
      try {
        doc = JSON.parse(text);
      } catch (err) {
        throw new ValidationError(`not valid JSON: ${(err as Error).message}`);
      }
      if (!looksLikeScenario(doc))
        throw new ValidationError('not a scenario (needs alert, environment and expected)');
      const parsed = Scenario.safeParse(doc);
      if (!parsed.success) {
        throw new ValidationError(
          `not a valid scenario: ${describeIssues(parsed.error.issues).slice(0, 3).join('; ')}`,
        );
      }
      const seen = ids.get(parsed.data.id);
      if (seen) throw new ValidationError(`duplicate scenario id ${parsed.data.id} (also in ${seen})`);
      ids.set(parsed.data.id, name);
      loaded.push({ file, scenario: parsed.data, prepared: prepare(doc) });
    } catch (err) {
      const reason = err instanceof ValidationError ? err.message : `cannot read: ${(err as Error).message}`;
      unreadable.push({ file, reason });
    }
  }
  return { loaded, unreadable };
}
