/**
 * Reads every scenario in the folders given and reports the ones that do not load (schema, alert
 * shape, duplicate ids), without running any of them: the check a scenario author makes before
 * committing, and one that says nothing about how the analyst would answer.
 *
 * @example npx tsx scripts/validate-scenarios.ts corpus/dev corpus/test
 */
import { loadScenarioFolder } from '../local/eval.js';

let bad = 0;
for (const folder of process.argv.slice(2)) {
  const { loaded, unreadable } = await loadScenarioFolder(folder);
  for (const u of unreadable) process.stderr.write(`${u.file}: ${u.reason}\n`);
  bad += unreadable.length;
  process.stdout.write(`${folder}: ${loaded.length} readable, ${unreadable.length} unreadable\n`);
}
process.exitCode = bad ? 1 : 0;
